"""Find mentions of listed people and organisations in free text, with offsets, score and reasons.

The steps, for a text in Arabic, English or both:

1. :func:`raqib.text.tokenise` splits the text into words that keep their offsets; Arabic words get
   readings without their joined proclitics (وبالظواهري → الظواهري).
2. Each word gets a role. **Titles** (الشيخ, اللواء المهندس, Dr., Sheikh) are recognised with
   :func:`raqib.names.parse_name` and the packaged title list; they end a phrase and are reported with
   the mention that follows them. **Function words** (في, قال, the, said: a data file) may sit inside an
   organisation's name but never start or end a span. **Connectors** (بن, ابن, al, bin, abu, abd) may
   not end a span. Latin words must be capitalised to be part of a name; Arabic has no capitals, so
   every other Arabic word may be.
3. Every window of 1-5 name words inside a phrase (punctuation ends a phrase) is screened with the
   :class:`~raqib.screening.Screener`, the first word under each of its readings.
4. The engine scores a window against listed names, but a span of text is not a screened party: it
   has no date of birth or nationality to confirm it, and a document holds hundreds of spans. So the
   text layer adds its own guards (:class:`MentionPolicy`, values and reasons in
   ``raqib/data/text/mention_policy.yml``): every word of the span must align with the listed name;
   every *distinctive* part of the listed name (rarer than the common-name level) must be in the text;
   a person needs two aligned parts, or one rare, long part that is the only distinctive part of a
   longer listed name (الظواهري); an organisation's listed name must be covered whole; and spans use a
   higher threshold than the single-party screen. A window that the engine scores but the guards
   hold back is a **weak mention**, shown to analysts but never an alert.
5. Curated short names of organisations (داعش, ISIS, القاعدة) come from
   :class:`~raqib.text.aliases.AliasTable`; each points at list entries, which must be in the loaded lists.
6. Overlapping candidates are resolved best first (score, then the longer span), so a text position
   belongs to at most one mention; one span may name several listed entries (UN and OFAC entries of
   the same organisation).

Offsets are Python string indices (Unicode code points) into the text exactly as received.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from raqib.errors import InvalidInput
from raqib.matching import ALGORITHM, TokenAlignment
from raqib.names import NamePart, PartRole, has_article, parse_name, part_key, token_frequency
from raqib.screening import EntityInfo, Screener, ScreeningHit, make_query
from raqib.text import _resources
from raqib.text.aliases import AliasMatch, AliasReference, AliasTable
from raqib.text.tokenise import Reading, Script, Token, is_break, surface_form, tokenise

# Longest text accepted in one call (about 40 pages); longer documents are split by the caller.
MAX_TEXT_CHARS = 200_000
LANGUAGES = ("ar", "en")
# Per-word caches are bounded: a long-running service sees new words (and word runs) without end.
_WORD_CACHE = 1 << 15
# Titles are at most four words long in the title data ("صاحب السمو الملكي", "His Royal Highness").
_TITLE_LOOKAHEAD = 4
# Stand-in names placed around a word to ask raqib.names how it parses (see _is_connector, _title_words).
_PROBE = {Script.ARABIC: ("زيد", "عمر"), Script.LATIN: ("zaid", "omar")}


class MentionKind(StrEnum):
    """How a mention was found."""

    NAME = "name"  # the span matched a listed name through the matching engine
    ORG_ALIAS = "org_alias"  # the span is a curated short name of a listed organisation


class _Role(StrEnum):
    NAME = "name"
    CONNECTOR = "connector"
    FUNCTION = "function"
    TITLE = "title"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class MentionPolicy:
    """The text layer's guards. Defaults come from ``raqib/data/text/mention_policy.yml`` (with reasons)."""

    span_threshold: float
    single_part_threshold: float
    weak_threshold: float
    part_similarity: float
    single_part_similarity: float
    min_aligned_parts: int
    common_part_frequency: float
    single_part_max_frequency: float
    single_part_min_letters: int
    weak_part_similarity: float
    max_name_tokens: int
    max_span_tokens: int
    hits_per_span: int
    reasons: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def packaged(cls) -> MentionPolicy:
        """The policy of the packaged data file."""
        return _packaged_policy()

    def with_threshold(self, threshold: float) -> MentionPolicy:
        """The same policy with another span threshold; the one-word threshold keeps its distance below it."""
        if not 0.0 <= threshold <= 1.0:
            raise InvalidInput("the threshold must be between 0 and 1", details={"field": "threshold"})
        gap = self.span_threshold - self.single_part_threshold
        return replace(
            self,
            span_threshold=threshold,
            single_part_threshold=max(0.0, threshold - gap),
            weak_threshold=min(self.weak_threshold, threshold),
        )

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "reasons"}


@functools.cache
def _packaged_policy() -> MentionPolicy:
    values = _resources.policy().values()
    integers = {
        "min_aligned_parts",
        "single_part_min_letters",
        "max_name_tokens",
        "max_span_tokens",
        "hits_per_span",
    }
    names = [f.name for f in fields(MentionPolicy) if f.name != "reasons"]
    missing = [name for name in names if name not in values]
    unknown = [name for name in values if name not in names]
    if missing or unknown:
        raise ValueError(f"mention_policy.yml: missing {missing}, unknown {unknown}")
    arguments: dict[str, Any] = {
        name: int(values[name].value) if name in integers else float(values[name].value) for name in names
    }
    return MentionPolicy(
        **arguments, reasons={name: " ".join(v.reason.split()) for name, v in values.items()}
    )


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a listed entity in the text.

    Attributes:
        start: Offset of the first character (code points, into the text as received).
        end: Offset after the last character; ``text[start:end]`` is ``text``.
        text: The mentioned words as written (clitics and titles outside).
        entity_id: ``source:source_ref`` of the listed entity.
        source: The list (``un_sc``, ``us_ofac_sdn``...).
        source_ref: The list's own reference.
        caption: The entity's primary name in the list.
        type: ``person``, ``organization``...
        score: In [0, 1].
        explanation: Why: the engine's explanation and the text guard's verdict, or the curated alias and its source.
        kind: ``name`` or ``org_alias``.
        title: The honorific or rank written before the name, if any.
    """

    start: int
    end: int
    text: str
    entity_id: str
    source: str
    source_ref: str
    caption: str
    type: str
    score: float
    explanation: str
    kind: MentionKind
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "entity_id": self.entity_id,
            "source": self.source,
            "source_ref": self.source_ref,
            "caption": self.caption,
            "type": self.type,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "kind": self.kind.value,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class TextScreenResult:
    """What screening one text found: alerts (``mentions``) and near-misses (``weak_mentions``)."""

    lang: str
    direction: str
    length: int
    mentions: tuple[Mention, ...]
    weak_mentions: tuple[Mention, ...]
    policy: MentionPolicy
    spans_screened: int
    aliases_version: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "direction": self.direction,
            "length": self.length,
            "algorithm": ALGORITHM,
            "threshold": self.policy.span_threshold,
            "spans_screened": self.spans_screened,
            "org_aliases_version": self.aliases_version,
            "mentions": [m.to_dict() for m in self.mentions],
            "weak_mentions": [m.to_dict() for m in self.weak_mentions],
        }


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    words: int
    clitics: int
    mention: Mention
    alert: bool

    @property
    def rank(self) -> tuple[float, int, int, int]:
        # On equal scores the longer span wins, then the reading with more clitics taken off: the engine
        # scores والقاعدة and القاعدة alike, and the mention should not include the conjunction.
        return (-round(self.mention.score, 4), -self.words, -self.clitics, self.start)


@dataclass(frozen=True, slots=True)
class _Window:
    first: int
    last: int
    reading: Reading
    title: str | None

    def query(self, tokens: Sequence[Token]) -> str:
        return " ".join([self.reading.norm, *(tokens[k].norm for k in range(self.first + 1, self.last + 1))])


@dataclass(frozen=True, slots=True)
class _Verdict:
    alert: bool
    weak: bool
    note: str
    single: bool = False


@functools.cache
def _function_words() -> frozenset[str]:
    data = _resources.function_words()
    return frozenset(surface_form(word) for word in (*data.arabic, *data.english))


@functools.cache
def _clitic_letters() -> frozenset[str]:
    proclitics = _resources.function_words().proclitics
    return frozenset((*proclitics.conjunctions, *proclitics.prepositions))


def _function_forms(token: Token) -> set[str]:
    """The token's readings, plus the short remainders readings leave out (وفي → في, وأن → ان)."""
    forms = {reading.surface for reading in token.readings}
    if token.script is Script.ARABIC:
        letters = _clitic_letters()
        surface = token.surface
        for count in (1, 2):
            if len(surface) - count >= 2 and all(ch in letters for ch in surface[:count]):
                forms.add(surface[count:])
    return forms


@functools.lru_cache(maxsize=_WORD_CACHE)
def _is_connector(word: str, script: Script) -> bool:
    """Whether ``word`` links name parts (بن, ال, abu, abd, bin, al): it merges with a neighbour when parsed."""
    before, after = _PROBE.get(script, _PROBE[Script.LATIN])
    return len(parse_name(f"{before} {word} {after}").matchable) < 3


@functools.lru_cache(maxsize=_WORD_CACHE)
def _opens_name(word: str, script: Script) -> bool:
    """Whether a connector may start a name: the article and Abd/Abu/Umm merge forward; بن/bin do not."""
    after = _PROBE.get(script, _PROBE[Script.LATIN])[1]
    return len(parse_name(f"{word} {after}").matchable) == 1


@functools.lru_cache(maxsize=_WORD_CACHE)
def _title_words(words: tuple[str, ...], script: Script) -> int:
    """How many leading ``words`` are titles or honorifics, according to the title data of raqib.names."""
    probe = _PROBE.get(script, _PROBE[Script.LATIN])[0]
    titles = parse_name(" ".join((*words, probe))).titles
    return sum(len(title.split()) for title in titles)


def _phrase_break(tokens: Sequence[Token], index: int, allow_period: bool = False) -> bool:
    """Whether a phrase ends before ``tokens[index]`` (a period after a title or an initial does not)."""
    gap = tokens[index].gap
    if not is_break(gap):
        return False
    if allow_period or len(tokens[index - 1].norm) == 1:
        return gap.strip() not in (".", "")
    return True


def _title_at(text: str, tokens: Sequence[Token], index: int) -> tuple[int, str] | None:
    """If a title starts at ``tokens[index]`` (under any reading of the word): its last token and its text."""
    following: list[str] = []
    for k in range(index + 1, min(len(tokens), index + _TITLE_LOOKAHEAD)):
        if _phrase_break(tokens, k, allow_period=True):
            break
        following.append(tokens[k].norm)
    token = tokens[index]
    for reading in token.readings:
        count = _title_words((reading.norm, *following), token.script)
        if count:
            last = index + count - 1
            end = tokens[last].end
            if text[end : end + 1] == ".":
                end += 1  # Dr. / H.E.
            return last, text[reading.start : end]
    return None


def _after_other_name(tokens: Sequence[Token], roles: Sequence[_Role], window: _Window) -> bool:
    """Whether the window's first word directly follows another name word of the same phrase."""
    if window.first == 0 or window.reading.clitics or _phrase_break(tokens, window.first):
        return False
    return roles[window.first - 1] in (_Role.NAME, _Role.CONNECTOR)


def _frequency(part: NamePart) -> float:
    if not part.keys:
        return 0.0
    return token_frequency(part_key(part.prefix, part.keys[0]))


def _group(parts: Sequence[NamePart], text: str, covered: set[int]) -> tuple[int, ...]:
    for start in range(len(parts)):
        for stop in range(start + 1, len(parts) + 1):
            indices = tuple(range(start, stop))
            if covered.intersection(indices):
                break
            joined = " ".join(parts[k].text for k in indices)
            if joined == text:
                return indices
            if len(joined) >= len(text):
                break
    return ()


def _cover(parts: Sequence[NamePart], texts: Sequence[str]) -> tuple[set[int], list[tuple[int, ...]]]:
    """Map the engine's aligned texts (space-joined part texts) back to part indices."""
    covered: set[int] = set()
    groups: list[tuple[int, ...]] = []
    for text in texts:
        group = _group(parts, text, covered)
        covered.update(group)
        groups.append(group)
    return covered, groups


class TextScreener:
    """Screen free text against the lists of a :class:`~raqib.screening.Screener`.

    Args:
        screener: The screener (its lists decide which entities can be mentioned).
        policy: The guards; default the packaged :class:`MentionPolicy`.
        aliases: The curated organisation names; default the packaged :class:`AliasTable`.
    """

    def __init__(
        self, screener: Screener, policy: MentionPolicy | None = None, aliases: AliasTable | None = None
    ) -> None:
        self.screener = screener
        self.policy = policy or MentionPolicy.packaged()
        self.aliases = aliases or AliasTable.packaged()
        self._resolved: dict[str, EntityInfo | None] = {}

    def with_policy(self, policy: MentionPolicy) -> TextScreener:
        """The same screener with other guards (e.g. another threshold); the alias resolution cache is shared."""
        other = TextScreener(self.screener, policy=policy, aliases=self.aliases)
        other._resolved = self._resolved
        return other

    # -- roles ---------------------------------------------------------------------------------

    def _roles(self, text: str, tokens: Sequence[Token]) -> tuple[list[_Role], dict[int, tuple[int, str]]]:
        """Each token's role, and for each title the index of its last token and its text."""
        function_words = _function_words()
        roles: list[_Role] = []
        for token in tokens:
            if token.has_digits:
                roles.append(_Role.OTHER)
            elif _function_forms(token) & function_words:
                roles.append(_Role.FUNCTION)
            elif _is_connector(token.norm, token.script):
                roles.append(_Role.CONNECTOR)
            elif token.script is Script.ARABIC or token.text[:1].isupper():
                roles.append(_Role.NAME)
            else:
                roles.append(_Role.OTHER)
        titles: dict[int, tuple[int, str]] = {}
        index = 0
        while index < len(tokens):
            after_name = (
                index > 0
                and roles[index - 1] in (_Role.NAME, _Role.CONNECTOR)
                and not _phrase_break(tokens, index)
            )
            # A title word after a name is part of that name (محمد السيد, Ahmed Sheikh), not an honorific.
            found = None if after_name or roles[index] is _Role.OTHER else _title_at(text, tokens, index)
            if found is None:
                index += 1
                continue
            titles[index] = found
            for k in range(index, found[0] + 1):
                roles[k] = _Role.TITLE
            index = found[0] + 1
        return roles, titles

    # -- windows -------------------------------------------------------------------------------

    def _windows(
        self, tokens: Sequence[Token], roles: Sequence[_Role], titles: dict[int, tuple[int, str]]
    ) -> list[_Window]:
        policy = self.policy
        runs: list[tuple[list[int], str | None]] = []
        current: list[int] = []
        title: str | None = None
        pending_title: str | None = None

        def flush() -> None:
            if current:
                runs.append((list(current), title))
            current.clear()

        index = 0
        while index < len(tokens):
            if index in titles:
                flush()
                last, pending_title = titles[index]
                index = last + 1
                continue
            if roles[index] is _Role.OTHER or (current and _phrase_break(tokens, index)):
                flush()
                pending_title = None
                if roles[index] is _Role.OTHER:
                    index += 1
                    continue
            if not current:
                follows_title = pending_title is not None and not _phrase_break(
                    tokens, index, allow_period=True
                )
                title = pending_title if follows_title else None
                pending_title = None
            current.append(index)
            index += 1
        flush()

        windows: list[_Window] = []
        for run, run_title in runs:
            for position, first in enumerate(run):
                if position > 0 and roles[run[position - 1]] is _Role.CONNECTOR:
                    continue  # the connector binds this word to the one before (Abd al-Rahman, bin Laden)
                if roles[first] is _Role.CONNECTOR:
                    if not _opens_name(tokens[first].norm, tokens[first].script):
                        continue
                elif roles[first] is not _Role.NAME:
                    continue
                names = 0
                for last in run[position : position + policy.max_span_tokens]:
                    if roles[last] is _Role.NAME:
                        names += 1
                    if names > policy.max_name_tokens:
                        break
                    if roles[last] is not _Role.NAME:
                        continue
                    for reading in tokens[first].readings:
                        windows.append(_Window(first, last, reading, run_title if position == 0 else None))
        return windows

    # -- guards --------------------------------------------------------------------------------

    def _assess(self, query: str, hit: ScreeningHit) -> _Verdict:
        policy = self.policy
        result = hit.result
        query_parts = parse_name(query).matchable
        listed_parts = parse_name(result.matched_name).matchable
        strong: list[TokenAlignment] = [
            a for a in result.alignments if a.similarity >= policy.part_similarity
        ]
        covered_query, query_groups = _cover(query_parts, [a.query for a in strong])
        covered_listed, listed_groups = _cover(listed_parts, [a.candidate for a in strong])
        distinctive = [
            k
            for k, part in enumerate(listed_parts)
            if part.role is not PartRole.INITIAL and _frequency(part) < policy.common_part_frequency
        ]
        weak = False

        def held(note: str) -> _Verdict:
            return _Verdict(False, weak, f"not an alert: {note}")

        if not query_parts or len(covered_query) < len(query_parts):
            unaligned = [p.text for k, p in enumerate(query_parts) if k not in covered_query]
            return held(f"text word(s) {', '.join(unaligned)} not in the listed name")
        # A near-miss worth showing: one distinctive word of the text is (nearly) a word of a longer listed
        # name, one to one (not a merge of several words, not a one-word alias).
        near = len(listed_parts) >= 2 and any(
            alignment.similarity >= policy.weak_part_similarity
            and len(query_group) == 1
            and len(listed_group) == 1
            and _frequency(query_parts[query_group[0]]) < policy.common_part_frequency
            for alignment, query_group, listed_group in zip(strong, query_groups, listed_groups, strict=True)
        )
        weak = near and result.score >= policy.weak_threshold
        missing = [listed_parts[k].text for k in distinctive if k not in covered_listed]
        if missing:
            return held(f"distinctive listed part(s) {', '.join(missing)} not in the text")
        if hit.entity.type == "organization":
            if len(covered_listed) < len(listed_parts):
                absent = [p.text for k, p in enumerate(listed_parts) if k not in covered_listed]
                return held(f"organisation name incomplete: {', '.join(absent)} not in the text")
            if len(strong) < policy.min_aligned_parts:
                return held("one-word organisation names alert only through the curated alias file")
            if result.score < policy.span_threshold:
                return held(f"score below the span threshold {policy.span_threshold}")
            return _Verdict(True, False, f"whole organisation name in the text ({len(strong)} parts)")
        if len(strong) >= policy.min_aligned_parts:
            if not any(k in covered_listed for k in distinctive):
                # Mohammed Ali, Ahmed Hassan: in running text such names identify nobody.
                return held("only common name parts aligned")
            if result.score < policy.span_threshold:
                return held(f"score below the span threshold {policy.span_threshold}")
            return _Verdict(
                True, False, f"{len(strong)} name parts aligned, every distinctive listed part present"
            )
        if len(strong) == 1 and len(query_groups[0]) == 1 and len(listed_groups[0]) == 1:
            part = query_parts[query_groups[0][0]]
            frequency = _frequency(part)
            listed = listed_parts[listed_groups[0][0]]
            if len(listed_parts) < 2:
                return held("a one-word listed name is not confirmed by one word of text")
            if not has_article(listed):
                # A lone word refers to a person only as a family name or nisba (al-Zawahiri, Eddaouahiri);
                # a lone given name or ordinary word (هزيمة ~ Haythem by sound) does not.
                return held(
                    f"single word {part.text} matches {listed.text}, which is not a family name (al-)"
                )
            if strong[0].similarity < policy.single_part_similarity:
                return held(
                    f"single word similarity {strong[0].similarity:.2f} below {policy.single_part_similarity}"
                )
            if frequency > policy.single_part_max_frequency:
                return held(f"single word {part.text} too common ({frequency * 1e6:.0f} per million names)")
            if len(part.stem) < policy.single_part_min_letters:
                return held(f"single word {part.text} shorter than {policy.single_part_min_letters} letters")
            if result.score < policy.single_part_threshold:
                return held(f"score below the one-word threshold {policy.single_part_threshold}")
            return _Verdict(
                True,
                True,
                f"one rare word ({frequency * 1e6:.0f} per million names), the listed name's only distinctive part",
                single=True,
            )
        return held(f"{len(strong)} aligned part(s); a person needs {policy.min_aligned_parts}")

    # -- aliases -------------------------------------------------------------------------------

    def _resolve(self, reference: AliasReference) -> EntityInfo | None:
        """The loaded entity a curated reference points at (None when its list is not loaded)."""
        if reference.entity_id not in self._resolved:
            found = None
            for hit in self.screener.screen(make_query(reference.name), threshold=0.5, limit=25):
                if hit.entity.entity_id == reference.entity_id:
                    found = hit.entity
                    break
            self._resolved[reference.entity_id] = found
        return self._resolved[reference.entity_id]

    def _alias_candidates(self, text: str, matches: Sequence[AliasMatch]) -> list[_Candidate]:
        candidates: list[_Candidate] = []
        for match in matches:
            alias = match.alias
            for reference in alias.references:
                info = self._resolve(reference)
                if info is None:
                    continue
                note = f"; {reference.note}" if reference.note else ""
                explanation = (
                    f"1.00 curated alias '{alias.text}' of {alias.label} -> {reference.list_id} {reference.ref} "
                    f"'{reference.name}'{note}. Source: {alias.source}"
                )
                if not alias.alert:
                    explanation += " Not an alert: the name is also an ordinary phrase."
                mention = Mention(
                    start=match.start,
                    end=match.end,
                    text=text[match.start : match.end],
                    entity_id=info.entity_id,
                    source=info.source,
                    source_ref=info.source_ref,
                    caption=info.caption,
                    type=info.type,
                    score=1.0,
                    explanation=explanation,
                    kind=MentionKind.ORG_ALIAS,
                )
                words = match.last - match.first + 1
                candidates.append(
                    _Candidate(
                        match.start, match.end, words, len(match.reading.clitics), mention, alias.alert
                    )
                )
        return candidates

    # -- screening -----------------------------------------------------------------------------

    def screen(self, text: str, *, lang: str | None = None) -> TextScreenResult:
        """Find the mentions of listed entities in ``text``.

        Args:
            text: Free text (Arabic, English or mixed), as received; offsets refer to it.
            lang: ``"ar"`` or ``"en"`` when known; detected from the script otherwise.

        Returns:
            Alerts in ``mentions`` and near-misses in ``weak_mentions``, both in text order.

        Raises:
            InvalidInput: The text is empty or too long, or the language is unknown.
        """
        if not text or not text.strip():
            raise InvalidInput("the text to screen is empty", details={"field": "text"})
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInput(
                f"the text is longer than {MAX_TEXT_CHARS} characters; split it", details={"field": "text"}
            )
        if lang is not None and lang not in LANGUAGES:
            raise InvalidInput(
                f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}", details={"field": "lang"}
            )
        tokens = tokenise(text)
        roles, titles = self._roles(text, tokens)
        windows = self._windows(tokens, roles, titles)

        queries: dict[str, list[_Window]] = defaultdict(list)
        for window in windows:
            queries[window.query(tokens)].append(window)
        names = list(queries)
        threshold = min(
            self.policy.weak_threshold, self.policy.single_part_threshold, self.policy.span_threshold
        )
        results = (
            self.screener.screen_many(
                [make_query(name) for name in names], threshold=threshold, limit=self.policy.hits_per_span
            )
            if names
            else []
        )

        candidates: list[_Candidate] = []
        for name, hits in zip(names, results, strict=True):
            for hit in hits:
                verdict = self._assess(name, hit)
                if not verdict.alert and not verdict.weak:
                    continue
                for window in queries[name]:
                    start, end = window.reading.start, tokens[window.last].end
                    alert, note = verdict.alert, verdict.note
                    if verdict.single and _after_other_name(tokens, roles, window):
                        # محمد الظواهري names someone else with the same family name.
                        previous = tokens[window.first - 1].text
                        alert, note = (
                            False,
                            f"not an alert: the word follows another name word ({previous}) not in the listed name",
                        )
                    mention = Mention(
                        start=start,
                        end=end,
                        text=text[start:end],
                        entity_id=hit.entity.entity_id,
                        source=hit.entity.source,
                        source_ref=hit.entity.source_ref,
                        caption=hit.entity.caption,
                        type=hit.entity.type,
                        score=hit.score,
                        explanation=f"{hit.result.explanation()}. Text guard: {note}",
                        kind=MentionKind.NAME,
                        title=window.title,
                    )
                    candidates.append(
                        _Candidate(
                            start,
                            end,
                            window.last - window.first + 1,
                            len(window.reading.clitics),
                            mention,
                            alert,
                        )
                    )
        candidates += self._alias_candidates(text, self.aliases.find(tokens))

        mentions = _select([c for c in candidates if c.alert], (), self.policy.hits_per_span)
        weak = _select([c for c in candidates if not c.alert], mentions, 1)
        arabic = sum(1 for t in tokens if t.script is Script.ARABIC)
        latin = sum(1 for t in tokens if t.script is Script.LATIN)
        detected = lang or ("ar" if arabic >= latin else "en")
        return TextScreenResult(
            lang=detected,
            direction="rtl" if detected == "ar" else "ltr",
            length=len(text),
            mentions=tuple(mentions),
            weak_mentions=tuple(weak),
            policy=self.policy,
            spans_screened=len(names),
            aliases_version=self.aliases.version,
        )


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _select(candidates: Sequence[_Candidate], blocked: Sequence[Mention], per_span: int) -> list[Mention]:
    """Best spans first, no two overlapping; each chosen span keeps its best distinct entities."""
    by_span: dict[tuple[int, int], list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_span[(candidate.start, candidate.end)].append(candidate)
    spans = sorted(by_span.items(), key=lambda item: min(c.rank for c in item[1]))
    taken: list[tuple[int, int]] = [(m.start, m.end) for m in blocked]
    chosen: list[Mention] = []
    for (start, end), group in spans:
        if _overlaps(start, end, taken):
            continue
        taken.append((start, end))
        seen: set[str] = set()
        kept = 0
        for candidate in sorted(group, key=lambda c: (c.rank, c.mention.kind.value, c.mention.entity_id)):
            if candidate.mention.entity_id in seen:
                continue
            seen.add(candidate.mention.entity_id)
            chosen.append(candidate.mention)
            kept += 1
            if kept >= per_span:
                break
    chosen.sort(key=lambda m: (m.start, m.end, -m.score, m.entity_id))
    return chosen


__all__ = ["MAX_TEXT_CHARS", "Mention", "MentionKind", "MentionPolicy", "TextScreenResult", "TextScreener"]
