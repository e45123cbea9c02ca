"""Signature Version 4, verified as AWS documents it ("Create a signed AWS API request").

Only the Authorization header form is accepted (what the SDKs and the CLI send). The caller
gives the request's parts; ``parse`` reads the header, ``verify`` recomputes the signature
from the secret and compares in constant time. Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = timedelta(minutes=5)  # AWS refuses a request signed further from its clock
_HEADER = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-f]{64})\s*"
)
_SPACES = re.compile(r"\s+")


class SignatureError(Exception):
    """Why a request's signature is not accepted; ``kind`` picks the service's error code."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "missing", "malformed", "mismatch", "expired"
        self.message = message


@dataclass(frozen=True)
class Authorization:
    access_key_id: str
    date: str  # YYYYMMDD of the credential scope
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str

    @property
    def scope(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/aws4_request"


def parse(header: str) -> Authorization:
    if not header:
        raise SignatureError("missing", "Missing Authentication Token")
    m = _HEADER.fullmatch(header.strip())
    if m is None:
        raise SignatureError(
            "malformed",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
            f"parameters, signed with {ALGORITHM}.",
        )
    parts = m["credential"].split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not re.fullmatch(r"\d{8}", parts[1]):
        raise SignatureError(
            "malformed",
            "Credential should be scoped to a valid region, a service and aws4_request: "
            f"{m['credential']}",
        )
    signed = tuple(m["signed"].split(";"))
    return Authorization(parts[0], parts[1], parts[2], parts[3], signed, m["signature"])


def request_time(amz_date: str, scope_date: str, now: datetime) -> datetime:
    """The X-Amz-Date, checked against the credential scope and the server's clock."""
    try:
        when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise SignatureError(
            "malformed", f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'."
        ) from None
    if when.strftime("%Y%m%d") != scope_date:
        raise SignatureError(
            "mismatch",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{scope_date}' != '{when:%Y%m%d}', from '{amz_date}'.",
        )
    if abs(now - when) > MAX_SKEW:
        raise SignatureError(
            "expired",
            f"Signature expired: {amz_date} is now earlier than {now - MAX_SKEW:%Y%m%dT%H%M%SZ} "
            f"({now:%Y%m%dT%H%M%SZ} - 5 min.)"
            if when < now
            else f"Signature not yet current: {amz_date} is still later than "
            f"{now + MAX_SKEW:%Y%m%dT%H%M%SZ} ({now:%Y%m%dT%H%M%SZ} + 5 min.)",
        )
    return when


def canonical_request(
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    signed_headers: tuple[str, ...],
    body: bytes,
) -> str:
    """The canonical request: method, URI, query, the signed headers, their names, the
    payload's SHA-256. ``headers``: lower-case names to values."""
    uri = quote(path or "/", safe="/~")
    pairs = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in query)
    canonical_query = "&".join(f"{k}={v}" for k, v in pairs)
    lines = "".join(
        f"{name}:{_SPACES.sub(' ', headers.get(name, '').strip())}\n" for name in signed_headers
    )
    payload = hashlib.sha256(body).hexdigest()
    return "\n".join([method, uri, canonical_query, lines, ";".join(signed_headers), payload])


def signature(secret: str, auth: Authorization, amz_date: str, canonical: str) -> str:
    to_sign = "\n".join(
        [ALGORITHM, amz_date, auth.scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + secret).encode()
    for part in (auth.date, auth.region, auth.service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def verify(secret: str, auth: Authorization, amz_date: str, canonical: str) -> None:
    """Raise SignatureError unless the request was signed with ``secret``."""
    expected = signature(secret, auth, amz_date, canonical)
    if not hmac.compare_digest(expected, auth.signature):
        raise SignatureError(
            "mismatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
        )
