"""Parser for OFAC's legacy CSV set of the SDN list (``sdn.csv``, ``add.csv``, ``alt.csv``,
``sdn_comments.csv``), and the shared machinery for OFAC's other formats.

The set is four headerless CSV files keyed by ``ent_num``; ``-0-`` means empty. The primary file
has twelve columns (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
GRT, Vess_flag, Vess_owner, Remarks); addresses and strong aliases sit in ``add.csv``/``alt.csv``;
``sdn_comments.csv`` continues remarks that OFAC cut at 1,000 characters. Most identifying facts
live in the remarks as ``; ``-separated clauses (``DOB 10 Dec 1948; POB Egypt; Passport 1084010
(Egypt); a.k.a. 'ABU X'``). Weak aliases exist *only* there, in single quotes (OFAC's data
specification, ``cons_dat_spec.txt``). Clauses this parser recognises become model fields or
properties; the rest stay in ``remarks``.

The non-SDN consolidated list (``cons_prim.csv`` ...) has the same layout: :mod:`ofac_cons_csv`
reuses :func:`parse_csv_set` with its own file names. :mod:`ofac_xml` reuses the identifier table
(OFAC's ``idType`` labels are the same words the remarks use) and the date-of-birth reader.

Files are UTF-8 in recent years and Windows-1252 in older ones; both are accepted, and text that
decodes to control characters (UTF-16, binary) is refused. A trailing DOS end-of-file byte
(0x1A), which OFAC appends, is ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from raqib.errors import ListParseError
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import clean, country_code, decode_text, iso_date, read_bytes

FORMAT = "ofac_csv"
LIST_ID = "us_ofac_sdn"
TITLE = "OFAC Specially Designated Nationals and Blocked Persons List (SDN)"

NULL = "-0-"


@dataclass(frozen=True, slots=True)
class CsvSet:
    """The file names and identity of one OFAC legacy CSV publication."""

    format: str
    list_id: str
    title: str
    primary: str
    addresses: str
    aliases: str
    comments: str


SDN_SET = CsvSet(
    format=FORMAT,
    list_id=LIST_ID,
    title=TITLE,
    primary="sdn.csv",
    addresses="add.csv",
    aliases="alt.csv",
    comments="sdn_comments.csv",
)

_PRIMARY_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
_ADDRESS_COLUMNS = (
    "ent_num",
    "Add_num",
    "Address",
    "City/State/Province/Postal Code",
    "Country",
    "Add_remarks",
)
_ALIAS_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
_COMMENT_COLUMNS = ("ent_num", "Remarks")

# Vessel columns of the primary file -> property names.
_VESSEL_PROPERTIES = (
    (5, "call_sign"),
    (6, "vessel_type"),
    (7, "tonnage"),
    (8, "gross_registered_tonnage"),
    (9, "vessel_flag"),
    (10, "vessel_owner"),
)

_ENTITY_TYPES = {
    "individual": EntityType.PERSON,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
    "entity": EntityType.ORGANIZATION,
    None: EntityType.ORGANIZATION,  # OFAC leaves the type empty (-0-) for entities
}


def detect(path: Path) -> bool:
    """The SDN CSV set: a directory holding ``sdn.csv``, or ``sdn.csv`` itself."""
    return detect_csv_set(path, SDN_SET)


def parse(path: Path) -> ParsedList:
    """Parse OFAC's legacy SDN CSV set.

    Args:
        path: The directory holding ``sdn.csv``, ``add.csv``, ``alt.csv`` (and, when published,
            ``sdn_comments.csv``), or the path of ``sdn.csv`` itself (its siblings are read).

    Returns:
        One entity per ``sdn.csv`` row, in file order, with ``ent_num`` as ``source_ref``.

    Raises:
        ListParseError: A file is missing, empty, badly encoded, or has a malformed row.
    """
    return parse_csv_set(path, SDN_SET)


# --------------------------------------------------------------------------------------------
# The CSV set


def _find(directory: Path, name: str) -> Path | None:
    """``name`` in ``directory``, ignoring case (OFAC has published both SDN.CSV and sdn.csv)."""
    exact = directory / name
    if exact.is_file():
        return exact
    try:
        for candidate in directory.iterdir():
            if candidate.name.lower() == name and candidate.is_file():
                return candidate
    except OSError:
        return None
    return None


def detect_csv_set(path: Path, spec: CsvSet) -> bool:
    """Cheap detection by file name, confirmed by the first bytes of the primary file."""
    if path.is_dir():
        primary = _find(path, spec.primary)
    elif path.is_file() and path.name.lower() == spec.primary:
        primary = path
    else:
        return False
    if primary is None:
        return False
    try:
        with primary.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return re.match(rb"(?:\xef\xbb\xbf)?\d+,", head) is not None


def _primary(path: Path, spec: CsvSet) -> Path:
    if path.is_dir():
        primary = _find(path, spec.primary)
        if primary is None:
            raise ListParseError(
                f"the directory has no {spec.primary} (an OFAC {spec.format} set needs "
                f"{spec.primary}, {spec.addresses} and {spec.aliases})",
                path=str(path),
                code="missing_file",
            )
        return primary
    if path.is_file():
        return path
    raise ListParseError("no such file or directory", path=str(path), code="not_found")


def _siblings(primary: Path, spec: CsvSet) -> tuple[Path, Path, Path | None]:
    directory = primary.parent
    found = []
    for name in (spec.addresses, spec.aliases):
        sibling = _find(directory, name)
        if sibling is None:
            # Without them aliases and addresses would silently vanish from screening.
            raise ListParseError(
                f"{name} is missing next to {primary.name}; the {spec.format} set needs both "
                f"{spec.addresses} and {spec.aliases}",
                path=str(directory / name),
                code="missing_file",
            )
        found.append(sibling)
    # The spillover file only exists since OFAC allowed unlimited remarks (2014 on); optional.
    return found[0], found[1], _find(directory, spec.comments)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def read_text(path: Path) -> str:
    """Read an OFAC text file: UTF-8, else Windows-1252; refuse anything that is neither."""
    data = read_bytes(path)
    text = decode_text(data, path, ("utf-8-sig", "cp1252"))
    if text.endswith("\x1a"):
        text = text[:-1]  # DOS end-of-file marker OFAC appends
    if match := _CONTROL.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise ListParseError(
            f"the file is not UTF-8 or Windows-1252 text (control character U+{ord(match.group()):04X} "
            f"at offset {match.start()}; UTF-16 or a binary file?)",
            path=str(path),
            line=line,
            code="bad_encoding",
        )
    if not text.strip():
        raise ListParseError("the file is empty", path=str(path), code="empty_file")
    return text


def read_rows(
    path: Path, columns: tuple[str, ...], unstripped: tuple[int, ...] = ()
) -> list[tuple[int, list[str | None]]]:
    """Rows of a headerless OFAC CSV file as (line number, values with ``-0-`` as None).

    Values are stripped, except the ``unstripped`` columns: remarks cut at 1,000 characters may
    end (or their continuation begin) with the space the cut fell on.
    """
    text = read_text(path)
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise ListParseError(
            f"this is XML, not an OFAC CSV file (expected {len(columns)} comma-separated columns)",
            path=str(path),
            line=1,
            code="wrong_format",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str | None]]] = []
    line = 1
    try:
        for record in reader:
            if not record or (len(record) == 1 and not record[0].strip()):
                line = reader.line_num + 1
                continue
            if len(record) != len(columns):
                raise ListParseError(
                    f"expected {len(columns)} columns ({', '.join(columns)}), found {len(record)}",
                    path=str(path),
                    line=line,
                    code="malformed_row",
                )
            values: list[str | None] = [
                None
                if (stripped := value.strip()) in ("", NULL)
                else (value if index in unstripped else stripped)
                for index, value in enumerate(record)
            ]
            if values[0] is None or not values[0].isdigit():
                raise ListParseError(
                    f"ent_num must be a whole number, found {record[0]!r}",
                    path=str(path),
                    line=line,
                    field="ent_num",
                    code="malformed_row",
                )
            rows.append((line, values))
            line = reader.line_num + 1
    except csv.Error as err:
        raise ListParseError(
            f"malformed CSV: {err}", path=str(path), line=line, code="malformed_csv"
        ) from err
    return rows


def parse_csv_set(path: Path, spec: CsvSet) -> ParsedList:
    """Parse one OFAC legacy CSV set (SDN or non-SDN consolidated) described by ``spec``."""
    primary_path = _primary(path, spec)
    primary_rows = read_rows(primary_path, _PRIMARY_COLUMNS, unstripped=(11,))  # wrong formats fail here
    address_path, alias_path, comments_path = _siblings(primary_path, spec)
    entities: dict[str, Entity] = {}
    remarks: dict[str, str] = {}
    for line, values in primary_rows:
        ent_num = str(values[0])
        if ent_num in entities:
            raise ListParseError(
                f"ent_num {ent_num} appears twice", path=str(primary_path), line=line, field="ent_num"
            )
        entities[ent_num] = _primary_entity(values, spec, primary_path, line)
        if values[11] is not None:
            remarks[ent_num] = values[11]
    if comments_path is not None:
        for _line, values in read_rows(comments_path, _COMMENT_COLUMNS, unstripped=(1,)):
            ent_num = str(values[0])
            if values[1] is not None and ent_num in entities:
                # The spillover continues the cut text mid-word: join without a separator.
                remarks[ent_num] = remarks.get(ent_num, "") + values[1]
    for _line, values in read_rows(address_path, _ADDRESS_COLUMNS):
        entity = entities.get(str(values[0]))
        if entity is not None:
            address = _csv_address(values)
            if address is not None:
                entity.addresses.append(address)
    for _line, values in read_rows(alias_path, _ALIAS_COLUMNS):
        entity = entities.get(str(values[0]))
        if entity is not None and values[3] is not None:
            entity.names.append(_csv_alias(values, entity.type))
    for ent_num, text in remarks.items():
        apply_remarks(entities[ent_num], text)
    return ParsedList(
        list_id=spec.list_id, title=spec.title, format=spec.format, entities=list(entities.values())
    )


def split_programs(text: str | None) -> list[str]:
    """``SDGT] [IRGC] [IFSR`` (the CSV drops the outer brackets) -> ``['SDGT', 'IRGC', 'IFSR']``."""
    if text is None:
        return []
    return [tag for part in text.split("]") if (tag := part.strip(" [\t"))]


def name_parts(full: str, entity_type: EntityType) -> dict[str, str]:
    """OFAC writes persons as ``FAMILY, Given``; keep both parts (nothing for organisations)."""
    if entity_type is not EntityType.PERSON or "," not in full:
        return {}
    family, _, given = full.partition(",")
    parts = {"family": family.strip()}
    if given.strip():
        parts["given"] = given.strip()
    return parts


def _primary_entity(values: list[str | None], spec: CsvSet, path: Path, line: int) -> Entity:
    name = values[1]
    if name is None:
        raise ListParseError(
            "the name is empty", path=str(path), line=line, field="SDN_Name", code="missing_field"
        )
    sdn_type = values[2].lower() if values[2] is not None else None
    entity_type = _ENTITY_TYPES.get(sdn_type, EntityType.UNKNOWN)
    entity = Entity(source=spec.list_id, source_ref=str(values[0]), type=entity_type)
    entity.names.append(Name(full=name, kind=NameKind.PRIMARY, parts=name_parts(name, entity_type)))
    if entity_type is EntityType.UNKNOWN and values[2] is not None:
        entity.properties["sdn_type"] = [values[2]]
    entity.programs.extend(split_programs(values[3]))
    if values[4] is not None:
        entity.titles.append(values[4])
    for index, key in _VESSEL_PROPERTIES:
        value = values[index]
        if value is not None:
            entity.properties.setdefault(key, []).append(value)
    return entity


def _csv_address(values: list[str | None]) -> Address | None:
    street, city_line, country, note = values[2], values[3], values[4], values[5]
    if not any((street, city_line, country, note)):
        return None
    return Address(
        full=", ".join(part for part in (street, city_line, country) if part) or None,
        street=street,
        # OFAC's one column holds "city, state/province, postal code" together.
        city=city_line,
        country=country,
        country_code=cached_country_code(country),
        note=note,
    )


_ALIAS_KINDS = {
    "aka": (NameKind.ALIAS, "strong", None),
    "fka": (NameKind.FORMER, "strong", None),
    "nka": (NameKind.ALIAS, "strong", "n.k.a. (now known as)"),
    "weak aka": (NameKind.WEAK_ALIAS, "weak", None),
}


def _csv_alias(values: list[str | None], entity_type: EntityType) -> Name:
    alt_type = (values[2] or "aka").lower()
    kind, quality, kind_note = _ALIAS_KINDS.get(alt_type, (NameKind.ALIAS, None, f"alias type {values[2]}"))
    full = str(values[3])
    note = "; ".join(part for part in (kind_note, values[4]) if part) or None
    return Name(full=full, kind=kind, parts=name_parts(full, entity_type), quality=quality, note=note)


@cache
def cached_country_code(name: str | None) -> str | None:
    """:func:`country_code`, memoised: OFAC repeats a few hundred country spellings thousands of times."""
    if name is None:
        return None
    return country_code(name)


# --------------------------------------------------------------------------------------------
# Identifier labels (shared with ofac_xml: OFAC's idType values are these same labels)

ID_TYPES: dict[str, str] = {
    # travel documents
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "Stateless Person Passport": "passport",
    "Travel Document Number": "passport",
    # personal identity numbers
    "National ID No.": "national_id",
    "Cedula No.": "national_id",
    "Identification Number": "national_id",
    "Personal ID Card": "national_id",
    "D.N.I.": "national_id",
    "C.U.R.P.": "national_id",
    "C.U.R.P. #": "national_id",
    "SSN": "national_id",
    "Kenyan ID No.": "national_id",
    "Turkish Identification Number": "national_id",
    "Citizen's Card Number": "national_id",
    "Numero de Identidad": "national_id",
    "Public Security and Immigration No.": "national_id",
    "Stateless Person ID Card": "national_id",
    "Refugee ID Card": "national_id",
    "Residency Number": "residence_permit",
    "Birth Certificate Number": "birth_certificate",
    "Electoral Registry No.": "voter_id",
    "Credencial electoral": "voter_id",
    "I.F.E.": "voter_id",
    "Driver's License No.": "driving_license",
    "Cartilla de Servicio Militar Nacional": "military_id",
    "C.U.I.P.": "police_id",
    "VisaNumberID": "visa",
    # tax numbers
    "Tax ID No.": "tax_id",
    "R.F.C.": "tax_id",
    "RFC": "tax_id",
    "V.A.T. Number": "tax_id",
    "RTN": "tax_id",
    "C.U.I.T.": "tax_id",
    "NIT #": "tax_id",
    "RUC #": "tax_id",
    "Italian Fiscal Code": "tax_id",
    "Fiscal Code": "tax_id",
    "US FEIN": "tax_id",
    # company and registry numbers
    "Registration ID": "registration",
    "Registration Number": "registration",
    "Company Number": "registration",
    "UK Company Number": "registration",
    "Business Registration Document #": "registration",
    "Business Registration Number": "registration",
    "Business Number": "registration",
    "Enterprise Number": "registration",
    "Commercial Registry Number": "registration",
    "Chamber of Commerce Number": "registration",
    "Dubai Chamber of Commerce Membership No.": "registration",
    "Government Gazette Number": "registration",
    "Legal Entity Number": "registration",
    "Matricula Mercantil No": "registration",
    "Folio Mercantil No.": "registration",
    "Trade License No.": "registration",
    "Certificate of Incorporation Number": "registration",
    "D-U-N-S Number": "registration",
    "Branch Unit Number": "registration",
    "Unified Social Credit Code (USCC)": "registration",
    "United Social Credit Code Certificate (USCCC)": "registration",
    "Public Registration Number": "registration",
    "Registered Charity No.": "registration",
    "C.R. No.": "registration",
    "LE Number": "registration",
    "License": "registration",
    "Chinese Commercial Code": "other",
    # finance
    "SWIFT/BIC": "swift_bic",
    "BIK (RU)": "bik",
    "ISIN": "isin",
    # vessels and aircraft
    "Vessel Registration Identification": "imo",
    "MMSI": "mmsi",
    "Aircraft Manufacturer's Serial Number (MSN)": "aircraft_serial",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "aircraft_serial",
    "Aircraft Serial Identification": "aircraft_serial",
    "Aircraft Tail Number": "aircraft_tail_number",
    "Previous Aircraft Tail Number": "aircraft_tail_number",
    "Aircraft Mode S Transponder Code": "aircraft_transponder",
}

# Labels that are facts but not identifiers -> property names.
PROPERTY_LABELS: dict[str, str] = {
    "Website": "website",
    "Email Address": "email",
    "Email": "email",
    "E-mail": "email",
    "Telephone Number": "phone",
    "Telephone No.": "phone",
    "Telephone": "phone",
    "Phone Number": "phone",
    "Phone No.": "phone",
    "Phone": "phone",
    "PHONE": "phone",
    "Fax No.": "fax",
    "Fax": "fax",
    "Linked To": "linked_to",
    "Additional Sanctions Information -": "additional_sanctions_information",
    "Secondary sanctions risk": "secondary_sanctions_risk",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions": (
        "transactions_prohibited"
    ),
    "Executive Order 13662 Directive Determination -": "eo13662_directive",
    "Executive Order 13846 information": "eo13846_information",
    "CAATSA Section 235 Information": "caatsa_section_235",
    "IFCA Determination -": "ifca_determination",
    "For more information on directives, please visit the following link": "more_information",
    "For more information, please see": "more_information",
    "For more information, please reference": "more_information",
    "Organization Established Date": "organization_established_date",
    "Organization Type": "organization_type",
    "Target Type": "target_type",
    "Equity Ticker": "equity_ticker",
    "Issuer Name": "issuer_name",
    "Nationality of Registration": "nationality_of_registration",
    "Vessel Year of Build": "vessel_year_of_build",
    "Other Vessel Flag": "other_vessel_flag",
    "Former Vessel Flag": "former_vessel_flag",
    "Other Vessel Call Sign": "other_vessel_call_sign",
    "Other Vessel Type": "other_vessel_type",
    "Vessel Flag": "vessel_flag",
    "Vessel Type": "vessel_type",
    "Aircraft Model": "aircraft_model",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Manufacture Date": "aircraft_manufacture_date",
    "UN/LOCODE": "un_locode",
    "Purchase/Sales For Divestment Date (CMIC)": "cmic_divestment_date",
}

# Directive dates carry their order in the label: "Listing Date (EO 14024 Directive 3): 24 Feb 2022".
_DIRECTIVE_PROPERTY = re.compile(
    r"(?P<label>Listing Date|Effective Date|Executive Order \d+ (?:Directive )?Information)"
    r"(?: \((?P<which>[^)]*)\))?(?:\s*[:-]\s*|\s+)(?P<value>\S.*)",
    re.IGNORECASE,
)
_PROPERTY_KEYS = {label.rstrip(" -:").lower(): key for label, key in PROPERTY_LABELS.items()}


def identifier_from_label(label: str, number: str, country: str | None = None) -> Identifier | None:
    """An identifier for one of OFAC's id labels, or None when the label is not an identifier."""
    if label.startswith("Digital Currency Address - "):
        currency = label.removeprefix("Digital Currency Address - ").strip()
        return Identifier(type="crypto_wallet", number=number, note=f"currency: {currency}")
    id_type = ID_TYPES.get(label)
    if id_type is None:
        return None
    if id_type == "imo" and number.upper().startswith("IMO"):
        number = number[3:].strip()
    note = None if label.lower().startswith(id_type.replace("_", " ")) else label
    return Identifier(
        type=id_type, number=number, country=country, country_code=cached_country_code(country), note=note
    )


def property_key(label: str) -> str | None:
    """The property name for a non-identifier OFAC label (``Website`` -> ``website``)."""
    key = _PROPERTY_KEYS.get(label.rstrip(" -:").lower())
    if key is not None:
        return key
    if match := _DIRECTIVE_PROPERTY.fullmatch(label.rstrip(":") + ": x"):
        return _directive_key(match.group("label"))
    return None


def _directive_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


# --------------------------------------------------------------------------------------------
# Dates of birth (remarks "DOB ..." and XML dateOfBirth use the same spellings)

_RANGE = re.compile(r"(?P<start>.+?)\s*(?:\bto\b|(?<=\d)-(?=\d{4}\b))\s*(?P<end>.+)", re.IGNORECASE)


def birth_date(text: str, note: str | None = None) -> BirthDate:
    """``10 Dec 1948``, ``circa 1951``, ``1965 to 1967``, ``01 Jan 1960 to 31 Dec 1962`` ..."""
    value = text.strip()
    approximate = False
    if value.lower().startswith("circa"):
        approximate = True
        value = value[5:].strip()
    if (single := iso_date(value)) is not None:
        return BirthDate(
            date=single, approximate=approximate, raw=None if single == text else text, note=note
        )
    if match := _RANGE.fullmatch(value):
        start, end = iso_date(match.group("start")), iso_date(match.group("end"))
        if start is not None and end is not None:
            return BirthDate(
                year_from=int(start[:4]), year_to=int(end[:4]), approximate=approximate, raw=text, note=note
            )
    return BirthDate(approximate=approximate, raw=text, note=note)


# --------------------------------------------------------------------------------------------
# Remarks

# "Passport 1084010 (Egypt) issued 01 Jan 2000 expires 01 Jan 2010"
_ID_REST = re.compile(
    r"(?P<number>.+?)(?:\s*\((?P<country>[^()]+)\))?(?:\s+issued\s+(?P<issued>.+?))?"
    r"(?:\s+expires\s+(?P<expires>.+?))?"
)
_WEAK_ALIAS = re.compile(r"(?P<type>a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(?P<name>.+)'", re.IGNORECASE)
_ALT = re.compile(r"alt\.\s+", re.IGNORECASE)
_DOB = re.compile(r"DOB\s+(?P<value>.+)")
_POB = re.compile(r"POB:?\s+(?P<value>.+)", re.IGNORECASE)
_NATIONALITY = re.compile(r"(?P<what>nationality|citizen)\s+(?P<value>.+)", re.IGNORECASE)
_GENDER = re.compile(r"Gender\s+(?P<value>Male|Female)", re.IGNORECASE)
_CRYPTO = re.compile(r"Digital Currency Address - (?P<currency>[A-Za-z0-9]+)\s+(?P<address>\S+)")
_ABBREVIATION_END = re.compile(r"\b[A-Za-z]\.$")


def _labels_longest_first(labels: list[str], flags: int = 0) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?P<label>{alternatives})(?:\s*[:#-]\s*|\s+)(?P<rest>\S.*)", flags)


_ID_LABEL = _labels_longest_first(list(ID_TYPES))
# Property labels vary in case ("For more information" / "for more information").
_PROPERTY_LABEL = _labels_longest_first([label.rstrip(" -") for label in PROPERTY_LABELS], re.IGNORECASE)


def split_remarks(text: str) -> list[str]:
    """Split remarks into clauses on ``;`` and drop the final full stop OFAC appends."""
    text = text.strip()
    if text.endswith(".") and not _ABBREVIATION_END.search(text):
        text = text[:-1]  # but keep the stop of a trailing abbreviation such as "S.A."
    return [clause for part in re.split(r";\s+", text) if (clause := part.strip())]


def apply_remarks(entity: Entity, text: str) -> None:
    """Move every recognised remarks clause into ``entity``; keep the rest in ``entity.remarks``."""
    leftover = []
    for clause in split_remarks(text):
        if not _apply_clause(entity, clause):
            leftover.append(clause)
    rest = "; ".join(leftover)
    for title in entity.titles:
        # OFAC repeats an individual's Title column (which may hold ";") in the remarks.
        rest = rest.replace(title, "")
    entity.remarks = "; ".join(part for piece in rest.split(";") if (part := piece.strip())) or None


def _apply_clause(entity: Entity, clause: str) -> bool:
    body = _ALT.sub("", clause, count=1) if _ALT.match(clause) else clause
    return any(handler(entity, body) for handler in _CLAUSE_HANDLERS)


def _weak_alias(entity: Entity, body: str) -> bool:
    match = _WEAK_ALIAS.fullmatch(body)
    if match is None:
        return False
    kind = {"a": NameKind.WEAK_ALIAS, "f": NameKind.FORMER, "n": NameKind.WEAK_ALIAS}[
        match.group("type")[0].lower()
    ]
    full = match.group("name").strip()
    note = (
        None
        if kind is NameKind.WEAK_ALIAS and match.group("type").lower() == "a.k.a."
        else match.group("type")
    )
    entity.names.append(
        Name(full=full, kind=kind, parts=name_parts(full, entity.type), quality="weak", note=note)
    )
    return True


def _dob(entity: Entity, body: str) -> bool:
    match = _DOB.fullmatch(body)
    if match is None:
        return False
    entity.birth_dates.append(birth_date(match.group("value")))
    return True


def place(text: str, note: str | None = None) -> Address:
    """A free-text place (``al-Awja, near Tikrit, Iraq``); the country is its last part if known."""
    last = text.rsplit(",", 1)[-1].strip()
    code = cached_country_code(last)
    return Address(full=text, country=last if code else None, country_code=code, note=note)


def _pob(entity: Entity, body: str) -> bool:
    match = _POB.fullmatch(body)
    if match is None:
        return False
    entity.birth_places.append(place(match.group("value").strip()))
    return True


def _nationality(entity: Entity, body: str) -> bool:
    match = _NATIONALITY.fullmatch(body)
    if match is None:
        return False
    value = match.group("value").strip()
    note = "citizenship" if match.group("what").lower() == "citizen" else None
    entity.nationalities.append(Address(country=value, country_code=cached_country_code(value), note=note))
    return True


def _gender(entity: Entity, body: str) -> bool:
    match = _GENDER.fullmatch(body)
    if match is None:
        return False
    entity.gender = match.group("value").lower()
    return True


def _crypto(entity: Entity, body: str) -> bool:
    match = _CRYPTO.fullmatch(body)
    if match is None:
        return False
    entity.identifiers.append(
        Identifier(
            type="crypto_wallet", number=match.group("address"), note=f"currency: {match.group('currency')}"
        )
    )
    return True


def _identifier(entity: Entity, body: str) -> bool:
    match = _ID_LABEL.fullmatch(body)
    if match is None:
        return False
    rest = _ID_REST.fullmatch(match.group("rest").strip())
    if rest is None:  # pragma: no cover - the pattern accepts any non-empty text
        return False
    number = rest.group("number").strip()
    country = clean(rest.group("country"))
    identifier = identifier_from_label(match.group("label"), number, country)
    if identifier is None:  # pragma: no cover - every ID_TYPES label makes an identifier
        return False
    issued, expires = rest.group("issued"), rest.group("expires")
    identifier.issued = (iso_date(issued) or issued) if issued else None
    identifier.expires = (iso_date(expires) or expires) if expires else None
    entity.identifiers.append(identifier)
    return True


def _property(entity: Entity, body: str) -> bool:
    if match := _DIRECTIVE_PROPERTY.fullmatch(body):
        key = _directive_key(match.group("label"))
        which = match.group("which")
        value = f"{which}: {match.group('value')}" if which else match.group("value")
        entity.properties.setdefault(key, []).append(value.strip())
        return True
    label_match = _PROPERTY_LABEL.fullmatch(body)
    if label_match is None:
        return False
    property_name = property_key(label_match.group("label"))
    if property_name is None:  # pragma: no cover - the pattern is built from PROPERTY_LABELS
        return False
    entity.properties.setdefault(property_name, []).append(
        label_match.group("rest").strip().lstrip("-: ").strip()
    )
    return True


_CLAUSE_HANDLERS: tuple[Callable[[Entity, str], bool], ...] = (
    _weak_alias,
    _dob,
    _pob,
    _nationality,
    _gender,
    _crypto,
    _identifier,
    _property,
)


__all__ = [
    "FORMAT",
    "ID_TYPES",
    "LIST_ID",
    "PROPERTY_LABELS",
    "SDN_SET",
    "TITLE",
    "CsvSet",
    "apply_remarks",
    "birth_date",
    "cached_country_code",
    "detect",
    "detect_csv_set",
    "identifier_from_label",
    "name_parts",
    "parse",
    "parse_csv_set",
    "place",
    "property_key",
    "read_rows",
    "read_text",
    "split_programs",
    "split_remarks",
]
