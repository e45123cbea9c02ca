import random
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.http import HtmxHttpRequest
from studyapp.notes.models import TaskStatement, Topic

from . import scheduling, selectors, services
from .forms import CramGradeForm, GradeForm, SettingsForm
from .models import Card

RATING_LABELS = [(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")]
CRAM_SESSION_KEY = "cram"


@dataclass(frozen=True)
class Scope:
    """What part of the deck a review covers: everything, one topic, or one exam task."""

    topic: Topic | None = None
    task: TaskStatement | None = None

    @property
    def fields(self) -> list[tuple[str, str]]:
        fields = [("topic", self.topic.slug)] if self.topic else []
        return fields + ([("task", self.task.code)] if self.task else [])

    @property
    def query(self) -> str:
        return f"?{urlencode(self.fields)}" if self.fields else ""

    @property
    def title(self) -> str:
        if self.task:
            return f"{self.task.code} {self.task.title}"
        return (self.topic.display_title or self.topic.title) if self.topic else ""


def _scope_from(request) -> Scope:
    code = request.GET.get("task") or request.POST.get("task") or ""
    task = None
    if code:
        task = TaskStatement.objects.filter(code=code[:8]).first() if "\x00" not in code else None
        if task is None:
            raise Http404(_("No task statement with that number."))
    return Scope(_topic_from(request), task)


def _topic_from(request) -> Topic | None:
    slug = request.GET.get("topic") or request.POST.get("topic") or ""
    if not slug:
        return None
    # A NUL never names a topic, and PostgreSQL refuses it in a query: answer 404, not 500.
    topic = None if "\x00" in slug else Topic.objects.active().filter(slug=slug).first()
    if topic is None:
        raise Http404(_("No topic with that name."))
    return topic


def _review_url(scope: Scope, **params) -> str:
    query = urlencode([*scope.fields, *params.items()])
    return reverse("cards:review") + (f"?{query}" if query else "")


def _panel_context(request, scope: Scope, *, show_answer: bool = False, error: str = ""):
    user = request.user
    settings = services.learner_settings(user)
    now = scheduling.now_utc()
    found = selectors.next_card(user, settings, selectors.deck(user, scope.topic, scope.task), now)
    buttons = []
    if found.card is not None:
        intervals = scheduling.preview(
            scheduling.scheduler_for(settings),
            found.state,
            card_id=found.card.pk,
            user_id=user.pk,
            now=now,
        )
        buttons = [
            {
                "rating": rating,
                "label": _(label),
                "interval": scheduling.format_interval(intervals[rating]),
            }
            for rating, label in RATING_LABELS
        ]
    wait = scheduling.seconds_until(found.learning_wait, now) if found.learning_wait else None
    return {
        "scope": scope,
        "topic": scope.topic,
        "found": found,
        "wait_seconds": wait,
        # A countdown that review.js updates each second (the text is right without it).
        "wait_html": format_html(
            '<span role="timer" data-countdown="{}">{}</span>', wait, scheduling.format_wait(wait)
        )
        if wait
        else "",
        "counts": found.counts,
        "buttons": buttons,
        "key": services.review_key(user.pk, found.card.pk, found.state) if found.card else "",
        "shown_at": int(now.timestamp() * 1000),
        "show_answer": show_answer,
        "show_answer_url": _review_url(scope, show=1),
        "error": error,
        "can_undo": user.reviewlog_set.exists(),
    }


@login_required
@require_safe
@vary_on_headers("HX-Request")
def review(request: HtmxHttpRequest) -> HttpResponse:
    scope = _scope_from(request)
    context = _panel_context(request, scope, show_answer=request.GET.get("show") == "1")
    template = "cards/review.html#panel" if request.htmx else "cards/review.html"
    return render(request, template, context)


def _panel_response(request, scope: Scope, *, status=200, error=""):
    """After a POST: htmx gets the next card's panel; a plain form is redirected (or shown the error)."""
    if request.htmx or error:
        template = "cards/review.html#panel" if request.htmx else "cards/review.html"
        return render(request, template, _panel_context(request, scope, error=error), status=status)
    return redirect(_review_url(scope))


@login_required
@require_POST
def grade(request: HtmxHttpRequest) -> HttpResponse:
    scope = _scope_from(request)
    form = GradeForm(request.POST)
    if not form.is_valid():
        return _panel_response(
            request, scope, status=400, error=_("That grade could not be read. Try again.")
        )
    card = Card.objects.visible_to(request.user).filter(pk=form.cleaned_data["card"]).first()
    if card is None:
        return _panel_response(request, scope, status=400, error=_("That card does not exist."))
    now = scheduling.now_utc()
    shown_at = form.cleaned_data.get("shown_at")
    duration = None
    if shown_at:
        duration = max(0, min(int(now.timestamp() * 1000) - shown_at, 3_600_000))
    try:
        services.review_record(
            user=request.user,
            card=card,
            rating=form.cleaned_data["rating"],
            key=form.cleaned_data["key"],
            now=now,
            duration_ms=duration,
        )
    except services.ReviewError:
        return _panel_response(
            request,
            scope,
            status=409,
            error=_("That card was already graded; here is the next one."),
        )
    return _panel_response(request, scope)


@login_required
@require_POST
def undo(request: HtmxHttpRequest) -> HttpResponse:
    scope = _scope_from(request)
    log = services.review_undo(user=request.user)
    if log is None:
        return _panel_response(request, scope, status=409, error=_("There is no review to undo."))
    if not request.htmx:
        messages.info(request, _("The last review was undone."))
    return _panel_response(request, scope)


# Custom study ("cram"): goes through a topic's cards in random order; the schedule is untouched.


def _cram_queue(request, topic: Topic | None) -> list[int]:
    data = request.session.get(CRAM_SESSION_KEY)
    slug = topic.slug if topic else ""
    if not data or data.get("topic") != slug or request.GET.get("restart"):
        ids = list(selectors.deck(request.user, topic).cards.values_list("pk", flat=True))
        random.shuffle(ids)
        data = {"topic": slug, "queue": ids, "done": 0}
        request.session[CRAM_SESSION_KEY] = data
    return data["queue"]


def _cram_context(request, topic, *, show_answer=False, error=""):
    queue = _cram_queue(request, topic)
    card = Card.objects.visible_to(request.user).filter(pk=queue[0]).first() if queue else None
    return {
        "topic": topic,
        "card": card,
        "left": len(queue),
        "done": request.session[CRAM_SESSION_KEY]["done"],
        "show_answer": show_answer,
        "show_answer_url": reverse("cards:cram")
        + "?"
        + urlencode({"topic": topic.slug if topic else "", "show": 1}),
        "buttons": [{"rating": rating, "label": _(label)} for rating, label in RATING_LABELS],
        "error": error,
    }


@login_required
@require_safe
@vary_on_headers("HX-Request")
def cram(request: HtmxHttpRequest) -> HttpResponse:
    topic = _topic_from(request)
    context = _cram_context(request, topic, show_answer=request.GET.get("show") == "1")
    template = "cards/cram.html#panel" if request.htmx else "cards/cram.html"
    return render(request, template, context)


@login_required
@require_POST
def cram_grade(request: HtmxHttpRequest) -> HttpResponse:
    topic = _topic_from(request)
    form = CramGradeForm(request.POST)
    queue = _cram_queue(request, topic)
    if not form.is_valid():
        # A tampered form: say so (400), for a plain form too, rather than redirect in silence.
        template = "cards/cram.html#panel" if request.htmx else "cards/cram.html"
        error = _("That grade could not be read. Try again.")
        return render(request, template, _cram_context(request, topic, error=error), status=400)
    if not queue or queue[0] != form.cleaned_data["card"]:
        if request.htmx:
            return render(
                request, "cards/cram.html#panel", _cram_context(request, topic), status=409
            )
        return redirect(
            reverse("cards:cram") + "?" + urlencode({"topic": topic.slug if topic else ""})
        )
    card_id = queue.pop(0)
    if form.cleaned_data["rating"] == 1:
        queue.insert(min(len(queue), 3), card_id)  # again: show it again soon
    else:
        request.session[CRAM_SESSION_KEY]["done"] += 1
    request.session.modified = True
    if request.htmx:
        return render(request, "cards/cram.html#panel", _cram_context(request, topic))
    return redirect(reverse("cards:cram") + "?" + urlencode({"topic": topic.slug if topic else ""}))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_view(request: HtmxHttpRequest) -> HttpResponse:
    instance = services.learner_settings(request.user)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your review settings were saved."))
            return redirect("cards:settings")
        return render(request, "cards/settings.html", {"form": form}, status=400)
    return render(request, "cards/settings.html", {"form": form})


@require_safe
def today(request: HtmxHttpRequest) -> HttpResponse:
    """The home page's "today" panel (loaded by htmx): what is due now."""
    counts = None
    if request.user.is_authenticated:
        settings = services.learner_settings(request.user)
        counts = selectors.queue_counts(
            request.user, settings, selectors.deck(request.user), scheduling.now_utc()
        )
    return render(request, "cards/today.html", {"counts": counts})


@login_required
@require_safe
def card_detail(request: HtmxHttpRequest, key: str) -> HttpResponse:
    card = get_object_or_404(
        Card.objects.visible_to(request.user).select_related("topic", "erratum__topic"), key=key
    )
    return render(request, "cards/card.html", {"card": card})
