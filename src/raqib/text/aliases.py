"""Curated short names and acronyms of listed organisations (داعش, Daesh, ISIS, القاعدة, AQAP).

News and messages rarely write ``AL-QAIDA IN IRAQ`` or ``ISLAMIC STATE OF IRAQ AND THE LEVANT``; they write
داعش, ISIS or Daesh. These names are facts about the lists, not something fuzzy matching can infer, so
they live in the sourced data file ``raqib/data/text/org_aliases.yml``: every name cites the list field
it comes from, and every organisation points at its entries by list id and the list's own reference.

:class:`AliasTable` finds the names in tokenised text: Arabic after normalisation and with joined
proclitics allowed on the first word (وداعش, لداعش, بالقاعدة, للقاعدة), Latin case-insensitively except
for acronyms marked ``case_sensitive`` (ISIS, not the goddess Isis; such a name also matches written all in
capitals, as lists and payment messages write: ISLAMIC STATE), never across punctuation, and not
when followed by a word that turns the name into ordinary language (القاعدة الجوية, "the air base").
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from raqib.text import _resources
from raqib.text.tokenise import Reading, Token, is_break, surface_form, tokenise


@dataclass(frozen=True, slots=True)
class AliasReference:
    """A list entry a curated name points at.

    Attributes:
        list_id: The list's id in Raqib (``un_sc``, ``us_ofac_sdn``).
        ref: The list's own reference (``QDe.115``, ``8759``).
        name: The entry's primary name in that list (used to find the entry in the loaded lists).
        note: Why this entry (which of its aliases support the mapping), when useful.
    """

    list_id: str
    ref: str
    name: str
    note: str | None = None

    @property
    def entity_id(self) -> str:
        return f"{self.list_id}:{self.ref}"


@dataclass(frozen=True, slots=True)
class OrgAlias:
    """One curated name of one organisation.

    Attributes:
        key: The organisation's key in the data file (``isil``).
        label: A readable label of the organisation.
        text: The name as written in the data file.
        source: Where the name comes from (list, field, reference).
        words: The name's words as compared: normalised, or as written for case-sensitive names.
        case_sensitive: Compare Latin letters with their case (acronyms).
        alert: False for names that are also ordinary phrases (reported as weak mentions only).
        references: The list entries the name points at.
        not_followed_by: Light forms of words that cancel the name when they follow it.
    """

    key: str
    label: str
    text: str
    source: str
    words: tuple[str, ...]
    case_sensitive: bool
    alert: bool
    references: tuple[AliasReference, ...]
    not_followed_by: frozenset[str]


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """Where a curated name occurs in a text: offsets, token indices and which reading of the first word."""

    start: int
    end: int
    first: int
    last: int
    alias: OrgAlias
    reading: Reading


def _words(text: str, case_sensitive: bool) -> tuple[str, ...]:
    return tuple(token.cleaned if case_sensitive else token.norm for token in tokenise(text))


class AliasTable:
    """The curated organisation names, indexed by their first word for matching in tokenised text."""

    def __init__(self, aliases: Sequence[OrgAlias]) -> None:
        self.aliases = tuple(aliases)
        self._by_first: dict[str, list[OrgAlias]] = defaultdict(list)
        for alias in self.aliases:
            self._by_first[alias.words[0].casefold()].append(alias)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda a: -len(a.words))

    @classmethod
    def from_data(cls, data: _resources.AliasData) -> AliasTable:
        """Build the table from the validated data file."""
        aliases: list[OrgAlias] = []
        for organisation in data.organisations:
            references = tuple(
                AliasReference(list_id=r.list, ref=r.ref, name=r.name, note=r.note)
                for r in organisation.references
            )
            stop = frozenset(surface_form(word) for word in organisation.not_followed_by)
            for name in organisation.names:
                words = _words(name.text, name.case_sensitive)
                if not words:
                    raise ValueError(f"org_aliases.yml: {name.text!r} has no words")
                aliases.append(
                    OrgAlias(
                        key=organisation.key,
                        label=organisation.label,
                        text=name.text,
                        source=" ".join(name.source.split()),
                        words=words,
                        case_sensitive=name.case_sensitive,
                        alert=name.alert,
                        references=references,
                        not_followed_by=stop,
                    )
                )
        return cls(aliases)

    @classmethod
    def packaged(cls) -> AliasTable:
        """The table of the packaged data file (built once per process)."""
        return _packaged()

    @property
    def version(self) -> int:
        return _resources.org_aliases().version

    @staticmethod
    def _written_forms(token: Token, alias: OrgAlias) -> tuple[tuple[str, ...], ...]:
        """The spellings of a case-sensitive alias the text may use, starting at ``token``: as written,
        or all in capitals as lists and payment messages write names (ISLAMIC STATE in an MT field)."""
        forms = (alias.words, tuple(word.upper() for word in alias.words))
        return tuple(dict.fromkeys(form for form in forms if token.cleaned == form[0]))

    def _first_word_matches(self, token: Token, alias: OrgAlias) -> Reading | None:
        if alias.case_sensitive:
            return token.readings[0] if self._written_forms(token, alias) else None
        for reading in token.readings:
            if reading.norm == alias.words[0]:
                return reading
        return None

    def _matches_at(self, tokens: Sequence[Token], index: int, alias: OrgAlias) -> AliasMatch | None:
        reading = self._first_word_matches(tokens[index], alias)
        if reading is None:
            return None
        last = index + len(alias.words) - 1
        if last >= len(tokens):
            return None
        if any(is_break(tokens[index + offset].gap) for offset in range(1, len(alias.words))):
            return None
        if alias.case_sensitive:
            written = [token.cleaned for token in tokens[index : last + 1]]
            if not any(list(form) == written for form in self._written_forms(tokens[index], alias)):
                return None
        elif any(tokens[index + offset].norm != word for offset, word in enumerate(alias.words) if offset):
            return None
        following = tokens[last + 1] if last + 1 < len(tokens) else None
        if (
            following is not None
            and not is_break(following.gap)
            and following.surface in alias.not_followed_by
        ):
            return None
        return AliasMatch(reading.start, tokens[last].end, index, last, alias, reading)

    def find(self, tokens: Sequence[Token]) -> list[AliasMatch]:
        """Every occurrence of every curated name in ``tokens`` (overlaps included; the caller chooses).

        Args:
            tokens: The text's tokens from :func:`raqib.text.tokenise`.

        Returns:
            Matches in text order, longest name first at the same position.
        """
        found: list[AliasMatch] = []
        for index, token in enumerate(tokens):
            keys = {reading.norm.casefold() for reading in token.readings} | {token.cleaned.casefold()}
            for key in keys:
                for alias in self._by_first.get(key, ()):
                    match = self._matches_at(tokens, index, alias)
                    if match is not None:
                        found.append(match)
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.alias.key, m.alias.text))
        return found


@functools.cache
def _packaged() -> AliasTable:
    return AliasTable.from_data(_resources.org_aliases())


__all__ = ["AliasMatch", "AliasReference", "AliasTable", "OrgAlias"]
