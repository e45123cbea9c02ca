"""The wildcard matcher (wildcard.py): the same answers as a plain reference, in linear time.

RESOURCE = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
The reference below is a dynamic program over (pattern position, value position), the
fnmatch way, written from the rules and nothing else: ``*`` any run, ``?`` one character;
in segment mode (the Resource element) neither crosses a colon unless the ``*`` is the last
character of its segment.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.engines.iam import wildcard
from studyapp.engines.iam.match import GlobSet, match_once
from studyapp.engines.iam.wildcard import compile_arn, compile_glob, compile_pattern

SETTINGS = settings(max_examples=2000, deadline=None, database=None)


def reference(pieces, value: str, segment: bool) -> bool:
    tokens = []
    for text, literal in pieces:
        for ch in text:
            tokens.append(("c", ch) if literal or ch not in "*?" else (ch,))
    m, n = len(tokens), len(value)

    def spans(j: int) -> bool:  # may the star at j cross a colon?
        if not segment or j + 1 == m or tokens[j + 1] == ("c", ":"):
            return True
        return tokens[j + 1] == ("*",) and spans(j + 1)

    @cache
    def go(i: int, j: int) -> bool:
        if j == m:
            return i == n
        tok = tokens[j]
        if tok == ("*",):
            if go(i, j + 1):
                return True
            return i < n and (spans(j) or value[i] != ":") and go(i + 1, j)
        if i == n:
            return False
        if tok == ("?",):
            return (not segment or value[i] != ":") and go(i + 1, j + 1)
        return value[i] == tok[1] and go(i + 1, j + 1)

    return go(0, 0)


PATTERN_TEXT = st.text(alphabet="ab:/*?", max_size=9)
VALUES = st.text(alphabet="ab:/", max_size=12)
PIECES = st.lists(st.tuples(PATTERN_TEXT, st.booleans()), min_size=1, max_size=3)


@SETTINGS
@given(PIECES, VALUES, st.booleans())
def test_pattern_pieces_agree_with_the_reference(pieces, value, segment):
    assert compile_pattern(pieces, segment)(value) == reference(pieces, value, segment)


@SETTINGS
@given(PATTERN_TEXT, VALUES, st.booleans())
def test_pattern_strings_agree_with_the_reference(pattern, value, segment):
    expected = reference([(pattern, False)], value, segment)
    assert compile_glob(pattern, segment)(value) == expected
    assert match_once(pattern, value, {}, False, False, segment) == expected


@SETTINGS
@given(st.lists(PATTERN_TEXT, min_size=1, max_size=4), VALUES, st.booleans())
def test_a_set_of_patterns_agrees_first_time_and_after(patterns, value, segment):
    expected = any(reference([(p, False)], value, segment) for p in patterns)
    globs = GlobSet(patterns, segment=segment)
    assert globs.match(value, {}) == expected  # first use: each pattern as it is
    assert globs.match(value, {}) == expected  # then sorted and compiled
    assert globs.match(value, {}) == expected


COMPONENT = st.text(alphabet="ab/*?", max_size=5)
COMPONENT_VALUE = st.text(alphabet="ab/", max_size=5)


@SETTINGS
@given(
    st.lists(COMPONENT, min_size=5, max_size=5),
    PATTERN_TEXT,
    st.lists(COMPONENT_VALUE, min_size=5, max_size=5),
    VALUES,
)
def test_arn_like_checks_each_of_the_six_components(parts, last, values, last_value):
    pattern, value = ":".join([*parts, last]), ":".join([*values, last_value])
    expected = all(
        reference([(p, False)], v, False) for p, v in zip(parts, values, strict=True)
    ) and reference([(last, False)], last_value, False)
    assert compile_arn([(pattern, False)])(value) == expected


def test_actions_ignore_case():
    assert GlobSet(["S3:Get*"], ignore_case=True).match("s3:getobject", {})


# --- hostile patterns: the work grows with the input, never exponentially


def steps(fn) -> int:
    """Python lines run plus C functions called while ``fn`` runs: a count of the work that
    does not depend on the machine's speed."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        count += 1
        return local

    def on_call(frame, event, arg):
        nonlocal count
        count += 1
        return local

    def on_c_call(frame, event, arg):
        nonlocal count
        if event == "c_call":
            count += 1

    sys.settrace(on_call)
    sys.setprofile(on_c_call)
    try:
        fn()
    finally:
        sys.settrace(None)
        sys.setprofile(None)
    return count


HOSTILE = [
    # The report: "arn:aws:s3:::" + "a*"*6 + "b" against 200 "a"s held a worker 30 s.
    ("arn:aws:s3:::" + "a*" * 6 + "b", "arn:aws:s3:::", "a", True),
    ("*a" * 40 + "b", "", "a", False),
    ("*a" * 40 + "b", "", "a", True),
    ("a?" * 20 + "*" + "?a*" * 20 + "b", "", "a", False),
    ("*a:" * 20 + "*?b", "", "a:", True),
    ("arn:aws:s3:::*" + "/*" * 39 + "x", "arn:aws:s3:::", "/", True),
    ("*:a*" * 20 + "b", "", ":a", True),
    # The suffix matches, so every middle run is looked for.
    ("*a" * 40 + "*c*b", "", "ab", False),
    ("arn:aws:s3:::" + "*a" * 40 + "*c*b", "arn:aws:s3:::", "ab", True),
]


@pytest.mark.parametrize(("pattern", "prefix", "unit", "segment"), HOSTILE)
def test_hostile_patterns_take_linear_work(pattern, prefix, unit, segment):
    assert pattern.count("*") + pattern.count("?") >= 6

    def value(n: int) -> str:
        return prefix + unit * (n // len(unit))

    matcher = compile_glob(pattern, segment)
    small = steps(lambda: matcher(value(3000)))
    large = steps(lambda: matcher(value(6000)))
    assert small <= 12 * (3000 + len(pattern)), small
    assert large <= 2.2 * small, (small, large)
    assert matcher(value(3000)) == reference([(pattern, False)], value(300), segment)


def test_forty_wildcards_against_three_thousand_characters_in_a_policy():
    from studyapp.engines.iam import run

    pattern = "arn:aws:s3:::" + "a*" * 40 + "b"
    doc = {
        "principal": "arn:aws:iam::111122223333:user/alice",
        "identity_policies": [
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": pattern}],
            }
        ],
        "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::" + "a" * 3000},
    }
    assert steps(lambda: run(doc)) < 60_000
    assert run(doc).decision == "ImplicitDeny"


def test_hostile_requests_finish_in_well_under_a_second():
    # A backstop the step count cannot give: it does not see inside C code (str.find, or a
    # regular expression engine, should one come back). The regex version took 30 s on 200
    # characters; linear matching takes milliseconds, so one second is only a tripwire.
    import time

    from studyapp.engines.iam import run

    start = time.perf_counter()
    for pattern, prefix, unit, _segment in HOSTILE:
        doc = {
            "principal": "arn:aws:iam::111122223333:user/alice",
            "identity_policies": [
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": pattern},
                        {
                            "Effect": "Allow",
                            "Action": "s3:GetObject",
                            "Resource": "*",
                            "Condition": {"StringLike": {"s3:prefix": pattern}},
                        },
                    ],
                }
            ],
            "request": {
                "action": "s3:GetObject",
                "resource": prefix + unit * (3000 // len(unit)),
                "context": {"s3:prefix": prefix + unit * (3000 // len(unit))},
            },
        }
        run(doc)
    assert time.perf_counter() - start < 1.0


def test_the_matcher_uses_no_regular_expressions():
    source = Path(wildcard.__file__).read_text(encoding="utf-8")
    assert "import re" not in source and "from re " not in source
