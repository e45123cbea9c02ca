import json

import pytest
from django.core.management import call_command

from studyapp.notes.models import Topic


@pytest.mark.django_db
def test_export_content_prints_every_topic(capsys):
    call_command("export_content", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    topics = document["topics"]
    assert len(topics) == Topic.objects.active().count() == 49
    assert topics[0] == {
        "slug": "aws-developer",
        "title": "AWS DEVELOPER",
        "parent": None,
        "level": 1,
        "order": 0,
    }
    by_slug = {topic["slug"]: topic for topic in topics}
    assert by_slug["iam-policies"]["parent"] == "permisos"
    assert by_slug["iam-policies"]["level"] == 4
    assert [topic["order"] for topic in topics] == sorted(topic["order"] for topic in topics)


@pytest.mark.django_db
def test_validate_content_reports_ok(capsys):
    call_command("validate_content")
    assert capsys.readouterr().out.startswith("OK: 49 topics, 40 errata, ")


@pytest.mark.django_db
def test_export_content_includes_cards_and_questions(capsys):
    call_command("export_content", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    card = document["cards"][0]
    assert set(card) == {"id", "topic", "kind", "front", "back"}
    assert card["kind"] in {"basic", "reversed", "cloze"}
    question = document["questions"][0]
    assert set(question) == {"id", "topic", "domain", "kind", "stem", "choices", "explanation"}
    assert all(set(choice) == {"text", "correct"} for choice in question["choices"])
    kinds = {q["kind"] for q in document["questions"]}
    assert kinds == {"single", "multiple"}
    for q in document["questions"]:
        correct = sum(choice["correct"] for choice in q["choices"])
        assert (correct > 1) == (q["kind"] == "multiple")
