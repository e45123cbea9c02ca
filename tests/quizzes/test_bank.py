"""The question bank as loaded: size, coverage, style rules of the issue."""

import pytest

from studyapp.notes.models import Topic
from studyapp.quizzes.models import Question

pytestmark = pytest.mark.django_db


def test_bank_has_200_questions_with_a_quarter_multiple_response():
    questions = Question.objects.active()
    assert questions.count() >= 200
    multiple = questions.filter(kind="multiple").count()
    assert multiple / questions.count() >= 0.25


def test_every_domain_has_enough_questions_for_a_mock_exam():
    from studyapp.quizzes.services import domain_quota

    for domain, needed in domain_quota().items():
        assert Question.objects.active().filter(domain=domain).count() >= needed


def test_every_section_of_the_notes_is_covered():
    uncovered = []
    for topic in Topic.objects.active().filter(level__gte=2).exclude(word_count=0):
        subtree = Topic.objects.active().filter(order__gte=topic.order)
        following = (
            Topic.objects.active()
            .filter(order__gt=topic.order, level__lte=topic.level)
            .order_by("order")
            .first()
        )
        if following:
            subtree = subtree.filter(order__lt=following.order)
        if not Question.objects.active().filter(topic__in=subtree).exists():
            uncovered.append(topic.slug)
    assert uncovered == []


def test_every_question_has_four_options_reasons_and_sources():
    for question in Question.objects.active().prefetch_related("choices"):
        choices = list(question.choices.all())
        assert len(choices) >= 4, question.key
        assert all(choice.why_html for choice in choices if not choice.correct), question.key
        assert question.sources and all(url.startswith("https://") for url in question.sources), (
            question.key
        )
        assert question.explanation_html, question.key


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "dated"),
    [
        ("q-kin-sql-analytics-discontinued", "January 27, 2026."),
        ("q-lambda-go-runtime", "was deprecated in 2026."),
    ],
)
def test_explanations_keep_the_year_of_their_dates(key, dated):
    html = Question.objects.get(key=key).explanation_html
    assert "<ol" not in html
    assert dated in " ".join(html.split())
