"""Practice: one question at a time, explained at once; missed ones come back; sets of ten."""

import re
import secrets

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from studyapp.cards import scheduling
from studyapp.http import HtmxHttpRequest
from studyapp.notes.models import TaskStatement, Topic

from .. import practice_filters, practice_set, presentation, services
from ..generated import store as generated_store
from ..models import Domain, Question
from .common import selection

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe(16), as the form sends it


def _choosers() -> dict:
    """What the filter form offers: topics with questions, tasks, domains."""
    return {
        "all_topics": Topic.objects.active()
        .annotate(
            n=Count(
                "questions",
                filter=Q(questions__retired=False, questions__generator=""),
            )
        )
        .filter(n__gt=0)
        .only("slug", "title", "level"),
        "all_tasks": TaskStatement.objects.only("code", "title"),
        "domains": Domain.choices,
        "generated_kinds": list(practice_filters.GENERATED_LABELS.items()),
    }


def _question_context(request, chosen: practice_filters.PracticeFilter) -> dict:
    pool, now = chosen.pool(request.user), scheduling.now_utc()
    if chosen.generated:
        question, reason = generated_store.practice_next(request.user, pool, chosen.generated, now)
    else:
        question, reason = services.practice_next(request.user, pool, now)
    token = secrets.token_urlsafe(16)
    choices = presentation.practice_order(question.choices.all(), token) if question else []
    return {
        "filter": chosen,
        "question": question,
        "reason": reason,
        "choices": choices,
        "token": token,
        "set": practice_set.current(request.session, chosen.query),
    }


@login_required
@require_safe
def practice(request: HtmxHttpRequest) -> HttpResponse:
    chosen = practice_filters.from_request(request)
    if request.GET.get("new_set"):
        practice_set.restart(request.session)
    context = {"filter": chosen, **_choosers()}
    if chosen.started:
        context.update(_question_context(request, chosen))
    template = "quizzes/practice.html#question" if request.htmx else "quizzes/practice.html"
    return render(request, template, context)


@login_required
@require_safe
def practice_summary(request: HtmxHttpRequest) -> HttpResponse:
    chosen = practice_filters.from_request(request)
    current = practice_set.current(request.session, chosen.query)
    missed = Question.objects.filter(pk__in=current.missed).select_related("topic", "task")
    return render(
        request,
        "quizzes/practice_summary.html",
        {"filter": chosen, "set": current, "missed": missed},
    )


def _error(request, message: str, status: int) -> HttpResponse:
    return render(request, "quizzes/error.html", {"message": message}, status=status)


@login_required
@require_POST
def practice_answer(request: HtmxHttpRequest) -> HttpResponse:
    chosen = practice_filters.from_request(request)
    question_id = request.POST.get("question", "")
    token = request.POST.get("token", "")
    if not TOKEN.fullmatch(token):
        return _error(
            request, _("That form could not be read. Reload the question and try again."), 400
        )
    question = None
    if question_id.isdecimal() and len(question_id) < 12:
        question = (
            Question.objects.practicable()
            .filter(pk=int(question_id))
            .prefetch_related("choices")
            .first()
        )
    if question is None:
        return _error(request, _("That question does not exist."), 400)
    if services.in_unfinished_exam(request.user, question):
        message = _("This question is part of your mock exam in progress: finish the exam first.")
        return _error(request, message, 409)
    shown = presentation.practice_order(question.choices.all(), token)
    try:
        graded = services.practice_answer(
            user=request.user,
            question=question,
            selected=selection(request, shown),
            token=token,
            now=scheduling.now_utc(),
        )
    except services.AnswerError as error:
        # The same showing again: same token, same order, and what went wrong.
        context = {
            "filter": chosen,
            "question": question,
            "reason": "",
            "choices": shown,
            "token": token,
            "error": str(error),
            "set": practice_set.current(request.session, chosen.query),
        }
        template = "quizzes/practice.html#question" if request.htmx else "quizzes/practice.html"
        return render(request, template, context, status=400)
    current = practice_set.current(request.session, chosen.query)
    if graded.first_time:
        current = practice_set.record(
            request.session, chosen.query, question_id=question.pk, correct=graded.correct
        )
    context = {
        "filter": chosen,
        "question": question,
        "graded": graded,
        "choices": shown,
        "set": current,
    }
    template = (
        "quizzes/practice_result.html#result" if request.htmx else "quizzes/practice_result.html"
    )
    return render(request, template, context)
