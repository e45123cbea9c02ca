"""Timed mock exams: 65 questions, a review grid, a scaled score."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from studyapp.cards import scheduling
from studyapp.http import HtmxHttpRequest

from .. import charts, presentation, services
from ..models import Domain, ExamAttempt, ExamItem, Question
from .common import selection

ATTEMPTS_PER_PAGE = 10
TREND_ATTEMPTS = 20


def _attempt(request, attempt_id: int) -> ExamAttempt:
    """The learner's own attempt, scored first if its time ran out."""
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, user=request.user)
    if attempt.finished_at is None and scheduling.now_utc() > attempt.deadline:
        attempt = services.exam_finish(attempt=attempt, now=scheduling.now_utc())
    return attempt


@login_required
@require_safe
def exam_home(request: HtmxHttpRequest) -> HttpResponse:
    services.exam_expire_overdue(user=request.user, now=scheduling.now_utc())
    # What grows with study is paged (the table) or cut to the latest (the trend), so that the
    # page costs the same after dozens of exams (issue #21).
    attempts = ExamAttempt.objects.filter(user=request.user).defer("domain_scores")
    finished = attempts.filter(finished_at__isnull=False).order_by("-started_at")
    page = Paginator(finished, ATTEMPTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/exam_home.html",
        {
            "current": attempts.filter(finished_at__isnull=True).first(),
            "attempts": page,
            "trend": charts.score_trend(list(finished[:TREND_ATTEMPTS])[::-1]),
            "quota": services.domain_quota(),
            "domains": Domain,
            "bank_size": Question.objects.active().count(),
        },
    )


@login_required
@require_POST
def exam_start(request: HtmxHttpRequest) -> HttpResponse:
    try:
        attempt = services.exam_start(user=request.user, now=scheduling.now_utc())
    except services.AnswerError as error:
        return render(request, "quizzes/error.html", {"message": str(error)}, status=409)
    return redirect("quizzes:exam_question", attempt.pk, 1)


def _question_context(attempt: ExamAttempt, item: ExamItem, *, error: str = ""):
    shown = presentation.ordered(item.question.choices.all(), item.choice_order)
    items = list(attempt.items.only("attempt_id", "position", "selected", "flagged"))
    remaining = max(0, int((attempt.deadline - scheduling.now_utc()).total_seconds()))
    return {
        "attempt": attempt,
        "item": item,
        "question": item.question,
        "choices": shown,
        "ticked": presentation.places(item.selected, shown),
        "items": items,
        "answered": sum(1 for i in items if i.selected),
        "remaining": remaining,
        "error": error,
        "previous": item.position - 1 if item.position > 1 else None,
        "next": item.position + 1 if item.position < len(items) else None,
        "letters": "ABCDEFGHI",
    }


@login_required
@require_safe
def exam_question(request: HtmxHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.finished_at is not None:
        return redirect("quizzes:exam_results", attempt.pk)
    item = (
        ExamItem.objects.filter(attempt=attempt, position=position)
        .select_related("question")
        .prefetch_related("question__choices")
        .first()
    )
    if item is None:
        raise Http404(_("There is no such question in this exam."))
    return render(request, "quizzes/exam_question.html", _question_context(attempt, item))


@login_required
@require_POST
def exam_answer(request: HtmxHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Every button of the question form saves the ticked options first: Next, Previous, the
    grid, Flag, and the save the page sends by itself when an option is ticked."""
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, user=request.user)
    now = scheduling.now_utc()
    action = request.POST.get("action", "next")
    item = get_object_or_404(
        ExamItem.objects.select_related("question").prefetch_related("question__choices"),
        attempt=attempt,
        position=position,
    )
    try:
        selected = selection(
            request, presentation.ordered(item.question.choices.all(), item.choice_order)
        )
        services.exam_answer(attempt=attempt, position=position, selected=selected, now=now)
        if action == "flag":
            services.exam_flag(
                attempt=attempt,
                position=position,
                flagged=request.POST.get("flagged") == "1",
                now=now,
            )
    except services.ExamClosed:
        return redirect("quizzes:exam_results", attempt.pk)
    except services.AnswerError as error:
        return render(
            request,
            "quizzes/exam_question.html",
            _question_context(attempt, item, error=str(error)),
            status=400,
        )
    if action == "save" and request.htmx:
        answered = sum(1 for chosen in attempt.items.values_list("selected", flat=True) if chosen)
        context = {"answered": answered, "total": attempt.total}
        return render(request, "quizzes/exam_question.html#answered", context)
    goto = request.POST.get("goto", "")
    target = {"next": position + 1, "previous": position - 1}.get(action, position)
    if goto.isdecimal() and len(goto) < 4:
        target = int(goto)
    if action == "review" or target < 1 or target > attempt.total:
        return redirect("quizzes:exam_review", attempt.pk)
    return redirect("quizzes:exam_question", attempt.pk, target)


@login_required
@require_safe
def exam_review(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.finished_at is not None:
        return redirect("quizzes:exam_results", attempt.pk)
    items = list(attempt.items.only("attempt_id", "position", "selected", "flagged"))
    return render(
        request,
        "quizzes/exam_review.html",
        {
            "attempt": attempt,
            "items": items,
            "unanswered": [item.position for item in items if not item.selected],
            "flagged": [item.position for item in items if item.flagged],
            "remaining": max(0, int((attempt.deadline - scheduling.now_utc()).total_seconds())),
        },
    )


@login_required
@require_POST
def exam_finish(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """Score the exam once the learner confirms; the first click asks, with what is left."""
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, user=request.user)
    if request.POST.get("confirm") != "1" and attempt.finished_at is None:
        items = list(attempt.items.only("attempt_id", "position", "selected", "flagged"))
        context = {
            "attempt": attempt,
            "unanswered": [item.position for item in items if not item.selected],
            "flagged": [item.position for item in items if item.flagged],
        }
        return render(request, "quizzes/exam_finish.html", context)
    services.exam_finish(attempt=attempt, now=scheduling.now_utc())
    return redirect("quizzes:exam_results", attempt.pk)


@login_required
@require_safe
def exam_results(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.finished_at is None:
        return redirect(reverse("quizzes:exam_review", args=[attempt.pk]))
    items = list(
        attempt.items.select_related("question__topic")
        .prefetch_related("question__choices")
        .order_by("position")
    )
    show = request.GET.get("show", "all")
    wrong = sum(1 for item in items if not item.correct)
    flagged = sum(1 for item in items if item.flagged)
    if show == "wrong":
        items = [item for item in items if not item.correct]
    elif show == "flagged":
        items = [item for item in items if item.flagged]
    else:
        show = "all"
    for item in items:
        item.shown_choices = presentation.ordered(item.question.choices.all(), item.choice_order)
    domains = [
        {"number": int(number), "label": Domain(int(number)).label, **scores}
        for number, scores in sorted(attempt.domain_scores.items())
    ]
    return render(
        request,
        "quizzes/exam_results.html",
        {
            "attempt": attempt,
            "items": items,
            "domains": domains,
            "pass_score": ExamAttempt.PASS_SCORE,
            "show": show,
            "wrong_count": wrong,
            "flagged_count": flagged,
        },
    )
