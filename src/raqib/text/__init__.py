"""Text: find mentions of listed people and organisations in free Arabic or English text.

Screening a document is not screening a name field: the names have to be found first, in running
text where Arabic joins conjunctions, prepositions and the article to the next word (وبالظواهري),
puts titles before names (اللواء المهندس, الشيخ), and writes without capitals; and every finding
has to point at the exact characters of the document so the web UI can highlight it (right to left
for Arabic) and an analyst can quote it.

* :func:`tokenise` splits text into :class:`Token` values that keep their offsets into the original
  string (diacritics, tatweel, zero-width and bidi characters included) and offer Arabic
  :class:`Reading` values without joined proclitics.
* :class:`TextScreener` screens the candidate spans (runs of 1-5 name words, after titles) with a
  :class:`~raqib.screening.Screener` and applies the text layer's own guards
  (:class:`MentionPolicy`, data in ``raqib/data/text/mention_policy.yml``): a span shares one common
  word with a listed name is at most a weak mention, never an alert. It returns a
  :class:`TextScreenResult` of :class:`Mention` values (``kind`` ``name`` or ``org_alias``).
* :class:`AliasTable` holds the curated, sourced short names and acronyms of listed organisations
  (داعش, Daesh, ISIS, القاعدة, AQAP) from ``raqib/data/text/org_aliases.yml``.
"""

from __future__ import annotations

from raqib.text.aliases import AliasMatch, AliasReference, AliasTable, OrgAlias
from raqib.text.mentions import (
    MAX_TEXT_CHARS,
    Mention,
    MentionKind,
    MentionPolicy,
    TextScreener,
    TextScreenResult,
)
from raqib.text.tokenise import Reading, Script, Token, is_break, surface_form, tokenise

__all__ = [
    "MAX_TEXT_CHARS",
    "AliasMatch",
    "AliasReference",
    "AliasTable",
    "Mention",
    "MentionKind",
    "MentionPolicy",
    "OrgAlias",
    "Reading",
    "Script",
    "TextScreenResult",
    "TextScreener",
    "Token",
    "is_break",
    "surface_form",
    "tokenise",
]
