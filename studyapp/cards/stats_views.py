from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from studyapp.http import HtmxHttpRequest

from . import accuracy, charts, scheduling, stats


@login_required
@require_safe
def statistics(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    now = scheduling.now_utc()
    today = timezone.localdate(now)
    per_day = stats.reviews_per_day(user, today)
    forecast = stats.due_forecast(user, now)
    days = [today + timedelta(days=i) for i in range(len(forecast))]
    labels = [date_format(day, "j M") for day in days]
    retention = stats.true_retention(user)
    practice = accuracy.practice_accuracy(user, today)
    exams = accuracy.exam_accuracy(user, today)
    weeks = [accuracy.week_label(week) for week in practice.weeks]
    return render(
        request,
        "cards/stats.html",
        {
            "heatmap": charts.heatmap(per_day, today),
            "forecast_chart": charts.bar_chart(
                forecast,
                labels,
                title=_("Cards due in each of the next 30 days"),
                axis=_("Cards due per day"),
            ),
            "forecast": [
                (date_format(day, "DATE_FORMAT"), count)
                for day, count in zip(days, forecast, strict=True)
            ],
            "reviews_today": per_day.get(today, 0),
            "reviews_total": sum(per_day.values()),
            "retention": retention,
            "states": stats.state_counts(user),
            "topics": stats.topic_retrievability(user, now),
            "streak": stats.streak(set(per_day), today),
            "accuracy": [
                (
                    "practice",
                    _("Practice questions"),
                    practice,
                    charts.line_chart(
                        practice.series(),
                        weeks,
                        title=_("Practice accuracy by domain, week by week"),
                    ),
                ),
                (
                    "exam",
                    _("Mock exams"),
                    exams,
                    charts.line_chart(
                        exams.series(), weeks, title=_("Mock exam accuracy by domain, week by week")
                    ),
                ),
            ],
        },
    )
