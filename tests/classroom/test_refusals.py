"""Bad input to the classroom's pages: a 4xx that says why, never a 500, nothing changed.

Each test here is a case tests/test_bad_input.py's sweep found (a 500 on SQLite or
PostgreSQL, or a refusal that redirected or answered 200 without a reason).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from studyapp.classroom import questions, services
from studyapp.classroom.models import Membership
from studyapp.live.models import LiveSession
from studyapp.quizzes.models import Question

from .conftest import client_for, draft

pytestmark = pytest.mark.django_db
TOO_BIG = "9" * 30  # no 64-bit key: SQLite cannot even compare it


def items_of(question_set) -> list[int]:
    return list(question_set.items.values_list("question_id", flat=True))


def says(response, status: int, text: str) -> bool:
    return response.status_code == status and text in response.content.decode()


def test_an_unknown_task_on_a_set_page_is_a_404(instructor, question_set):
    client = client_for(instructor)
    url = reverse("classroom:set", args=[question_set.pk])
    for code in ("9.9", "1.1\x00", "k" * 600):
        assert client.get(url, {"task": code}).status_code == 404, code
    task = question_set.items.first().question.task
    assert client.get(url, {"task": task.code}).status_code == 200


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        ([], "Tick at least one question."),
        (["\u00b2"], "is not a valid value"),  # "²".isdigit(), yet int("²") raises
        ([TOO_BIG], "is not a valid value"),
        (["99999999"], "is not one of the available choices"),
    ],
    ids=["none", "superscript-two", "too-big", "unknown"],
)
def test_questions_a_set_cannot_take_are_a_400_with_the_reason(
    instructor, question_set, picked, message
):
    before = items_of(question_set)
    response = client_for(instructor).post(
        reverse("classroom:set_add", args=[question_set.pk]), {"question": picked}
    )
    assert says(response, 400, message)
    assert items_of(question_set) == before


def test_another_instructors_question_is_refused_by_name(
    instructor, other_instructor, question_set
):
    theirs = questions.question_save(owner=other_instructor, draft=draft())
    response = client_for(instructor).post(
        reverse("classroom:set_add", args=[question_set.pk]), {"question": [str(theirs.pk)]}
    )
    assert says(response, 400, "is not one of the available choices")
    assert theirs.pk not in items_of(question_set)


def test_a_full_set_is_a_400_with_the_reason(instructor, question_set, monkeypatch):
    monkeypatch.setattr(services, "MAX_SET_SIZE", len(items_of(question_set)))
    more = Question.objects.active().exclude(pk__in=items_of(question_set)).first()
    response = client_for(instructor).post(
        reverse("classroom:set_add", args=[question_set.pk]), {"question": [str(more.pk)]}
    )
    assert says(response, 400, "A set holds at most 100 questions.")
    assert more.pk not in items_of(question_set)


def test_too_many_generated_questions_is_a_400(instructor, question_set):
    response = client_for(instructor).post(
        reverse("classroom:set_generate", args=[question_set.pk]),
        {"kind": "sqs", "count": "999"},
    )
    assert says(response, 400, "how many questions (1 to 20)")


def test_sharing_with_a_cohort_id_no_row_can_have_is_a_400(instructor, own_question, cohort):
    body = {
        "stem": "Which one stores the code?", "task": own_question.task_id, "difficulty": "2",
        "explanation": "S3 does.", "choice_0": "S3", "correct_0": "on", "choice_1": "SQS",
    }  # fmt: skip
    url = reverse("classroom:question_edit", args=[own_question.pk])
    response = client_for(instructor).post(url, {**body, "share": [str(cohort.pk), TOO_BIG]})
    assert says(response, 400, "is not a valid value")
    own_question.refresh_from_db()
    assert own_question.stem_text != body["stem"]


@pytest.mark.parametrize("name", ["classroom:sets", "classroom:cohorts", "classroom:question_new"])
def test_an_empty_form_is_a_400_that_names_the_missing_fields(instructor, name):
    response = client_for(instructor).post(reverse(name), {})
    assert says(response, 400, "This field is required.")


def refuse_nul_as_postgresql_does(execute, sql, params, many, context):
    if any(isinstance(value, str) and "\x00" in value for value in params or ()):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


def test_an_invitation_token_that_cannot_be_one_is_a_404(learner):
    client = client_for(learner)
    with connection.execute_wrapper(refuse_nul_as_postgresql_does):
        for token in ("a%00b", "t" * 33, "%FF"):
            url = f"/classroom/join/{token}/"
            assert client.get(url).status_code == 404 and client.post(url).status_code == 404


def test_removing_what_is_not_there_is_a_404(instructor, question_set, cohort, learner):
    client = client_for(instructor)
    for missing in ("99999999", TOO_BIG):
        remove = f"/classroom/sets/{question_set.pk}/remove/{missing}/"
        assert client.post(remove).status_code == 404
        leave = f"/classroom/cohorts/{cohort.pk}/remove/{missing}/"
        assert client.post(leave).status_code == 404
    first = items_of(question_set)[0]
    assert (
        client.post(reverse("classroom:set_remove", args=[question_set.pk, first])).status_code
        == 302
    )
    assert first not in items_of(question_set)
    url = reverse("classroom:cohort_remove", args=[cohort.pk, learner.pk])
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(cohort=cohort).exists()


def test_hosting_an_empty_set_is_a_400_with_the_reason(instructor):
    empty = services.set_create(owner=instructor, title="Empty")
    response = client_for(instructor).post(reverse("classroom:set_live", args=[empty.pk]))
    assert says(response, 400, "Pick at least one question.")
    assert not LiveSession.objects.exists()


def test_following_ones_own_invitation_is_a_409_with_the_reason(instructor, cohort):
    response = client_for(instructor).post(reverse("classroom:join", args=[cohort.invite_token]))
    assert says(response, 409, "You teach this cohort.")


def test_starting_homework_before_it_opens_is_a_409_with_the_reason(learner, cohort, question_set):
    opens = timezone.now() + timedelta(days=1)
    assignment = services.assignment_create(
        cohort=cohort, title="Later", kind="set", question_set=question_set,
        opens_at=opens, closes_at=opens + timedelta(days=1),
    )  # fmt: skip
    response = client_for(learner).post(reverse("classroom:assignment_start", args=[assignment.pk]))
    assert says(response, 409, "This assignment is not open yet.")
    assert not assignment.attempts.exists()
