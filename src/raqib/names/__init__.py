"""Names: turning what people write into something a machine can compare, in Arabic and Latin script.

A name reaches Raqib as written by a bank clerk, a customer or a list compiler: ``الشيخ أسامة بن
لادن``, ``Usama BIN LADIN``, ``Oussama ben Laden``, sometimes with a zero-width joiner or a Cyrillic
``о`` slipped in. This package is the pure, I/O-free language layer under matching:

* :func:`normalise` gives one canonical form: NFKC, no invisible or bidi control characters, Cyrillic and
  Greek look-alikes folded inside Latin words, case-folded, diacritics and tatweel removed, Arabic letter
  variants folded (أ إ آ → ا, ة → ه, ى → ي, ؤ → و, ئ → ي, Persian ی ک → ي ك), punctuation → spaces.
* :func:`transliterate` romanises for display; :func:`skeleton_keys` gives the phonetic consonant skeleton
  that makes ``محمد``, ``Mohammed``, ``Muhammad`` and ``Mohamed`` one key (``MHMD``).
* :func:`tokenise` splits into words; :func:`parse_name` recognises titles (kept for display, not matched),
  nasab particles (bin, ibn, bint, ould), the article (al-, el-, ad-, ال) and compounds (Abd al-X, Abu X,
  Umm X, joined or apart) and returns :class:`ParsedName` with :class:`NamePart` values.
* :func:`token_frequency` says how common a name word is, from the packaged frequency table derived
  from the Arabic-Latin name corpora (``scripts/build_name_frequencies.py``).

All language knowledge (tables, titles, particles, homoglyphs, frequencies) lives in the data files of
``raqib/data/names/``, each with its ``source`` and ``version``; ``raqib.names._resources`` is the only
module that reads them.
"""

from __future__ import annotations

from raqib.names.frequency import part_key, token_frequency
from raqib.names.normalise import normalise
from raqib.names.parse import (
    NamePart,
    ParsedName,
    PartRole,
    has_article,
    is_function_word,
    parse_name,
    tokenise,
)
from raqib.names.transliterate import (
    is_arabic,
    skeleton_keys,
    transliterate,
    transliterate_word,
    vowel_shapes,
)

__all__ = [
    "NamePart",
    "ParsedName",
    "PartRole",
    "has_article",
    "is_arabic",
    "is_function_word",
    "normalise",
    "parse_name",
    "part_key",
    "skeleton_keys",
    "token_frequency",
    "tokenise",
    "transliterate",
    "transliterate_word",
    "vowel_shapes",
]
