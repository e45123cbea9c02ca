"""Classroom pages: instructors' questions, sets, cohorts and reports; learners' homework.

Every object is looked up through its owner (an instructor's) or its members (a learner's):
another instructor's set or cohort is a 404, an instructor page is a 403 for a learner. A
refused request (a tampered form, a full set, homework already handed in) draws its page
again with the reason and a 4xx.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp import spreadsheet
from studyapp.accounts.roles import is_instructor
from studyapp.http import HtmxHttpRequest
from studyapp.live.services import LiveError
from studyapp.notes.guide import task_by_code
from studyapp.notes.models import TaskStatement
from studyapp.notes.usermarkdown import render_user_markdown
from studyapp.quizzes import presentation
from studyapp.quizzes.models import Question

from . import questions, report, selectors, services, sources
from .forms import (
    AssignmentForm,
    CohortForm,
    GenerateForm,
    ImportForm,
    PickForm,
    QuestionForm,
    TitleForm,
)
from .models import Assignment, Attempt, Cohort, QuestionSet

BANK_PAGE = 50


def instructor_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_instructor(request.user):
            raise PermissionDenied(_("Only instructors can open this page."))
        return view(request, *args, **kwargs)

    return wrapper


def _own_set(request, set_id: int) -> QuestionSet:
    return get_object_or_404(QuestionSet, pk=set_id, owner=request.user)


def _own_cohort(request, cohort_id: int) -> Cohort:
    return get_object_or_404(Cohort, pk=cohort_id, owner=request.user)


def _own_question(request, question_id: int) -> Question:
    return get_object_or_404(Question.objects.owned_by(request.user), pk=question_id)


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


# --- home ---------------------------------------------------------------------------------------


@require_safe
@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    """A learner's cohorts and homework; an instructor's material and cohorts too."""
    context = {
        "joined": selectors.cohorts_joined(request.user),
        "assignments": selectors.assignments_for(request.user),
        "instructor": is_instructor(request.user),
    }
    if context["instructor"]:
        context |= {
            "own_count": selectors.own_questions(request.user).count(),
            "sets": selectors.sets_of(request.user),
            "taught": selectors.cohorts_taught(request.user),
        }
    return render(request, "classroom/home.html", context)


# --- own questions ------------------------------------------------------------------------------


@require_safe
@instructor_required
def question_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {"questions": selectors.own_questions(request.user), "import_form": ImportForm()}
    return render(request, "classroom/questions.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
def question_edit(request: HtmxHttpRequest, question_id: int | None = None) -> HttpResponse:
    question = _own_question(request, question_id) if question_id else None
    initial = QuestionForm.initial_for(question) if question else {}
    if question:
        initial["share"] = list(
            Cohort.objects.filter(owner=request.user, shared__question=question)
        )
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, owner=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = questions.question_save(
                    owner=request.user, draft=form.draft(), question=question
                )
                services.question_share(
                    question=saved, owner=request.user, cohorts=list(form.cleaned_data["share"])
                )
            except (questions.QuestionError, services.ClassroomError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Question saved."))
                return redirect("classroom:questions")
        status = 400
    return render(
        request, "classroom/question_form.html", {"form": form, "question": question}, status=status
    )


@require_POST
@instructor_required
def preview(request: HtmxHttpRequest) -> HttpResponse:
    """The question and explanation as learners will see them (the same renderer as saving)."""
    parts = [
        render_user_markdown(request.POST.get(name, "")[: questions.MAX_TEXT])
        for name in ("stem", "explanation")
    ]
    return render(request, "classroom/_preview.html", {"stem": parts[0], "explanation": parts[1]})


@require_POST
@instructor_required
def question_retire(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    questions.question_retire(owner=request.user, question=_own_question(request, question_id))
    messages.success(request, _("Question removed from use."))
    return redirect("classroom:questions")


@require_safe
@instructor_required
def question_export(request: HtmxHttpRequest, fmt: str) -> HttpResponse:
    mine = selectors.own_questions(request.user).select_related("topic").prefetch_related("choices")
    if fmt == "json":
        response = HttpResponse(questions.export_json(mine), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        questions.export_csv(mine, response)
    response["Content-Disposition"] = f'attachment; filename="my-questions.{fmt}"'
    return response


@require_POST
@instructor_required
def question_import(request: HtmxHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = questions.questions_import(
                owner=request.user,
                data=upload.read(questions.MAX_IMPORT_BYTES + 1),
                filename=upload.name,
            )
        except questions.QuestionError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("%(n)s questions imported.") % {"n": len(imported)})
            return redirect("classroom:questions")
    context = {"questions": selectors.own_questions(request.user), "import_form": form}
    return render(request, "classroom/questions.html", context, status=400)


# --- question sets ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
def set_list(request: HtmxHttpRequest) -> HttpResponse:
    form = TitleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        question_set = services.set_create(owner=request.user, title=form.cleaned_data["title"])
        return redirect(question_set)
    context = {"sets": selectors.sets_of(request.user), "form": form}
    return render(request, "classroom/sets.html", context, status=400 if form.errors else 200)


@require_safe
@instructor_required
def set_detail(request: HtmxHttpRequest, set_id: int) -> HttpResponse:
    return _set_page(request, _own_set(request, set_id))


def _set_page(request, question_set: QuestionSet, status: int = 200) -> HttpResponse:
    task = None
    if code := request.GET.get("task", ""):
        task = task_by_code(code)
        if task is None:
            raise Http404(_("No task statement with that number."))
    in_set = selectors.set_questions(question_set)
    bank = []
    if task is not None:
        bank = list(
            Question.objects.active()
            .filter(task=task)
            .exclude(pk__in=[q.pk for q in in_set])
            .order_by("order", "pk")[:BANK_PAGE]
        )
    context = {
        "set": question_set,
        "in_set": in_set,
        "tasks": TaskStatement.objects.order_by("order"),
        "task": task,
        "bank": bank,
        "own": selectors.own_questions(request.user).exclude(pk__in=[q.pk for q in in_set]),
        "generate_form": GenerateForm() if sources.generated_kinds() else None,
    }
    return render(request, "classroom/set.html", context, status=status)


@require_POST
@instructor_required
def set_add(request: HtmxHttpRequest, set_id: int) -> HttpResponse:
    question_set = _own_set(request, set_id)
    form = PickForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _set_page(request, question_set, status=400)
    try:
        added = services.set_add(question_set=question_set, questions=form.cleaned_data["question"])
    except services.ClassroomError as error:
        messages.error(request, error.message)
        return _set_page(request, question_set, status=error.status)
    messages.success(request, _("%(n)s questions added.") % {"n": added})
    return redirect(question_set)


@require_POST
@instructor_required
def set_generate(request: HtmxHttpRequest, set_id: int) -> HttpResponse:
    question_set = _own_set(request, set_id)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a simulator and how many questions (1 to 20)."))
        return _set_page(request, question_set, status=400)
    try:
        added = services.set_add_generated(
            question_set=question_set, kind=form.cleaned_data["kind"],
            count=form.cleaned_data["count"],
        )  # fmt: skip
    except services.ClassroomError as error:
        messages.error(request, error.message)
        return _set_page(request, question_set, status=error.status)
    messages.success(request, _("%(n)s questions added.") % {"n": added})
    return redirect(question_set)


@require_POST
@instructor_required
def set_remove(request: HtmxHttpRequest, set_id: int, question_id: int) -> HttpResponse:
    question_set = _own_set(request, set_id)
    # question__pk, not question_id: the key's own lookup answers "none" for an id too large
    # for the database, where SQLite would fail on the foreign key column's.
    services.set_remove(item=get_object_or_404(question_set.items, question__pk=question_id))
    return redirect(question_set)


@require_POST
@instructor_required
def set_live(request: HtmxHttpRequest, set_id: int) -> HttpResponse:
    """Host a live quiz of this set now."""
    question_set = _own_set(request, set_id)
    try:
        session = services.set_live_game(question_set=question_set, host=request.user)
    except LiveError as error:
        messages.error(request, error.message)
        return _set_page(request, question_set, status=error.status)
    return redirect("live:host", session.pk)


# --- cohorts ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
def cohort_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CohortForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(owner=request.user, name=form.cleaned_data["name"])
        return redirect(cohort)
    context = {"cohorts": selectors.cohorts_taught(request.user), "form": form}
    return render(request, "classroom/cohorts.html", context, status=400 if form.errors else 200)


def _cohort_for_viewer(request, cohort_id: int) -> tuple[Cohort, bool]:
    """The cohort and whether the viewer teaches it; 404 for anyone else."""
    cohort = get_object_or_404(Cohort.objects.select_related("owner"), pk=cohort_id)
    if cohort.owner_id == request.user.pk:
        return cohort, True
    if selectors.is_member(cohort, request.user):
        return cohort, False
    raise Http404


@require_safe
@login_required
def cohort_detail(request: HtmxHttpRequest, cohort_id: int) -> HttpResponse:
    cohort, teaches = _cohort_for_viewer(request, cohort_id)
    context = {"cohort": cohort, "teaches": teaches}
    if teaches:
        context |= {
            "members": cohort.memberships.select_related("learner").order_by("learner__username"),
            "invite_url": request.build_absolute_uri(
                reverse("classroom:join", args=[cohort.invite_token])
            ),
            "assignments": cohort.assignments.select_related("question_set").order_by("-opens_at"),
            "assignment_form": AssignmentForm(owner=request.user),
        }
    else:
        context["rows"] = selectors.assignments_for(request.user, cohort)
    context["shared"] = selectors.shared_questions(cohort)
    return render(request, "classroom/cohort.html", context)


@require_POST
@instructor_required
def cohort_invite(request: HtmxHttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _own_cohort(request, cohort_id)
    services.cohort_new_invitation(cohort=cohort)
    messages.success(request, _("New invitation link: the old one no longer works."))
    return redirect(cohort)


@require_POST
@instructor_required
def cohort_remove(request: HtmxHttpRequest, cohort_id: int, learner_id: int) -> HttpResponse:
    cohort = _own_cohort(request, cohort_id)
    services.cohort_remove(membership=get_object_or_404(cohort.memberships, learner__pk=learner_id))
    return redirect(cohort)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cohort_join(request: HtmxHttpRequest, token: str) -> HttpResponse:
    cohort = selectors.cohort_for_invitation(token)
    if cohort is None:
        raise Http404
    if request.method == "POST":
        try:
            services.cohort_join(token=token, learner=request.user)
        except services.ClassroomError as error:
            messages.error(request, error.message)
            return render(request, "classroom/join.html", {"cohort": cohort}, status=error.status)
        messages.success(request, _("You joined %(name)s.") % {"name": cohort.name})
        return redirect(cohort)
    return render(request, "classroom/join.html", {"cohort": cohort})


@require_POST
@instructor_required
def assignment_create(request: HtmxHttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _own_cohort(request, cohort_id)
    form = AssignmentForm(request.POST, owner=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                cohort=cohort, title=data["title"], kind=data["kind"],
                question_set=data["question_set"], opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )  # fmt: skip
        except services.ClassroomError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Assignment created."))
            return redirect(assignment)
    context = {
        "cohort": cohort,
        "teaches": True,
        "members": cohort.memberships.select_related("learner"),
        "invite_url": request.build_absolute_uri(
            reverse("classroom:join", args=[cohort.invite_token])
        ),
        "assignments": cohort.assignments.all(),
        "assignment_form": form,
        "shared": selectors.shared_questions(cohort),
    }
    return render(request, "classroom/cohort.html", context, status=400)


# --- the report ---------------------------------------------------------------------------------


def _report_rows(request, cohort_id: int):
    cohort, teaches = _cohort_for_viewer(request, cohort_id)
    learners = [m.learner for m in cohort.memberships.select_related("learner")]
    if not teaches:
        learners = [request.user]  # a learner sees their own rows only
    return cohort, teaches, report.cohort_rows(cohort, learners, timezone.now())


@require_safe
@login_required
def cohort_report(request: HtmxHttpRequest, cohort_id: int) -> HttpResponse:
    cohort, teaches, rows = _report_rows(request, cohort_id)
    context = {"cohort": cohort, "teaches": teaches, "rows": rows}
    return render(request, "classroom/report.html", context)


@require_safe
@login_required
def cohort_report_csv(request: HtmxHttpRequest, cohort_id: int) -> HttpResponse:
    cohort, _teaches, rows = _report_rows(request, cohort_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-report.csv"'
    spreadsheet.write_rows(response, [report.HEADER, *report.csv_rows(rows)])
    return response


# --- assignments: the learner's side ------------------------------------------------------------


def _assignment_for_viewer(request, assignment_id: int) -> tuple[Assignment, bool]:
    assignment = get_object_or_404(
        Assignment.objects.select_related("cohort", "question_set"), pk=assignment_id
    )
    if assignment.cohort.owner_id == request.user.pk:
        return assignment, True
    if selectors.is_member(assignment.cohort, request.user):
        return assignment, False
    raise Http404


@require_safe
@login_required
def assignment_detail(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    return _assignment_page(request, *_assignment_for_viewer(request, assignment_id))


def _assignment_page(request, assignment: Assignment, teaches: bool, status: int = 200):
    now = timezone.now()
    context = {"assignment": assignment, "teaches": teaches, "now": now}
    if teaches:
        attempts = {a.learner_id: a for a in assignment.attempts.select_related("exam")}
        for attempt in attempts.values():
            services.attempt_sync_exam(attempt=attempt)
        context["members"] = [
            (m.learner, attempts.get(m.learner_id))
            for m in assignment.cohort.memberships.select_related("learner").order_by(
                "learner__username"
            )
        ]
        return render(request, "classroom/assignment_teacher.html", context, status=status)
    attempt = (
        Attempt.objects.filter(assignment=assignment, learner=request.user)
        .select_related("exam")
        .first()
    )
    if attempt is not None:
        attempt = services.attempt_sync_exam(attempt=attempt)
    context["attempt"] = attempt
    context["open"] = now >= assignment.opens_at
    if attempt is not None and assignment.kind == Assignment.Kind.SET:
        context["items"] = selectors.shown_items(attempt)
    return render(request, "classroom/assignment.html", context, status=status)


@require_POST
@login_required
def assignment_start(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment, teaches = _assignment_for_viewer(request, assignment_id)
    if teaches:
        raise PermissionDenied(_("Instructors do not take their own assignments."))
    try:
        attempt = services.attempt_start(
            assignment=assignment, learner=request.user, now=timezone.now()
        )
    except services.ClassroomError as error:
        messages.error(request, error.message)
        return _assignment_page(request, assignment, teaches, status=error.status)
    if attempt.exam is not None and attempt.exam.finished_at is None:
        return redirect("quizzes:exam_question", attempt.exam.pk, 1)
    return redirect(assignment)


@require_POST
@login_required
def assignment_submit(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment, teaches = _assignment_for_viewer(request, assignment_id)
    attempt = get_object_or_404(
        Attempt, assignment=assignment, learner=request.user, exam__isnull=True
    )
    selections: dict[int, list[int]] = {}
    try:
        for shown in selectors.shown_items(attempt):
            values = request.POST.getlist(f"q{shown.item.position}")[:10]
            selections[shown.item.position] = presentation.selected_ids(values, shown.choices)
    except presentation.SelectionError:
        messages.error(request, _("An answer could not be read. Choose again."))
        return _assignment_page(request, assignment, teaches, status=400)
    try:
        attempt = services.attempt_submit(
            attempt=attempt, selections=selections, now=timezone.now()
        )
    except services.ClassroomError as error:
        messages.error(request, error.message)
        return _assignment_page(request, assignment, teaches, status=error.status)
    messages.success(
        request,
        _("Handed in: %(c)s of %(n)s right.") % {"c": attempt.correct, "n": attempt.total},
    )
    return redirect(assignment)
