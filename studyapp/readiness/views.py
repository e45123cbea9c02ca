"""The readiness page and the home page's readiness panel: thin views over the model."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from studyapp.cards import scheduling
from studyapp.http import HtmxHttpRequest

from . import charts, selectors, services


@login_required
@require_safe
def readiness(request: HtmxHttpRequest) -> HttpResponse:
    now = scheduling.now_utc()
    shown = selectors.latest_exams(request.user)
    services.forecasts_fill(user=request.user, now=now, shown=shown)
    prediction = services.readiness_now(user=request.user, now=now)
    snapshots, exams = selectors.history(request.user, now, shown)
    study_next = [
        (item, selectors.study_links(item.evidence.code)) for item in prediction.study_next
    ]
    context = {
        "prediction": prediction,
        "study_next": study_next,
        "chart": charts.score_history(snapshots, exams, timezone.localdate(now)),
        "exams": exams,
    }
    return render(request, "readiness/readiness.html", context)


@require_safe
def panel(request: HtmxHttpRequest) -> HttpResponse:
    """The home page's panel (loaded by htmx): the predicted score and what to study next."""
    prediction = None
    if request.user.is_authenticated:
        prediction = services.readiness_now(user=request.user, now=scheduling.now_utc())
    return render(request, "readiness/panel.html", {"prediction": prediction})
