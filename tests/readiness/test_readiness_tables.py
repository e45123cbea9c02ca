"""The readiness page's exam table, rendered by a filter (readiness_tables.exam_rows): the
same rows the template wrote, in English and Spanish."""

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from studyapp.quizzes.models import ExamAttempt
from studyapp.readiness.models import ExamForecast
from studyapp.readiness.selectors import ExamComparison
from studyapp.readiness.templatetags.readiness_tables import exam_rows

# The rows as the template wrote them before the filter.
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% for exam in exams %}
            <tr>
              <th scope="row"><a href="{% url 'quizzes:exam_results' exam.attempt.pk %}">{{ exam.attempt.finished_at|date:"DATE_FORMAT" }}</a></th>
              <td class="num">{% if exam.forecast.score %}{{ exam.forecast.score }} <span class="range">({{ exam.forecast.low }}–{{ exam.forecast.high }})</span>{% elif exam.forecast %}{% translate "too little data" %}{% else %}…{% endif %}</td>
              <td class="num">{{ exam.attempt.scaled_score }}</td>
              <td class="num">{% if exam.difference is not None %}{% if exam.difference > 0 %}+{% endif %}{{ exam.difference }}{% endif %}</td>
            </tr>
          {% endfor %}"""
)


def comparisons() -> list[ExamComparison]:
    def attempt(pk, day, score):
        finished = datetime(2026, 11, day, 23, 30, tzinfo=UTC)  # late: the local day matters
        return ExamAttempt(pk=pk, finished_at=finished, scaled_score=score)

    def forecast(score, low=None, high=None):
        return ExamForecast(score=score, low=low, high=high)

    return [
        ExamComparison(attempt(11, 2, 744), forecast(700, 640, 760)),  # scored above
        ExamComparison(attempt(12, 9, 612), forecast(655, 590, 720)),  # below
        ExamComparison(attempt(13, 16, 700), forecast(700, 650, 750)),  # the same
        ExamComparison(attempt(14, 23, 350), forecast(None)),  # too little data then
        ExamComparison(attempt(15, 30, 1000), None),  # not computed yet
    ]


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_filter_writes_the_rows_the_template_wrote(language, settings):
    settings.TIME_ZONE = "Europe/Madrid"  # 23:30 UTC is the next day there
    exams = comparisons()
    with translation.override(language):
        ours = exam_rows(exams)
        theirs = TEMPLATE_ROWS.render(Context({"exams": exams}))
    assert squeeze(ours) == squeeze(theirs)
    assert ours.count("<tr>") == 5 and "+44" in ours and ">-43<" in ours and ">0<" in ours
    assert "…" in ours and ("too little data" if language == "en" else "datos") in ours
    # Madrid's day, in the language's format (the day texts are cached per language)
    assert ("Nov. 3, 2026" if language == "en" else "3 de noviembre de 2026") in ours
