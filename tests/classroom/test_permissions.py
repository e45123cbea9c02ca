"""Who reaches which classroom page, over every URL of the app (a new URL is checked too).

An instructor's questions, sets, cohorts, assignments and reports are theirs: another
instructor gets a 404 for each (as if it did not exist), and nothing changes. A learner gets
a 403 from every instructor page, a 404 from cohorts they are not in, and inside their own
cohort the learner's pages only. The invitation link is the one page open to anyone signed
in who holds it: that is what it is for.
"""

from datetime import timedelta

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from studyapp.classroom import services
from studyapp.classroom.models import (
    Assignment,
    Attempt,
    Cohort,
    Membership,
    QuestionSet,
    QuestionSetItem,
    SharedQuestion,
)
from studyapp.live.models import LiveSession
from studyapp.quizzes.models import Question

from .conftest import client_for

pytestmark = pytest.mark.django_db

# Pages a learner may open (in their own cohorts); every other classroom page is an
# instructor's. A new learner page must be added here, on purpose.
LEARNER_PAGES = {
    "home",
    "cohort",
    "report",
    "report_csv",
    "join",
    "assignment",
    "assignment_start",
    "assignment_submit",
}
OPEN_TO_LINK_HOLDERS = {"join"}


def classroom_routes() -> list[tuple[str, object]]:
    include = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "classroom"
    )
    return [(p.name, p) for p in include.url_patterns]


ROUTES = classroom_routes()


@pytest.fixture
def world(instructor, learner, cohort, question_set, own_question) -> dict:
    """The values of every path parameter: the instructor's objects, the learner's cohort."""
    now = timezone.now()
    assignment = services.assignment_create(
        cohort=cohort, title="Homework", kind="set", question_set=question_set,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
    )  # fmt: skip
    services.question_share(question=own_question, owner=instructor, cohorts=[cohort])
    return {
        "question_id": own_question.pk,
        "set_id": question_set.pk,
        "cohort_id": cohort.pk,
        "learner_id": learner.pk,
        "assignment_id": assignment.pk,
        "token": cohort.invite_token,
    }


def url_of(pattern, args: dict) -> str:
    names = pattern.pattern.converters.keys()
    return reverse(f"classroom:{pattern.name}", kwargs={name: args[name] for name in names})


def everything() -> tuple:
    """The classroom as stored: a refused request must leave all of it as it was."""
    return (
        sorted(Question.objects.filter(owner__isnull=False).values_list("pk", "retired")),
        sorted(QuestionSet.objects.values_list("pk", "title")),
        sorted(QuestionSetItem.objects.values_list("pk")),
        sorted(Cohort.objects.values_list("pk", "invite_token")),
        sorted(Membership.objects.values_list("cohort_id", "learner_id")),
        sorted(SharedQuestion.objects.values_list("pk")),
        sorted(Assignment.objects.values_list("pk")),
        sorted(Attempt.objects.values_list("pk", "submitted_at")),
        LiveSession.objects.count(),
    )


def statuses(client, url: str) -> tuple[int, int]:
    return client.get(url).status_code, client.post(url).status_code


def test_another_instructor_gets_a_404_for_everything_of_mine(world, other_instructor):
    client = client_for(other_instructor)
    before = everything()
    checked = []
    for name, pattern in ROUTES:
        if not pattern.pattern.converters or name in OPEN_TO_LINK_HOLDERS:
            continue
        url = url_of(pattern, world)
        got, posted = statuses(client, url)
        assert got in (404, 405) and posted in (404, 405), (url, got, posted)
        assert 404 in (got, posted), url
        checked.append(name)
    assert everything() == before
    assert {"question_edit", "set", "cohort", "report_csv", "assignment"} <= set(checked)


def test_another_instructors_lists_and_exports_show_none_of_my_material(
    world, other_instructor, own_question, question_set, cohort
):
    client = client_for(other_instructor)
    mine = [own_question.stem_text[:40], question_set.title, cohort.name]
    for name, pattern in ROUTES:
        if pattern.pattern.converters:
            continue
        page = client.get(url_of(pattern, world))
        assert page.status_code in (200, 405), name
        assert not any(text in page.content.decode() for text in mine), name


def test_a_learner_gets_a_403_from_every_instructor_page(world, learner):
    client = client_for(learner)
    before = everything()
    for name, pattern in ROUTES:
        if name in LEARNER_PAGES:
            continue
        got, posted = statuses(client, url_of(pattern, world))
        assert got in (403, 405) and posted in (403, 405), (name, got, posted)
    assert everything() == before


def test_a_learner_outside_the_cohort_gets_a_404(world, other_learner):
    client = client_for(other_learner)
    before = everything()
    for name, pattern in ROUTES:
        if name not in LEARNER_PAGES or name in OPEN_TO_LINK_HOLDERS | {"home"}:
            continue
        got, posted = statuses(client, url_of(pattern, world))
        assert got in (404, 405) and posted in (404, 405), (name, got, posted)
    assert everything() == before


def test_a_member_sees_only_the_learners_side(world, learner, other_learner, cohort):
    services.cohort_join(token=cohort.invite_token, learner=other_learner)
    client = client_for(learner)
    for name in ("cohort", "report", "report_csv", "assignment"):
        pattern = dict(ROUTES)[name]
        page = client.get(url_of(pattern, world))
        assert page.status_code == 200, name
        text = page.content.decode()
        assert cohort.invite_token not in text and "data-members" not in text, name
        assert f'data-learner="{other_learner.username}"' not in text, name
        assert f"{other_learner.username}," not in text, name  # nor a CSV row


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for name, pattern in ROUTES:
        response = client.get(url_of(pattern, world))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), name
