"""The readiness page's table of mock exams rendered in Python: a row a finished exam (up to
selectors.EXAMS_SHOWN), and the template language's tags, filters and variables cost more per
row than reading the exams."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from studyapp.readiness.charts import day_text

register = template.Library()


@register.filter
def exam_rows(exams) -> SafeString:
    """A row per selectors.ExamComparison: the exam's day (a link to its results), the score
    predicted before it with its range ("too little data" when the model had too little,
    "…" while not computed yet), the score it gave, and the difference."""
    language = get_language()
    rows = []
    for exam in exams:
        attempt, forecast, difference = exam.attempt, exam.forecast, exam.difference
        if forecast is not None and forecast.score:
            predicted = format_html(
                '{} <span class="range">({}–{})</span>', forecast.score, forecast.low, forecast.high
            )
        elif forecast is not None:
            predicted = escape(_("too little data"))
        else:
            predicted = "…"
        rows.append(
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a></th><td class="num">{}</td>'
                '<td class="num">{}</td><td class="num">{}</td></tr>',
                reverse("quizzes:exam_results", args=[attempt.pk]),
                day_text(timezone.localdate(attempt.finished_at), language),
                predicted,
                attempt.scaled_score,
                "" if difference is None else f"{difference:+d}" if difference > 0 else difference,
            )
        )
    return SafeString("".join(rows))
