"""Nicknames as players type them, made safe to show and hard to impersonate.

A nickname is NFKC-normalised (full-width and compatibility forms become plain letters),
and refused if it holds a character that cannot be seen or that reorders text (controls,
zero-width characters, bidi overrides: Unicode categories Cc, Cf, Co, Cs, Cn, Zl, Zp). Two
nicknames that look alike ("Ana", "ANA" with a Cyrillic A, "Ána" or "4na") share a
skeleton, and a game holds each skeleton once. Templates show nicknames inside <bdi>.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 24
HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}

# Letters of other scripts, and digits, that pass for Latin letters in a nickname (after
# casefolding). A short list of the usual suspects from Unicode's confusables.txt.
LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "г": "r", "п": "n",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "γ": "y",
        # Digits and signs read as letters
        "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "|": "l",
        "i": "l", "!": "l", "$": "s", "@": "a",
    }
)  # fmt: skip


class NicknameError(ValueError):
    pass


def clean(raw: str) -> str:
    """The nickname to store and show; NicknameError says what is wrong with it."""
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not name:
        raise NicknameError("empty")
    if len(name) > MAX_LENGTH:
        raise NicknameError("too-long")
    if any(unicodedata.category(char) in HIDDEN_CATEGORIES for char in name):
        raise NicknameError("hidden")
    return name


def skeleton(name: str) -> str:
    """What a nickname looks like, for telling look-alikes apart: accents dropped, case
    folded, confusable letters and digits mapped to one Latin letter, spaces removed."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return "".join(bare.casefold().translate(LOOKALIKES).split())
