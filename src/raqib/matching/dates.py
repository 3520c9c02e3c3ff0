"""Birth dates as the lists and customers write them, reduced to comparable year/month/day ranges.

Accepted forms: ISO prefixes ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; ranges ``YYYY/YYYY`` (also
``YYYY-YYYY`` and ``YYYY..YYYY``); approximate ``~YYYY`` / ``circa YYYY`` / ``approx. YYYY`` (± 2 years);
Hijri dates with an ``H``/``AH``/``هـ`` suffix (``1380H``, ``1380-05-10 AH``), converted to the
Gregorian years they can fall in (a Hijri year spans parts of two Gregorian years). Anything else
is ignored (returns None) rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

APPROXIMATE_YEARS = 2
_HIJRI = re.compile(r"^(\d{3,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*(?:h|ah|هـ|ه)$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_RANGE = re.compile(r"^(\d{4})\s*(?:/|\.\.|-|to)\s*(\d{4})$")
_APPROXIMATE = re.compile(r"^(?:~|circa|ca\.?|approx\.?|approximately|about)\s*(\d{4})$")


@dataclass(frozen=True, slots=True)
class DateSpan:
    """Years from/to (inclusive), and month/day when the date was exact."""

    year_from: int
    year_to: int
    month: int | None = None
    day: int | None = None

    @property
    def exact_year(self) -> bool:
        return self.year_from == self.year_to


def _hijri_to_gregorian_years(year: int) -> tuple[int, int]:
    # A Hijri year is about 354.37 days; year 1 AH began 16 July 622 CE.
    start = 622 + (year - 1) * 354.367 / 365.2425 + 0.54
    return int(start), int(start + 354.367 / 365.2425)


def parse_date(text: str) -> DateSpan | None:
    """Parse one birth-date string into a span, or None when the form is not recognised."""
    value = text.strip().lower()
    if match := _ISO.match(value):
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        return DateSpan(year, year, month, day)
    if match := _RANGE.match(value):
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        return DateSpan(low, high)
    if match := _APPROXIMATE.match(value):
        year = int(match.group(1))
        return DateSpan(year - APPROXIMATE_YEARS, year + APPROXIMATE_YEARS)
    if match := _HIJRI.match(value):
        low, high = _hijri_to_gregorian_years(int(match.group(1)))
        return DateSpan(low, high)
    return None


def year_bounds(texts: Iterable[str]) -> tuple[int, int] | None:
    """The first and last year that any of ``texts`` (parsed as birth dates) can fall in, or None.

    :func:`compare_dates` is positive only for spans whose years overlap, so a query date outside these
    bounds cannot support a match with any of the dates.
    """
    spans = [span for span in map(parse_date, texts) if span is not None]
    if not spans:
        return None
    return min(span.year_from for span in spans), max(span.year_to for span in spans)


def compare_dates(query: DateSpan, candidate: DateSpan) -> tuple[float, str]:
    """Compare two spans: 1 same day, 0.7 same month or year, 0.3 overlapping range, -1 conflict."""
    if query.year_to < candidate.year_from or candidate.year_to < query.year_from:
        gap = max(candidate.year_from - query.year_to, query.year_from - candidate.year_to)
        return (-0.5 if gap == 1 else -1.0), f"{gap} year(s) apart"
    if not (query.exact_year and candidate.exact_year):
        return 0.3, "ranges overlap"
    if query.month is not None and candidate.month is not None:
        if query.month != candidate.month:
            return -0.5, "same year, different month"
        if query.day is not None and candidate.day is not None:
            return (1.0, "same day") if query.day == candidate.day else (-0.5, "same month, different day")
        return 0.8, "same month"
    return 0.7, "same year"
