"""Join codes: 6 random digits from ``secrets``, unique among sessions that are not finished.

Each code is drawn independently from a CSPRNG, so one code says nothing about another.
The database enforces uniqueness (a partial unique constraint); the caller retries on a clash.
"""

import hashlib
import secrets

CODE_LENGTH = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def looks_like_code(value: str) -> bool:
    return len(value) == CODE_LENGTH and value.isascii() and value.isdigit()


def token_hash(token: str) -> str:
    """What is stored of a player's secret cookie token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()
