"""ReportInput → goAML XML, in the element order the goAML sequences require.

goAML schemas are long ``xs:sequence``s: an element out of place is invalid even if every value is
right. Each ``_person``/``_entity``/… function below writes its type's elements in the schema's
order (the order is the same in UNODC 5.0.1 and the UAE 5.0.2 variant for every element written
here); fields left ``None`` are skipped. The builder does not judge completeness: that is
:func:`raqib.reports.goaml.validate.validate_report`'s job, which names the missing element.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from raqib.errors import InvalidInput
from raqib.reports.goaml.model import (
    Account,
    Address,
    Entity,
    ForeignAmount,
    Identification,
    Person,
    Phone,
    ReportInput,
    ReportParty,
    Subject,
    Transaction,
    TransactionSide,
)
from raqib.reports.goaml.profile import Profile

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

Value = str | int | bool | Decimal | date | datetime | None


class _Writer:
    def __init__(self, profile: Profile):
        self.profile = profile

    def text(self, value: Value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            return value.replace(tzinfo=None).strftime(self.profile.date_format)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day).strftime(self.profile.date_format)
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)

    def amount(self, value: Decimal) -> str:
        return format(value.quantize(Decimal(1).scaleb(-self.profile.amount.decimals)), "f")

    def add(self, parent: etree._Element, tag: str, value: Value) -> None:
        if value is None:
            return
        etree.SubElement(parent, tag).text = self.text(value)

    def phones(self, parent: etree._Element, phones: tuple[Phone, ...]) -> None:
        if not phones:
            return
        wrapper = etree.SubElement(parent, "phones")
        for phone in phones:
            element = etree.SubElement(wrapper, "phone")
            self.add(element, "tph_contact_type", phone.contact_type)
            self.add(element, "tph_communication_type", phone.communication_type)
            self.add(element, "tph_country_prefix", phone.country_prefix)
            self.add(element, "tph_number", phone.number)
            self.add(element, "tph_extension", phone.extension)
            self.add(element, "comments", phone.comments)

    def address(self, element: etree._Element, address: Address) -> None:
        self.add(element, "address_type", address.address_type)
        self.add(element, "address", address.address)
        self.add(element, "town", address.town)
        self.add(element, "city", address.city)
        self.add(element, "zip", address.zip)
        self.add(element, "country_code", address.country_code)
        self.add(element, "state", address.state)
        self.add(element, "comments", address.comments)

    def addresses(self, parent: etree._Element, addresses: tuple[Address, ...]) -> None:
        if not addresses:
            return
        wrapper = etree.SubElement(parent, "addresses")
        for address in addresses:
            self.address(etree.SubElement(wrapper, "address"), address)

    def identification(self, element: etree._Element, ident: Identification) -> None:
        self.add(element, "type", ident.type)
        self.add(element, "number", ident.number)
        self.add(element, "issue_date", ident.issue_date)
        self.add(element, "expiry_date", ident.expiry_date)
        self.add(element, "issued_by", ident.issued_by)
        self.add(element, "issue_country", ident.issue_country)
        self.add(element, "comments", ident.comments)

    def person(self, element: etree._Element, person: Person, *, registration: bool = False) -> None:
        """t_person, t_person_my_client, or (registration) t_person_registration_in_report."""
        self.add(element, "gender", person.gender)
        self.add(element, "title", person.title)
        self.add(element, "first_name", person.first_name)
        self.add(element, "middle_name", person.middle_name)
        self.add(element, "prefix", person.prefix)
        self.add(element, "last_name", person.last_name)
        self.add(element, "birthdate", person.birthdate)
        self.add(element, "birth_place", person.birth_place)
        if not registration:
            self.add(element, "country_of_birth", person.country_of_birth)
        self.add(element, "mothers_name", person.mothers_name)
        self.add(element, "alias", person.alias)
        if not registration:
            self.add(element, "full_name_frn", person.full_name_frn)
        self.add(element, "ssn", person.ssn)
        if person.passport_number is not None:
            self.add(element, "passport_number", person.passport_number)
            self.add(element, "passport_country", person.passport_country)
        self.add(element, "id_number", person.id_number)
        self.add(element, "nationality1", person.nationality1)
        self.add(element, "nationality2", person.nationality2)
        self.add(element, "nationality3", person.nationality3)
        self.add(element, "residence", person.residence)
        self.phones(element, person.phones)
        self.addresses(element, person.addresses)
        for email in person.emails:
            self.add(element, "email", email)
        self.add(element, "occupation", person.occupation)
        self.add(element, "employer_name", person.employer_name)
        if person.identifications:
            # The registration type repeats <identification>; the others wrap them in <identifications>.
            parent = element if registration else etree.SubElement(element, "identifications")
            for ident in person.identifications:
                self.identification(etree.SubElement(parent, "identification"), ident)
        self.add(element, "tax_number", person.tax_number)
        self.add(element, "tax_reg_number", person.tax_reg_number)
        self.add(element, "source_of_wealth", person.source_of_wealth)
        self.add(element, "comments", person.comments)
        if person.role is not None and element.tag == "director_id":
            self.add(element, "role", person.role)

    def entity(self, element: etree._Element, entity: Entity) -> None:
        self.add(element, "name", entity.name)
        self.add(element, "commercial_name", entity.commercial_name)
        self.add(element, "incorporation_legal_form", entity.incorporation_legal_form)
        self.add(element, "incorporation_number", entity.incorporation_number)
        self.add(element, "business", entity.business)
        self.phones(element, entity.phones)
        self.addresses(element, entity.addresses)
        for email in entity.emails:
            self.add(element, "email", email)
        self.add(element, "url", entity.url)
        self.add(element, "incorporation_state", entity.incorporation_state)
        self.add(element, "incorporation_country_code", entity.incorporation_country_code)
        for director in entity.directors:
            self.person(etree.SubElement(element, "director_id"), director)
        self.add(element, "incorporation_date", entity.incorporation_date)
        self.add(element, "tax_number", entity.tax_number)
        self.add(element, "tax_reg_number", entity.tax_reg_number)
        self.add(element, "comments", entity.comments)

    def account(self, element: etree._Element, account: Account) -> None:
        self.add(element, "institution_name", account.institution_name)
        self.add(element, "institution_code", account.institution_code)
        self.add(element, "swift", account.swift)
        self.add(element, "institution_country", account.institution_country)
        self.add(element, "non_bank_institution", account.non_bank_institution)
        self.add(element, "branch", account.branch)
        self.add(element, "account", account.account)
        self.add(element, "currency_code", account.currency_code)
        self.add(element, "account_name", account.account_name)
        self.add(element, "iban", account.iban)
        self.add(element, "client_number", account.client_number)
        self.add(element, "personal_account_type", account.personal_account_type)
        if account.entity is not None:
            self.entity(etree.SubElement(element, "t_entity"), account.entity)
        for signatory in account.signatories:
            wrapper = etree.SubElement(element, "signatory")
            self.add(wrapper, "is_primary", signatory.is_primary)
            self.person(etree.SubElement(wrapper, "t_person"), signatory.person)
            self.add(wrapper, "role", signatory.role)
        self.add(element, "opened", account.opened)
        self.add(element, "closed", account.closed)
        if account.balance is not None:
            self.add(element, "balance", account.balance)
            self.add(element, "date_balance", account.date_balance)
        if account.status_code is not None:
            self.add(element, "status_code", account.status_code)
            self.add(element, "status_date", account.status_date)
        self.add(element, "beneficiary", account.beneficiary)
        self.add(element, "beneficiary_comment", account.beneficiary_comment)
        self.add(element, "comments", account.comments)

    def subject(self, parent: etree._Element, prefix: str, subject: Subject, my_client: bool) -> None:
        """``<{prefix}person>``/…; report parties add ``_my_client`` to the tag for our customers."""
        suffix = "_my_client" if my_client and prefix == "" else ""
        if subject.person is not None:
            self.person(etree.SubElement(parent, f"{prefix}person{suffix}"), subject.person)
        elif subject.account is not None:
            self.account(etree.SubElement(parent, f"{prefix}account{suffix}"), subject.account)
        elif subject.entity is not None:
            self.entity(etree.SubElement(parent, f"{prefix}entity{suffix}"), subject.entity)

    def foreign(self, parent: etree._Element, tag: str, foreign: ForeignAmount | None) -> None:
        if foreign is None:
            return
        element = etree.SubElement(parent, tag)
        self.add(element, "foreign_currency_code", foreign.currency_code)
        self.add(element, "foreign_amount", self.amount(foreign.amount))
        self.add(element, "foreign_exchange_rate", foreign.exchange_rate)

    def side(self, parent: etree._Element, direction: str, side: TransactionSide) -> None:
        tag = f"t_{direction}_my_client" if side.my_client else f"t_{direction}"
        element = etree.SubElement(parent, tag)
        self.add(element, f"{direction}_funds_code", side.funds_code)
        self.add(element, f"{direction}_funds_comment", side.funds_comment)
        self.foreign(element, f"{direction}_foreign_currency", side.foreign_currency)
        if direction == "from" and side.conductor is not None:
            self.person(etree.SubElement(element, "t_conductor"), side.conductor)
        self.add(element, f"{direction}_is_suspected", side.is_suspected)
        self.subject(element, f"{direction}_", side.subject, side.my_client)
        self.add(element, f"{direction}_country", side.country)

    def transaction(self, parent: etree._Element, transaction: Transaction) -> None:
        element = etree.SubElement(parent, "transaction")
        self.add(element, "transactionnumber", transaction.number)
        self.add(element, "transaction_is_suspicious", transaction.is_suspicious)
        self.add(element, "internal_ref_number", transaction.internal_ref_number)
        self.add(element, "transaction_location", transaction.location)
        self.add(element, "transaction_description", transaction.description)
        self.add(element, "date_transaction", transaction.date)
        self.add(element, "value_date", transaction.value_date)
        self.add(element, "transmode_code", transaction.transmode_code)
        self.add(element, "transmode_comment", transaction.transmode_comment)
        self.add(element, "amount_local", self.amount(transaction.amount_local))
        self.side(element, "from", transaction.from_side)
        self.side(element, "to", transaction.to_side)
        self.add(element, "comments", transaction.comments)

    def report_party(self, parent: etree._Element, party: ReportParty) -> None:
        element = etree.SubElement(parent, "report_party")
        self.add(element, "role", party.role)
        self.subject(element, "", party.subject, party.my_client)
        self.add(element, "country", party.country)
        self.add(element, "is_suspected", party.is_suspected)
        self.add(element, "significance", party.significance)
        self.add(element, "reason", party.reason)
        self.add(element, "comments", party.comments)

    def report(self, report: ReportInput) -> etree._Element:
        profile = self.profile
        rentity_id = report.rentity_id if report.rentity_id is not None else profile.rentity_id
        if rentity_id is None:
            raise InvalidInput(
                f"no rentity_id: give one in the report or set it in the goAML profile {profile.name!r}"
            )
        root = etree.Element("report")
        schema_version = report.schema_version or (
            profile.goaml_version if profile.write_schema_version else None
        )
        self.add(root, "schema_version", schema_version)
        self.add(root, "rentity_id", rentity_id)
        self.add(root, "rentity_branch", report.rentity_branch)
        self.add(root, "submission_code", report.submission_code)
        self.add(root, "report_code", report.report_code)
        self.add(root, "entity_reference", report.entity_reference)
        self.add(root, "fiu_ref_number", report.fiu_ref_number)
        self.add(root, "submission_date", report.submission_date)
        self.add(root, "currency_code_local", report.currency_code_local or profile.currency_code_local)
        self.person(etree.SubElement(root, "reporting_person"), report.reporting_person, registration=True)
        if report.location is not None:
            self.address(etree.SubElement(root, "location"), report.location)
        self.add(root, "reason", report.reason)
        self.add(root, "action", report.action)
        for transaction in report.transactions:
            self.transaction(root, transaction)
        if report.parties:
            parties = etree.SubElement(etree.SubElement(root, "activity"), "report_parties")
            for party in report.parties:
                self.report_party(parties, party)
        indicators = etree.SubElement(root, "report_indicators")
        for code in report.indicators:
            self.add(indicators, "indicator", code)
        return root


def build_report_element(report: ReportInput, profile: Profile) -> etree._Element:
    """Build the ``<report>`` element for ``report`` under ``profile``'s conventions.

    Raises:
        InvalidInput: neither the report nor the profile gives a ``rentity_id``.
    """
    return _Writer(profile).report(report)


def build_report(report: ReportInput, profile: Profile) -> bytes:
    """Build the goAML XML document (UTF-8, indented, standalone declaration) for ``report``.

    The result is not validated here: call :func:`raqib.reports.goaml.validate.validate_report`.
    """
    root = build_report_element(report, profile)
    etree.indent(root, space="    ")
    return XML_DECLARATION + etree.tostring(root, encoding="utf-8") + b"\n"


__all__ = ["XML_DECLARATION", "build_report", "build_report_element"]
