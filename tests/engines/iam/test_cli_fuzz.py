"""The command line never prints a traceback, whatever it is given (hypothesis).

Every input ends in exit status 0 (a result) or 2 (a JSON error object on standard output);
status 1, the engine's last-resort "internal error", must never be needed.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.engines.iam.__main__ import main

from .test_properties import scenarios

REPO = Path(__file__).resolve().parents[3]
SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["*", "s3:*", "arn:aws:s3:::b/*", "${aws:username}", "2020-01-01", "Allow"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
KEYS = st.sampled_from(
    [
        "principal",
        "identity_policies",
        "resource_policy",
        "boundary",
        "session_policy",
        "scps",
        "rcps",
        "request",
        "resource_account",
        "Statement",
        "Version",
    ]
)


@st.composite
def damaged_scenarios(draw):
    """A valid scenario with one value somewhere replaced by arbitrary JSON."""
    doc = draw(scenarios())
    target = doc
    for _ in range(draw(st.integers(0, 4))):
        children = (
            [k for k, v in target.items() if isinstance(v, dict)]
            if isinstance(target, dict)
            else []
        )
        if not children:
            break
        target = target[draw(st.sampled_from(sorted(children)))]
    key = draw(KEYS | st.text(max_size=10))
    target[key] = draw(JSON)
    return doc


def cli(args: list[str], stdin: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    old = sys.stdin
    sys.stdin = fake_stdin
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def check(args: list[str], stdin: bytes) -> None:
    code, out, err = cli(args, stdin)
    assert code in (0, 2), out
    assert err == ""
    answer = json.loads(out)
    assert ("decision" in answer or "valid" in answer) if code == 0 else "error" in answer


@SETTINGS
@given(JSON)
def test_evaluate_answers_any_json_in_json(value):
    check(["evaluate"], json.dumps(value).encode())


@SETTINGS
@given(damaged_scenarios())
def test_evaluate_answers_damaged_scenarios_in_json(doc):
    check(["evaluate"], json.dumps(doc).encode())


@SETTINGS
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_evaluate_answers_any_bytes_in_json(data):
    check(["evaluate"], data)


@SETTINGS
@given(JSON, st.sampled_from(["identity", "resource", "boundary", "session", "scp", "rcp"]))
def test_validate_answers_any_json_in_json(value, kind):
    check(["validate", "--kind", kind], json.dumps(value).encode())


def test_huge_integers_and_deep_nesting_are_json_errors():
    check(["evaluate"], b"9" * 5000)
    check(["evaluate"], b"[" * 100_000)
    check(["validate"], b'{"Statement": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")


def test_the_real_command_prints_no_traceback_on_bad_bytes(tmp_path):
    for data in (b"\xff\xfe\x00garbage", b'{"principal": "\xc3\x28"}', b""):
        proc = subprocess.run(
            [sys.executable, "-m", "studyapp.engines.iam", "evaluate"],
            input=data,
            capture_output=True,
            cwd=REPO,
            timeout=30,
        )
        assert proc.returncode == 2 and proc.stderr == b"", proc.stderr
        assert "error" in json.loads(proc.stdout)
    proc = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.iam", "evaluate", str(tmp_path)],
        capture_output=True,
        cwd=REPO,
        timeout=30,
    )
    assert proc.returncode == 2 and proc.stderr == b""
    assert "cannot read" in json.loads(proc.stdout)["error"]
