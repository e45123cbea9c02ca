"""One preset loader for every simulator: one error contract, file:line, never a 500."""

from __future__ import annotations

import json
import logging
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from studyapp.sims import presets

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path, settings):
    """A copy of content/scenarios to break files in."""
    shutil.copytree(django_settings.CONTENT_DIR / "scenarios", tmp_path / "scenarios")
    settings.CONTENT_DIR = tmp_path
    return tmp_path / "scenarios"


BROKEN = {
    "not-json": ('{\n  "title": "x",\n  "steps": [\n    {"Action": "CreateQueue",}\n  ]\n}', 4),
    "not-an-object": ("[1, 2]", 1),
    "no-steps": ('{"title": "x"}', 1),
    "step-not-an-object": ('{\n  "title": "x",\n  "steps": [\n    {"Action": "ListQueues"},\n    7\n  ]\n}', 5),
    "unknown-action": ('{\n  "steps": [\n    {"Action": "ListQueues"},\n    {"Action": "Explode"}\n  ]\n}', 4),
    "title-not-text": ('{"title": 5, "steps": []}', 1),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_preset_names_its_file_and_line(content, case):
    text, line = BROKEN[case]
    (content / "sqs" / f"{case}.json").write_text(text, encoding="utf-8")
    with pytest.raises(presets.PresetError) as caught:
        presets.load(presets.SQS, case)
    error = caught.value
    assert (error.path.name, error.line) == (f"{case}.json", line)
    assert str(error).startswith(f"{content / 'sqs' / case}.json:{line}: ")


def test_a_broken_preset_is_left_out_of_the_picker_with_a_warning(content, caplog):
    (content / "kinesis" / "zz-broken.json").write_text("{", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="studyapp.sims.presets"):
        names = [p.name for p in presets.available(presets.KINESIS)]
    assert "zz-broken" not in names and "even-load" in names
    assert "zz-broken.json:1: invalid JSON" in caplog.text


def test_names_are_looked_up_never_joined_into_a_path(content):
    for name in ("../sqs/purge-queue", "purge-queue.json", "", "PURGE-QUEUE", "a/b", None):
        with pytest.raises(presets.PresetNotFound):
            presets.load(presets.SQS, name)


def test_a_changed_file_is_read_again(content):
    path = content / "sqs" / "purge-queue.json"
    assert presets.load(presets.SQS, "purge-queue").title == "PurgeQueue"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "title": "Purge, again"}), encoding="utf-8")
    assert presets.load(presets.SQS, "purge-queue").title == "Purge, again"


def test_every_real_preset_runs_through_its_engine():
    checked, problems = presets.problems()
    assert problems == []
    assert checked == sum(
        len(list((django_settings.CONTENT_DIR / "scenarios" / kind.folder).glob("*.json")))
        for kind in presets.KINDS
    )


def test_the_engine_run_finds_an_unexpected_error_at_its_step(content):
    path = content / "kinesis" / "merge-cold-shards.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    step = int(next(iter(data["expected_errors"])))
    data["expected_errors"] = {}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    _checked, problems = presets.problems(content.parent)
    assert len(problems) == 1
    assert problems[0].line == presets.Lines(path.read_text()).line(f"steps[{step}]")
    assert f"step {step} fails: InvalidArgumentException" in problems[0].message


def test_an_iam_preset_with_a_wrong_decision_points_at_expected(content):
    path = content / "iam" / "explicit-deny-wins.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "expected": "Allow"}, indent=2), encoding="utf-8")
    _checked, problems = presets.problems(content.parent)
    assert [(p.path.name, p.message) for p in problems] == [
        ("explicit-deny-wins.json", "the engine decides ExplicitDeny, not Allow")
    ]
    assert problems[0].line == presets.Lines(path.read_text()).line("expected")


def test_an_iam_preset_with_a_bad_policy_names_the_line_of_the_statement(content):
    path = content / "iam" / "zz-bad.json"
    text = (
        '{\n  "principal": "arn:aws:iam::111122223333:user/a",\n  "identity_policies": [\n'
        '    {"Statement": [\n      {"Effect": "Perhaps", "Action": "*", "Resource": "*"}\n'
        '    ]}\n  ],\n  "request": {"action": "s3:GetObject", "resource": "*"}\n}'
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(presets.PresetError) as caught:
        presets.load(presets.IAM, "zz-bad")
    assert caught.value.line == 5
    assert "Effect" in caught.value.message


def test_validate_content_reports_a_broken_preset_with_file_and_line(tmp_path):
    shutil.copytree(django_settings.CONTENT_DIR, tmp_path / "content")
    broken = tmp_path / "content" / "scenarios" / "dynamodb" / "zz-broken.json"
    broken.write_text('{\n  "steps": 3\n}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"zz-broken\.json:2: a scenario is an object"):
        call_command("validate_content", "--content-dir", str(tmp_path / "content"))


def test_validate_content_counts_the_presets(capsys):
    call_command("validate_content")
    checked, _problems = presets.problems()
    assert f"simulator presets: {checked} run through their engines" in capsys.readouterr().out


def test_lines_of_a_json_document():
    text = '{\n  "a": [\n    1,\n    {"b": "x"}\n  ],\n  "c.d": null\n}'
    lines = presets.Lines(text)
    assert [lines.line(p) for p in ("", "a", "a[0]", "a[1]", "a[1].b", "a[1].b.z", "nope")] == [
        1,
        2,
        3,
        4,
        4,
        4,
        1,
    ]


@pytest.mark.parametrize(
    ("page", "field", "kind"),
    [("sims:sqs", "preset", "sqs"), ("sims:kinesis", "name", "kinesis"), ("sims:iam", "", "iam")],
)
def test_a_malformed_preset_never_gives_a_500(content, page, field, kind, caplog):
    """Security review: a malformed content/scenarios/<kind>/*.json made every page a 500."""
    (content / kind / "aa-broken.json").write_text('{"title": "Broken", "steps": [', "utf-8")
    (content / kind / "ab-wrong.json").write_text('{"title": "Wrong", "principal": 5}', "utf-8")
    client = Client(raise_request_exception=False)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert "aa-broken" not in response.content.decode()
    if field:
        answer = client.post(reverse(f"{page}-preset"), {field: "aa-broken"})
    else:
        answer = client.get(reverse(page), {"preset": "aa-broken"})
    assert answer.status_code == 400
    assert "could not be read" in answer.content.decode()
    assert "aa-broken.json:1" in caplog.text
