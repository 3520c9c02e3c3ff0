"""Request and response bodies of the REST API (pydantic: the OpenAPI page documents itself)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EntityTypeName = Literal["person", "organization", "vessel", "aircraft"]
DOB_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Party(_Body):
    name: str = Field(min_length=1, max_length=500, examples=["أيمن محمد ربيع الظواهري"])
    dob: str | None = Field(
        default=None, pattern=DOB_PATTERN, examples=["1951-06-19"], description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    country: str | None = Field(
        default=None, max_length=100, examples=["EG"], description="Country name or ISO code"
    )
    type: EntityTypeName | None = None
    gender: Literal["male", "female"] | None = None
    identifiers: list[str] = Field(
        default_factory=list, max_length=20, description="Passport / national ID numbers"
    )


class ScreenRequest(Party):
    threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Default: the algorithm's alert threshold"
    )
    limit: int = Field(default=10, ge=1, le=100)
    lists: list[str] | None = Field(default=None, description="Only these list ids (default: all)")
    customer_id: str | None = Field(
        default=None,
        max_length=200,
        description="Your customer's id: when given, hits are recorded as alerts on that customer (source 'single')",
    )


class BatchParty(Party):
    id: str = Field(min_length=1, max_length=200, description="Your reference for this party")


class BatchRequest(_Body):
    parties: list[BatchParty] = Field(min_length=1)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    limit: int = Field(default=10, ge=1, le=100)
    lists: list[str] | None = None


class MatchRequest(_Body):
    left: str = Field(min_length=1, max_length=500, examples=["عبد العزيز"])
    right: str = Field(min_length=1, max_length=500, examples=["Abdulaziz"])


class Hit(BaseModel):
    entity_id: str
    source: str
    source_ref: str
    caption: str
    type: str
    score: float
    matched_name: str
    explanation: str
    match: dict[str, Any] = Field(description="Features and token alignments behind the score")


class ScreenResponse(BaseModel):
    algorithm: str
    threshold: float
    list_versions: list[dict[str, Any]]
    hits: list[Hit]


class BatchResult(BaseModel):
    id: str
    hits: list[Hit]


class BatchResponse(BaseModel):
    algorithm: str
    threshold: float
    list_versions: list[dict[str, Any]]
    results: list[BatchResult]


class ErrorBody(BaseModel):
    ok: Literal[False] = False
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)
