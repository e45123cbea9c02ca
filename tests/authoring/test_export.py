import json

import pytest
from django.core.management import call_command

from studyapp.notes.models import Topic


@pytest.mark.django_db
def test_export_content_prints_every_topic(capsys):
    call_command("export_content", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    topics = document["topics"]
    assert len(topics) == Topic.objects.active().count()
    assert len([topic for topic in topics if topic["kind"] == "notes"]) == 49
    assert topics[0] == {
        "slug": "aws-developer",
        "kind": "notes",
        "title": "AWS DEVELOPER",
        "parent": None,
        "level": 1,
        "order": 0,
        "tasks": [],
    }
    by_slug = {topic["slug"]: topic for topic in topics}
    assert by_slug["iam-policies"]["parent"] == "permisos"
    assert by_slug["iam-policies"]["level"] == 4
    assert [topic["order"] for topic in topics] == sorted(topic["order"] for topic in topics)


@pytest.mark.django_db
def test_validate_content_reports_ok(capsys):
    call_command("validate_content")
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    assert "40 errata" in out
    assert "qualifier share: " in out


@pytest.mark.django_db
def test_export_content_includes_cards_and_questions(capsys):
    call_command("export_content", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    card = document["cards"][0]
    assert set(card) == {"id", "topic", "task", "kind", "front", "back", "sources"}
    assert card["task"] and card["sources"]
    assert card["kind"] in {"basic", "reversed", "cloze"}
    question = document["questions"][0]
    assert set(question) == {
        "id",
        "topic",
        "task",
        "domain",
        "kind",
        "stem",
        "choices",
        "explanation",
        "sources",
    }
    assert question["domain"] == int(question["task"].split(".")[0])
    assert all(set(choice) == {"text", "correct"} for choice in question["choices"])
    kinds = {q["kind"] for q in document["questions"]}
    assert kinds == {"single", "multiple"}
    for q in document["questions"]:
        correct = sum(choice["correct"] for choice in q["choices"])
        assert (correct > 1) == (q["kind"] == "multiple")


@pytest.mark.django_db
def test_export_content_includes_the_exam_guide_and_guide_pages(capsys):
    call_command("export_content", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    domains = document["domains"]
    assert [domain["number"] for domain in domains] == [1, 2, 3, 4]
    assert [domain["weight"] for domain in domains] == [32, 26, 24, 18]
    assert sum(len(domain["tasks"]) for domain in domains) == 13
    assert all(sum(task["weight"] for task in domain["tasks"]) == 100 for domain in domains)
    guide_pages = [topic for topic in document["topics"] if topic["kind"] == "guide"]
    for page in guide_pages:
        assert page["tasks"] and page["body"].strip()
