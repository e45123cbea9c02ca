import random
import re
import secrets

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from studyapp.cards import scheduling
from studyapp.notes.models import Topic
from studyapp.notes.views import HtmxHttpRequest

from . import charts, services
from .models import Domain, ExamAttempt, ExamItem, Question

MAX_SELECTED = 10
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe(16), as the form sends it


def _ids(request, name: str) -> list[int]:
    """Integer ids from a form; anything else is a tampered form (400)."""
    values = request.POST.getlist(name)
    if len(values) > MAX_SELECTED or not all(
        value.isdecimal() and len(value) < 12 for value in values
    ):
        raise services.AnswerError(_("that answer could not be read"))
    return [int(value) for value in values]


# Practice


def _practice_topics(request) -> list[Topic]:
    slugs = request.GET.getlist("topic") or request.POST.getlist("topic")
    if not slugs:
        return []
    if any("\x00" in slug for slug in slugs):  # never a slug; PostgreSQL refuses it in a query
        raise Http404(_("No topic with that name."))
    topics = list(Topic.objects.active().filter(slug__in=slugs[:60]))
    if len(topics) != len(set(slugs[:60])):
        raise Http404(_("No topic with that name."))
    return topics


def _topic_ids(topics: list[Topic]) -> list[int] | None:
    if not topics:
        return None
    from studyapp.cards.selectors import topic_subtree

    ids: set[int] = set()
    for topic in topics:
        ids.update(topic_subtree(topic))
    return sorted(ids)


def _practice_context(request, topics, *, exclude=None):
    question, reason = services.practice_next(
        request.user, _topic_ids(topics), scheduling.now_utc(), exclude=exclude
    )
    choices = list(question.choices.all()) if question else []
    random.shuffle(choices)
    return {
        "topics": topics,
        "question": question,
        "reason": reason,
        "choices": choices,
        "token": secrets.token_urlsafe(16),
        "topic_query": urlencode([("topic", topic.slug) for topic in topics]),
    }


@login_required
@require_GET
def practice(request: HtmxHttpRequest) -> HttpResponse:
    topics = _practice_topics(request)
    context = (
        _practice_context(request, topics) if topics or request.GET.get("all") else {"topics": []}
    )
    context["all_topics"] = (
        Topic.objects.active()
        .annotate(n=Count("questions", filter=Q(questions__retired=False)))
        .filter(n__gt=0)
        .only("slug", "title", "level")
    )
    context["started"] = bool(topics or request.GET.get("all"))
    context["chosen"] = {topic.slug for topic in topics}
    template = "quizzes/practice.html#question" if request.htmx else "quizzes/practice.html"
    return render(request, template, context)


@login_required
@require_POST
def practice_answer(request: HtmxHttpRequest) -> HttpResponse:
    topics = _practice_topics(request)
    question_id = request.POST.get("question", "")
    token = request.POST.get("token", "")
    if not TOKEN.fullmatch(token):
        return render(
            request,
            "quizzes/error.html",
            {"message": _("That form could not be read. Reload the question and try again.")},
            status=400,
        )
    question = None
    if question_id.isdecimal() and len(question_id) < 12:
        question = (
            Question.objects.active()
            .filter(pk=int(question_id))
            .prefetch_related("choices")
            .first()
        )
    if question is None:
        return render(
            request,
            "quizzes/error.html",
            {"message": _("That question does not exist.")},
            status=400,
        )
    try:
        graded = services.practice_answer(
            user=request.user,
            question=question,
            selected=_ids(request, "choice"),
            token=token,
            now=scheduling.now_utc(),
        )
    except services.AnswerError as error:
        context = _practice_context(request, topics)
        context.update(question=question, choices=list(question.choices.all()), error=str(error))
        template = "quizzes/practice.html#question" if request.htmx else "quizzes/practice.html"
        context.setdefault("all_topics", [])
        context["started"] = True
        return render(request, template, context, status=400)
    context = {
        "topics": topics,
        "question": question,
        "graded": graded,
        "choices": list(question.choices.all()),
        "topic_query": urlencode([("topic", topic.slug) for topic in topics]) or "all=1",
    }
    template = (
        "quizzes/practice_result.html#result" if request.htmx else "quizzes/practice_result.html"
    )
    return render(request, template, context)


# Mock exams


def _attempt(request, attempt_id: int) -> ExamAttempt:
    """The learner's own attempt, scored first if its time ran out."""
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, user=request.user)
    if attempt.finished_at is None and scheduling.now_utc() > attempt.deadline:
        attempt = services.exam_finish(attempt=attempt, now=scheduling.now_utc())
    return attempt


@login_required
@require_GET
def exam_home(request: HtmxHttpRequest) -> HttpResponse:
    services.exam_expire_overdue(user=request.user, now=scheduling.now_utc())
    attempts = list(ExamAttempt.objects.filter(user=request.user).order_by("-started_at")[:50])
    finished = [attempt for attempt in reversed(attempts) if attempt.finished_at]
    return render(
        request,
        "quizzes/exam_home.html",
        {
            "current": next((a for a in attempts if a.finished_at is None), None),
            "attempts": [a for a in attempts if a.finished_at],
            "trend": charts.score_trend(finished),
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
    choices = {choice.pk: choice for choice in item.question.choices.all()}
    items = list(attempt.items.only("position", "selected", "flagged"))
    remaining = max(0, int((attempt.deadline - scheduling.now_utc()).total_seconds()))
    return {
        "attempt": attempt,
        "item": item,
        "question": item.question,
        "choices": [choices[pk] for pk in item.choice_order if pk in choices],
        "items": items,
        "answered": sum(1 for i in items if i.selected),
        "remaining": remaining,
        "error": error,
        "previous": item.position - 1 if item.position > 1 else None,
        "next": item.position + 1 if item.position < len(items) else None,
        "letters": "ABCDEFGHI",
    }


@login_required
@require_GET
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
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, user=request.user)
    now = scheduling.now_utc()
    action = request.POST.get("action", "next")
    try:
        selected = _ids(request, "choice")
        if action == "flag":
            services.exam_flag(
                attempt=attempt,
                position=position,
                flagged=request.POST.get("flagged") == "1",
                now=now,
            )
        else:
            services.exam_answer(attempt=attempt, position=position, selected=selected, now=now)
    except services.ExamClosed:
        return redirect("quizzes:exam_results", attempt.pk)
    except services.AnswerError as error:
        item = get_object_or_404(
            ExamItem.objects.select_related("question").prefetch_related("question__choices"),
            attempt=attempt,
            position=position,
        )
        return render(
            request,
            "quizzes/exam_question.html",
            _question_context(attempt, item, error=str(error)),
            status=400,
        )
    target = {"next": position + 1, "previous": position - 1}.get(action, position)
    if action == "review" or target < 1 or target > attempt.total:
        return redirect("quizzes:exam_review", attempt.pk)
    return redirect("quizzes:exam_question", attempt.pk, target)


@login_required
@require_GET
def exam_review(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.finished_at is not None:
        return redirect("quizzes:exam_results", attempt.pk)
    items = list(attempt.items.only("position", "selected", "flagged"))
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
    attempt = get_object_or_404(ExamAttempt, pk=attempt_id, user=request.user)
    services.exam_finish(attempt=attempt, now=scheduling.now_utc())
    return redirect("quizzes:exam_results", attempt.pk)


@login_required
@require_GET
def exam_results(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.finished_at is None:
        return redirect(reverse("quizzes:exam_review", args=[attempt.pk]))
    items = list(
        attempt.items.select_related("question__topic")
        .prefetch_related("question__choices")
        .order_by("position")
    )
    for item in items:
        by_id = {choice.pk: choice for choice in item.question.choices.all()}
        item.shown_choices = [by_id[pk] for pk in item.choice_order if pk in by_id]
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
        },
    )
