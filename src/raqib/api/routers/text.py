"""Text screening: find mentions of listed people and organisations in Arabic or English text."""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from raqib.api.deps import ScreenerRoleDep, StateDep
from raqib.screening import Screener, record_text_mentions
from raqib.text import MAX_TEXT_CHARS, MentionPolicy, TextScreener

router = APIRouter(prefix="/v1", tags=["text"])
log = logging.getLogger("raqib.api")
# One text screener per warm Screener (it caches which curated alias references are loaded); dropped
# with the Screener when a new list version replaces it.
_text_screeners: weakref.WeakKeyDictionary[Screener, TextScreener] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _text_screener(screener: Screener) -> TextScreener:
    with _lock:
        text_screener = _text_screeners.get(screener)
        if text_screener is None:
            text_screener = _text_screeners[screener] = TextScreener(screener)
        return text_screener


class TextScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        examples=["وقال الشيخ أيمن الظواهري إن تنظيم داعش ..."],
        description="The text as received; mention offsets index this string (Unicode code points).",
    )
    lang: Literal["ar", "en"] | None = Field(
        default=None, description="Detected from the script when absent."
    )
    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Span alert threshold (default: the packaged mention policy).",
    )
    lists: list[str] | None = Field(default=None, description="Only these list ids (default: all)")


class TextMention(BaseModel):
    start: int = Field(description="Offset of the first character (code points).")
    end: int = Field(description="Offset after the last character.")
    text: str
    entity_id: str
    source: str
    source_ref: str
    caption: str
    type: str
    score: float
    explanation: str
    kind: Literal["name", "org_alias"]
    title: str | None = Field(default=None, description="Honorific or rank written before the name.")


class TextScreenResponse(BaseModel):
    lang: str
    direction: Literal["rtl", "ltr"]
    length: int
    algorithm: str
    threshold: float
    spans_screened: int
    org_aliases_version: int
    list_versions: list[dict[str, Any]]
    mentions: list[TextMention] = Field(description="Alerts: listed entities named in the text.")
    weak_mentions: list[TextMention] = Field(
        description="Near-misses held back by the text guards; not alerts."
    )


@router.post(
    "/text/screen",
    summary="Find mentions of listed people and organisations in a text",
    response_model=TextScreenResponse,
)
def screen_text(body: TextScreenRequest, state: StateDep, _key: ScreenerRoleDep) -> TextScreenResponse:
    screener = state.screeners.get(body.lists)
    text_screener = _text_screener(screener)
    if body.threshold is not None:
        text_screener = text_screener.with_policy(MentionPolicy.packaged().with_threshold(body.threshold))
    result = text_screener.screen(body.text, lang=body.lang)
    if result.mentions:  # mentions (not weak ones) are alerts, so they reach a case
        record_text_mentions(
            state.engine, body.text, [m.to_dict() for m in result.mentions], screener.versions
        )
    if state.settings.log_names:
        log.info("screened a text of %d characters: %d mentions", len(body.text), len(result.mentions))
    return TextScreenResponse.model_validate({**result.to_dict(), "list_versions": screener.list_versions()})
