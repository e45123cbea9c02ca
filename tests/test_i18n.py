"""Spanish (and any language) gets its own plural forms and date formats (#14 item 14)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def messages(name: str) -> str:
    return templatize((TEMPLATES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("template", "msgid"),
    [
        ("quizzes/exam_results.html", "%(right)s/%(total)s correct"),
        ("quizzes/exam_question.html", "%(n)s of %(total)s answered"),
        ("quizzes/_set_score.html", "A set of %(size)s question: your score shows as you go."),
        ("live/host.html", "%(a)s of %(n)s answered"),
        ("notes/guide.html", "%(cards)s of %(total_cards)s cards studied"),
        ("notes/guide.html", "%(questions)s of %(total_questions)s questions answered"),
        ("cards/today.html", "%(n)s due"),
    ],
)
def test_counted_messages_have_plural_forms(template, msgid):
    """A translator can only write "1 correcta" and "2 correctas" for a plural message."""
    assert f"ngettext(u'{msgid}'" in messages(template)


def test_no_template_translates_a_bare_adjective_that_agrees_with_a_count():
    """ "correct" after "61/65" was translated once, as a plural ("correctas"), and the live
    quiz showed that plural beside its single right answer."""
    for path in TEMPLATES.rglob("*.html"):
        found = re.findall(r"gettext\(u'(correct|right|wrong)'\)", templatize(path.read_text()))
        assert not [word for word in found if word == "correct"], path


@pytest.mark.django_db
def test_exam_history_dates_follow_the_language(client, learner):
    from studyapp.quizzes.models import ExamAttempt

    started = datetime(2026, 11, 27, 21, 5, tzinfo=UTC)
    ExamAttempt.objects.create(
        user=learner,
        started_at=started,
        deadline=started + timedelta(hours=2),
        finished_at=started + timedelta(hours=1),
    )
    client.force_login(learner)
    with translation.override("en"):
        english = client.get("/exam/").content.decode()
    client.cookies["django_language"] = "es"
    with translation.override("en"):
        spanish = client.get("/exam/").content.decode()
    assert "11/27/2026 9:05 p.m." in english
    assert "27/11/2026 21:05" in spanish
