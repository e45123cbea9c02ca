"""Signature Version 4 against AWS's own worked example (no SDK needed).

The IAM User Guide's example ("Create a signed AWS API request", and the General Reference's
SigV4 examples it replaced): GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08
at 20150830T123600Z in us-east-1, secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY; the canonical
request hashes to f536975d...1a59 and the signature is 5d672d79...b5d7.
"""

import hashlib
from datetime import UTC, datetime

import pytest

from studyapp.awsapi import sigv4

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
HEADER = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, "
    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
)
HEADERS = {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    "host": "iam.amazonaws.com",
    "x-amz-date": "20150830T123600Z",
}


def example_canonical(auth):
    return sigv4.canonical_request(
        "GET",
        "/",
        [("Version", "2010-05-08"), ("Action", "ListUsers")],
        HEADERS,
        auth.signed_headers,
        b"",
    )


def test_the_documented_example_canonical_request_and_signature():
    auth = sigv4.parse(HEADER)
    assert (auth.access_key_id, auth.region, auth.service) == ("AKIDEXAMPLE", "us-east-1", "iam")
    canonical = example_canonical(auth)
    assert (
        hashlib.sha256(canonical.encode()).hexdigest()
        == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
    )
    sigv4.verify(SECRET, auth, "20150830T123600Z", canonical)


def test_any_other_secret_or_request_does_not_match():
    auth = sigv4.parse(HEADER)
    with pytest.raises(sigv4.SignatureError) as wrong:
        sigv4.verify(SECRET[:-1] + "X", auth, "20150830T123600Z", example_canonical(auth))
    assert wrong.value.kind == "mismatch"
    other = sigv4.canonical_request("GET", "/", [], HEADERS, auth.signed_headers, b"")
    with pytest.raises(sigv4.SignatureError):
        sigv4.verify(SECRET, auth, "20150830T123600Z", other)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request",
        HEADER.replace("aws4_request", "aws5_request"),
        HEADER.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
    ],
)
def test_a_missing_or_malformed_header_is_refused(header):
    with pytest.raises(sigv4.SignatureError) as refused:
        sigv4.parse(header)
    assert refused.value.kind in {"missing", "malformed"}


def test_a_date_more_than_five_minutes_away_has_expired():
    now = datetime(2015, 8, 30, 12, 36, 0, tzinfo=UTC)
    assert sigv4.request_time("20150830T123600Z", "20150830", now) == now
    sigv4.request_time("20150830T124100Z", "20150830", now)  # five minutes ahead: still fine
    for late in ("20150830T124101Z", "20150830T123059Z"):
        with pytest.raises(sigv4.SignatureError) as expired:
            sigv4.request_time(late, "20150830", now)
        assert expired.value.kind == "expired"


def test_the_date_must_match_the_credential_scope():
    now = datetime(2015, 8, 30, 12, 36, 0, tzinfo=UTC)
    with pytest.raises(sigv4.SignatureError) as refused:
        sigv4.request_time("20150830T123600Z", "20150831", now)
    assert refused.value.kind == "mismatch"
    with pytest.raises(sigv4.SignatureError):
        sigv4.request_time("yesterday", "20150830", now)
