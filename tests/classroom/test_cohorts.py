import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studyapp.cards import services as card_services
from studyapp.cards.models import Card
from studyapp.classroom import services
from studyapp.classroom.models import Assignment, Attempt, Membership
from studyapp.live import services as live_services
from studyapp.live.models import LiveSession
from studyapp.notes.models import TaskStatement
from studyapp.quizzes.models import Choice, PracticeAnswer, Question

from .conftest import client_for

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def assign(cohort, question_set, opens=T0, days=2, kind="set"):
    return services.assignment_create(
        cohort=cohort, title="Homework 1", kind=kind, question_set=question_set,
        opens_at=opens, closes_at=opens + timedelta(days=days),
    )  # fmt: skip


def places_of(item, right: bool) -> list[str]:
    correct = set(
        Choice.objects.filter(question=item.question, correct=True).values_list("pk", flat=True)
    )
    wanted = [pk for pk in item.choice_order if (pk in correct) == right]
    return [str(item.choice_order.index(pk) + 1) for pk in (wanted if right else wanted[:1])]


# --- joining --------------------------------------------------------------------------------


def test_a_learner_joins_by_the_invitation_link_and_sees_the_cohort(instructor, other_learner):
    cohort = services.cohort_create(owner=instructor, name="Evening class")
    client = client_for(other_learner)
    url = reverse("classroom:join", args=[cohort.invite_token])
    assert cohort.name in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=other_learner).exists()
    assert "Evening class" in client.get(reverse("classroom:home")).content.decode()
    assert client.get(reverse("classroom:cohort", args=[cohort.pk])).status_code == 200
    services.cohort_new_invitation(cohort=cohort)
    assert client.get(url).status_code == 404  # the old link stopped working


def test_joining_needs_an_account(instructor, client):
    cohort = services.cohort_create(owner=instructor, name="C")
    response = client.get(reverse("classroom:join", args=[cohort.invite_token]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- permissions ----------------------------------------------------------------------------


def test_learners_cannot_reach_instructor_pages(learner, cohort, question_set):
    client = client_for(learner)
    gets = [reverse("classroom:sets"), reverse("classroom:set", args=[question_set.pk]),
            reverse("classroom:cohorts"), reverse("classroom:questions")]  # fmt: skip
    for url in gets:
        assert client.get(url).status_code == 403, url
    posts = [reverse("classroom:cohort_invite", args=[cohort.pk]),
             reverse("classroom:assignment_create", args=[cohort.pk]),
             reverse("classroom:set_live", args=[question_set.pk]),
             reverse("classroom:set_add", args=[question_set.pk])]  # fmt: skip
    for url in posts:
        assert client.post(url).status_code == 403, url
    # A member sees the cohort, but as a learner: no invitation link, no member list.
    page = client.get(reverse("classroom:cohort", args=[cohort.pk])).content.decode()
    assert cohort.invite_token not in page and "data-members" not in page


def test_other_cohorts_are_not_found(instructor, other_learner, cohort, question_set):
    assignment = assign(cohort, question_set)
    outsider = client_for(other_learner)
    for url in [reverse("classroom:cohort", args=[cohort.pk]),
                reverse("classroom:report", args=[cohort.pk]),
                reverse("classroom:report_csv", args=[cohort.pk]),
                reverse("classroom:assignment", args=[assignment.pk])]:  # fmt: skip
        assert outsider.get(url).status_code == 404, url
    assert (
        outsider.post(reverse("classroom:assignment_start", args=[assignment.pk])).status_code
        == 404
    )
    assert not Attempt.objects.exists()


def test_another_instructor_sees_none_of_my_material(other_instructor, cohort, question_set):
    client = client_for(other_instructor)
    for url in [reverse("classroom:set", args=[question_set.pk]),
                reverse("classroom:cohort", args=[cohort.pk]),
                reverse("classroom:report", args=[cohort.pk])]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("classroom:set_live", args=[question_set.pk])).status_code == 404
    assert client.post(reverse("classroom:cohort_invite", args=[cohort.pk])).status_code == 404
    assert question_set.title not in client.get(reverse("classroom:sets")).content.decode()


def test_a_set_takes_only_questions_its_owner_may_use(instructor, other_instructor, question_set):
    from studyapp.classroom import questions

    from .conftest import draft

    theirs = questions.question_save(owner=other_instructor, draft=draft())
    client = client_for(instructor)
    client.post(reverse("classroom:set_add", args=[question_set.pk]), {"question": [theirs.pk]})
    assert theirs.pk not in question_set.items.values_list("question_id", flat=True)


# --- sets, live games ---------------------------------------------------------------------------


def test_a_set_is_hosted_as_a_live_quiz(instructor, question_set):
    client = client_for(instructor)
    response = client.post(reverse("classroom:set_live", args=[question_set.pk]))
    session = LiveSession.objects.get(host=instructor)
    assert response["Location"] == reverse("live:host", args=[session.pk])
    assert [i.question_id for i in session.items.all()] == list(
        question_set.items.values_list("question_id", flat=True)
    )


def test_generated_questions_join_a_set_when_the_engines_write_them(instructor, question_set):
    from studyapp.classroom import sources

    if not sources.generated_kinds():
        pytest.skip("generated questions are not in this build")
    kind = sources.generated_kinds()[0]
    added = services.set_add_generated(question_set=question_set, kind=kind, count=2)
    assert added == 2
    assert question_set.items.filter(question__key__startswith="gen-").count() == 2


# --- assignments --------------------------------------------------------------------------------


def test_a_learner_does_an_assignment_by_places_and_it_is_graded(learner, cohort, question_set):
    assignment = assign(cohort, question_set)
    client = client_for(learner)
    url = reverse("classroom:assignment", args=[assignment.pk])
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        assert "not open yet" in client.get(url).content.decode()
        client.post(reverse("classroom:assignment_start", args=[assignment.pk]))
        assert not Attempt.objects.exists()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        client.post(reverse("classroom:assignment_start", args=[assignment.pk]))
        attempt = Attempt.objects.get()
        page = client.get(url).content.decode()
        items = list(attempt.items.all())
        # Nothing on the page tells the right option: places, no ids, no marks, no explanation.
        for item in items:
            assert all(f'value="{pk}"' not in page for pk in item.choice_order)
            assert item.question.explanation_html not in page
        form = page[page.index('<form method="post" action="/classroom/assignments/') :]
        assert "correct" not in form.split("</form>")[0] and "✓" not in page
        answers = {f"q{item.position}": places_of(item, right=item.position != 2) for item in items}
        response = client.post(
            reverse("classroom:assignment_submit", args=[assignment.pk]), answers
        )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.correct, attempt.total, attempt.late) == (2, 3, False)
    result = client.get(url).content.decode()
    assert "2 of 3 right." in result and items[0].question.explanation_html in result
    again = client.post(reverse("classroom:assignment_submit", args=[assignment.pk]), answers)
    assert again.status_code == 409 and "You already handed this in." in again.content.decode()
    attempt.refresh_from_db()
    assert attempt.correct == 2  # handed in once


def test_work_handed_in_after_closing_is_marked_late(learner, cohort, question_set):
    assignment = assign(cohort, question_set, days=1)
    client = client_for(learner)
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        client.post(reverse("classroom:assignment_start", args=[assignment.pk]))
        client.post(reverse("classroom:assignment_submit", args=[assignment.pk]), {})
    attempt = Attempt.objects.get()
    assert attempt.late and attempt.correct == 0
    teacher = client_for(cohort.owner)
    assert (
        "data-late"
        in teacher.get(reverse("classroom:assignment", args=[assignment.pk])).content.decode()
    )


def test_a_tampered_answer_is_refused(learner, cohort, question_set):
    assignment = assign(cohort, question_set)
    client = client_for(learner)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        client.post(reverse("classroom:assignment_start", args=[assignment.pk]))
        response = client.post(
            reverse("classroom:assignment_submit", args=[assignment.pk]), {"q1": ["99"]}
        )
    assert response.status_code == 400 and Attempt.objects.get().submitted_at is None
    page = response.content.decode()
    assert "An answer could not be read. Choose again." in page and "Hand in" in page


def test_a_mock_exam_assignment_opens_the_mock_exam(learner, cohort):
    assignment = assign(cohort, None, kind=Assignment.Kind.EXAM)
    client = client_for(learner)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        response = client.post(reverse("classroom:assignment_start", args=[assignment.pk]))
    attempt = Attempt.objects.get()
    assert attempt.exam is not None
    assert response["Location"] == reverse("quizzes:exam_question", args=[attempt.exam.pk, 1])


# --- the report ---------------------------------------------------------------------------------


def test_the_report_counts_assignments_live_games_and_practice_per_task(
    instructor, learner, other_learner, cohort, question_set
):
    services.cohort_join(token=cohort.invite_token, learner=other_learner)
    assignment = assign(cohort, question_set)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        attempt = services.attempt_start(assignment=assignment, learner=learner, now=T0)
        right = {
            item.position: [pk for pk in item.choice_order
                            if Choice.objects.get(pk=pk).correct] for item in attempt.items.all()
        }  # fmt: skip
        services.attempt_submit(attempt=attempt, selections=right, now=T0 + timedelta(hours=1))
        question = question_set.items.first().question
        PracticeAnswer.objects.create(user=learner, question=question, selected=[], correct=False,
                                      answered_at=T0, token="t1")  # fmt: skip
        session = live_services.session_create(host=instructor, title="G", questions=[question])
        player, _token = live_services.player_join(session=session, nickname="ann", user=learner)
        live_services.session_start(session=session, now=T0)
        item = session.items.get()
        correct = [pk for pk in item.choice_order if Choice.objects.get(pk=pk).correct]
        player.session.refresh_from_db()
        live_services.answer_submit(player=player, position=0, choice_ids=correct, now=T0)

    teacher = client_for(instructor)
    page = teacher.get(reverse("classroom:report", args=[cohort.pk])).content.decode()
    task = question.task.code
    assert f'data-learner="{learner.username}" data-task="{task}"' in page
    assert f'data-learner="{other_learner.username}"' in page
    rows = list(csv.DictReader(io.StringIO(
        teacher.get(reverse("classroom:report_csv", args=[cohort.pk])).content.decode()
    )))  # fmt: skip
    mine = next(r for r in rows if r["learner"] == learner.username and r["task"] == task)
    assert mine["live_correct"] == "1" and mine["live_answered"] == "1"
    assert mine["practice_answered"] == "1" and mine["practice_accuracy"] == "0"
    assert int(mine["assignments_correct"]) == int(mine["assignments_answered"]) >= 1
    assert mine["last_activity"].startswith("2026-05-04T10:00")


def test_a_learner_sees_only_their_own_rows(learner, other_learner, cohort):
    services.cohort_join(token=cohort.invite_token, learner=other_learner)
    client = client_for(learner)
    page = client.get(reverse("classroom:report", args=[cohort.pk])).content.decode()
    assert f'data-learner="{learner.username}"' in page
    assert f'data-learner="{other_learner.username}"' not in page
    rows = list(csv.DictReader(io.StringIO(
        client.get(reverse("classroom:report_csv", args=[cohort.pk])).content.decode()
    )))  # fmt: skip
    assert rows and {r["learner"] for r in rows} == {learner.username}


def test_the_report_csv_is_formula_safe(instructor, cohort, django_user_model):
    sly = django_user_model.objects.create_user("=cmd", password="x-long-password-2")
    services.cohort_join(token=cohort.invite_token, learner=sly)
    text = client_for(instructor).get(reverse("classroom:report_csv", args=[cohort.pk])).content
    cells = [cell for row in csv.reader(io.StringIO(text.decode())) for cell in row]
    assert "'=cmd" in cells and "=cmd" not in cells


def test_the_report_is_a_few_queries_whatever_the_cohort_size(
    instructor, cohort, django_user_model, django_assert_max_num_queries
):
    """Learners with reviews, due cards and practice answers: 3 or 15 of them, the same
    queries (cards' part comes from cards.selectors, a fixed number of grouped queries)."""
    cards = list(Card.objects.filter(retired=False, task__isnull=False)[:3])
    question = Question.objects.active().first()

    def busy_learners(count: int, start: int) -> None:
        for n in range(start, start + count):
            user = django_user_model.objects.create_user(f"l{n}", password="x-long-password-3")
            services.cohort_join(token=cohort.invite_token, learner=user)
            for card in cards:
                key = card_services.review_key(user.pk, card.pk, None)
                card_services.review_record(user=user, card=card, rating=1, key=key, now=T0)
            PracticeAnswer.objects.create(user=user, question=question, selected=[],
                                          correct=False, answered_at=T0, token=f"t{n}")  # fmt: skip

    client = client_for(instructor)
    url = reverse("classroom:report", args=[cohort.pk])
    busy_learners(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    busy_learners(12, 3)
    with django_assert_max_num_queries(min(len(few), 25)):
        page = client.get(url).content.decode()
    assert page.count('data-learner="l14"') == TaskStatement.objects.count()
