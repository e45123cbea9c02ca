from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from studyapp.notes.views import HtmxHttpRequest

from . import charts, scheduling, stats


@login_required
@require_GET
def statistics(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    now = scheduling.now_utc()
    today = timezone.localdate(now)
    per_day = stats.reviews_per_day(user, today)
    forecast = stats.due_forecast(user, now)
    labels = [(today + timedelta(days=i)).strftime("%d %b") for i in range(len(forecast))]
    retention = stats.true_retention(user)
    return render(
        request,
        "cards/stats.html",
        {
            "heatmap": charts.heatmap(per_day, today),
            "forecast_chart": charts.bar_chart(
                forecast, labels, title=_("Cards due in each of the next 30 days")
            ),
            "forecast": list(zip(labels, forecast, strict=True)),
            "reviews_today": per_day.get(today, 0),
            "reviews_total": sum(per_day.values()),
            "retention": retention,
            "states": stats.state_counts(user),
            "topics": stats.topic_retrievability(user, now),
            "streak": stats.streak(set(per_day), today),
        },
    )
