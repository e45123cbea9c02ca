"""The command line: ``python -m studyapp.engines.iam evaluate [FILE]``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCENARIO = {
    "principal": "arn:aws:iam::111122223333:user/alice",
    "identity_policies": [
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
        }
    ],
    "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"},
}


def cli(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "studyapp.engines.iam", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=30,
    )


def test_evaluate_reads_standard_input():
    proc = cli("evaluate", stdin=json.dumps(SCENARIO))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["decision"] == "Allow"
    assert out["trace"][0]["step"] == "explicit-deny"
    assert out["deciding"][0]["policy"] == "identity_policies[0]"


def test_evaluate_reads_a_file(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({**SCENARIO, "request": {"action": "s3:PutObject", "resource": "*"}})
    )
    proc = cli("evaluate", str(path))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["decision"] == "ImplicitDeny"


def test_json_syntax_error_gives_line_and_column_and_exit_2():
    proc = cli("evaluate", stdin='{\n  "principal": ,\n}')
    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    assert out["line"] == 2 and out["column"] == 16
    assert "invalid JSON" in out["error"]


def test_grammar_error_gives_path_and_exit_2():
    bad = json.loads(json.dumps(SCENARIO))
    bad["identity_policies"][0]["Statement"][0]["Condition"] = {"StringLike": {"s3:prefix": {}}}
    proc = cli("evaluate", stdin=json.dumps(bad))
    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    assert out["path"] == "identity_policies[0].Statement[0].Condition.StringLike.s3:prefix"


def test_missing_file_is_a_json_error():
    proc = cli("evaluate", "/nonexistent/scenario.json")
    assert proc.returncode == 2
    assert "cannot read" in json.loads(proc.stdout)["error"]


def test_validate_lists_warnings():
    policy = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"},
    }
    proc = cli("validate", stdin=json.dumps(policy))
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    assert out["valid"] is True and out["warnings"][0]["code"] == "allow-all"
