"""What a goAML report says, independent of any FIU's schema: the builder's input.

Field names follow goAML's element names (``first_name``, ``tph_number`` → ``number``) so a reader
of the schema finds each one; only the nesting is simplified (``phones`` is a list, a side of a
transaction says whether it is our client instead of choosing between ``t_from`` and
``t_from_my_client``). Optional fields left ``None`` are not written; whether the FIU's schema needs
them is the validator's business, so a report missing a required field fails validation with the
element's path rather than failing here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phone(_Model):
    contact_type: str = Field(description="tph_contact_type, e.g. BU (business), PRIVT (private).")
    communication_type: str = Field(description="tph_communication_type, e.g. L (landline), M (mobile).")
    country_prefix: str | None = None
    number: str
    extension: str | None = None
    comments: str | None = None


class Address(_Model):
    address_type: str
    address: str
    town: str | None = None
    city: str
    zip: str | None = None
    country_code: str
    state: str | None = None
    comments: str | None = None


class Identification(_Model):
    type: str = Field(description="identifier_type code, e.g. EID, PASSP.")
    number: str
    issue_date: dt.date | dt.datetime | None = None
    expiry_date: dt.date | dt.datetime | None = None
    issued_by: str | None = None
    issue_country: str
    comments: str | None = None


class Person(_Model):
    gender: str | None = None
    title: str | None = None
    first_name: str
    middle_name: str | None = None
    prefix: str | None = None
    last_name: str
    birthdate: dt.date | dt.datetime | None = None
    birth_place: str | None = None
    country_of_birth: str | None = None
    mothers_name: str | None = None
    alias: str | None = None
    full_name_frn: str | None = Field(
        default=None, description="The name in its original (e.g. Arabic) script."
    )
    ssn: str | None = None
    passport_number: str | None = None
    passport_country: str | None = None
    id_number: str | None = None
    nationality1: str | None = None
    nationality2: str | None = None
    nationality3: str | None = None
    residence: str | None = None
    phones: tuple[Phone, ...] = ()
    addresses: tuple[Address, ...] = ()
    emails: tuple[str, ...] = ()
    occupation: str | None = None
    employer_name: str | None = None
    identifications: tuple[Identification, ...] = ()
    tax_number: str | None = None
    tax_reg_number: str | None = None
    source_of_wealth: str | None = None
    comments: str | None = None
    role: str | None = Field(
        default=None, description="Only for an entity's director: entity_person_role_type."
    )


class Entity(_Model):
    name: str
    commercial_name: str | None = None
    incorporation_legal_form: str | None = None
    incorporation_number: str | None = None
    business: str | None = None
    phones: tuple[Phone, ...] = ()
    addresses: tuple[Address, ...] = ()
    emails: tuple[str, ...] = ()
    url: str | None = None
    incorporation_state: str | None = None
    incorporation_country_code: str | None = None
    directors: tuple[Person, ...] = Field(default=(), description="director_id elements; give each a role.")
    incorporation_date: dt.date | dt.datetime | None = None
    tax_number: str | None = None
    tax_reg_number: str | None = None
    comments: str | None = None


class Signatory(_Model):
    person: Person
    is_primary: bool | None = None
    role: str | None = None


class Account(_Model):
    institution_name: str | None = None
    institution_code: str | None = None
    swift: str | None = None
    institution_country: str | None = None
    non_bank_institution: bool | None = None
    branch: str | None = None
    account: str = Field(description="The account number.")
    currency_code: str | None = None
    account_name: str
    iban: str | None = None
    client_number: str | None = None
    personal_account_type: str | None = None
    entity: Entity | None = Field(default=None, description="The entity holding the account (t_entity).")
    signatories: tuple[Signatory, ...] = ()
    opened: dt.date | dt.datetime | None = None
    closed: dt.date | dt.datetime | None = None
    balance: Decimal | None = None
    date_balance: dt.date | dt.datetime | None = None
    status_code: str | None = None
    status_date: dt.date | dt.datetime | None = None
    beneficiary: str | None = None
    beneficiary_comment: str | None = None
    comments: str | None = None

    @model_validator(mode="after")
    def _one_institution_id(self) -> Account:
        if self.institution_code is not None and self.swift is not None:
            raise ValueError("give institution_code or swift, not both (goAML allows one)")
        return self


class Subject(_Model):
    """Exactly one of a person, an account or an entity: who stands on a side or in a report party."""

    person: Person | None = None
    account: Account | None = None
    entity: Entity | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Subject:
        given = [name for name in ("person", "account", "entity") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"a subject is exactly one of person, account, entity (got {given or 'none'})")
        return self

    @property
    def kind(self) -> Literal["person", "account", "entity"]:
        if self.person is not None:
            return "person"
        return "account" if self.account is not None else "entity"


class ForeignAmount(_Model):
    currency_code: str
    amount: Decimal
    exchange_rate: Decimal | None = None


class TransactionSide(_Model):
    """One side (from or to) of a transaction."""

    my_client: bool = Field(description="True for our own customer: t_from_my_client / t_to_my_client.")
    funds_code: str = Field(description="funds_type code, e.g. CASH, ELCFT.")
    funds_comment: str | None = None
    foreign_currency: ForeignAmount | None = None
    conductor: Person | None = Field(default=None, description="Who conducted it (from side only).")
    is_suspected: bool | None = None
    subject: Subject
    country: str


class Transaction(_Model):
    number: str = Field(description="transactionnumber")
    is_suspicious: bool | None = None
    internal_ref_number: str | None = None
    location: str = Field(description="transaction_location")
    description: str = Field(description="transaction_description")
    date: dt.datetime = Field(description="date_transaction")
    value_date: dt.date | dt.datetime | None = None
    transmode_code: str
    transmode_comment: str | None = None
    amount_local: Decimal = Field(description="In the report's local currency (currency_code_local).")
    from_side: TransactionSide
    to_side: TransactionSide
    comments: str | None = None


class ReportParty(_Model):
    """An involved party of an activity report (report_party)."""

    my_client: bool
    subject: Subject
    role: str | None = None
    country: str | None = None
    is_suspected: bool | None = None
    significance: int | None = Field(default=None, ge=0, le=10)
    reason: str
    comments: str | None = None


class ReportInput(_Model):
    """One goAML report. ``rentity_id`` and ``currency_code_local`` default to the FIU profile's."""

    schema_version: str | None = Field(default=None, description="Written as <schema_version> when given.")
    rentity_id: int | None = None
    rentity_branch: str | None = None
    submission_code: str = "E"
    report_code: str = Field(description="STR, SAR, … as the FIU's report_type allows.")
    entity_reference: str = Field(description="Our own reference, e.g. the case number.")
    fiu_ref_number: str | None = None
    submission_date: dt.datetime
    currency_code_local: str | None = None
    reporting_person: Person
    location: Address | None = None
    reason: str | None = None
    action: str | None = None
    transactions: tuple[Transaction, ...] = ()
    parties: tuple[ReportParty, ...] = Field(
        default=(), description="Involved parties, written as <activity> (after the transactions, if any)."
    )
    indicators: tuple[str, ...] = Field(description="report_indicators codes from the FIU's list.")

    @model_validator(mode="after")
    def _transactions_or_activity(self) -> ReportInput:
        if not self.transactions and not self.parties:
            raise ValueError("a report needs at least one transaction or one involved party")
        return self


__all__ = [
    "Account",
    "Address",
    "Entity",
    "ForeignAmount",
    "Identification",
    "Person",
    "Phone",
    "ReportInput",
    "ReportParty",
    "Signatory",
    "Subject",
    "Transaction",
    "TransactionSide",
]
