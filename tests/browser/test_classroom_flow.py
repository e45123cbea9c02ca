"""An instructor writes a question, puts it in a set, assigns it to a cohort; a learner joins
with the invitation link and does the assignment; the report shows it (two browsers)."""

import pytest
from playwright.sync_api import expect

from studyapp.classroom.models import Attempt, Cohort
from studyapp.quizzes.models import Question
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("loaded_content")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def second_page(browser, live_server):
    """Another person's browser (a phone-sized one); JavaScript errors fail the test."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors in the browser: {errors}"


def log_in(page, user):
    page.goto("/accounts/login/?next=/classroom/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Classroom", exact=True)).to_be_visible()


def test_instructor_assigns_their_question_and_a_learner_does_it(
    page, second_page, instructor, learner
):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, instructor)

    # A question of their own, with the Markdown preview.
    page.goto("/classroom/questions/new/")
    page.locator("#id_stem").fill("Which service queues **messages**? Pick one.")
    expect(page.locator("[data-preview-stem] strong")).to_have_text("messages")
    page.locator("#id_choice_0").fill("Amazon SQS")
    page.locator("#id_correct_0").check()
    page.locator("#id_choice_1").fill("Amazon S3")
    page.locator("#id_why_1").fill("S3 stores objects.")
    page.locator("#id_explanation").fill("SQS is a message queue.")
    page.locator("#id_task").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-own-questions]")).to_contain_text("Which service queues")
    question = Question.objects.get(owner=instructor)

    # A set with it, and a cohort.
    page.goto("/classroom/sets/")
    page.get_by_label("Title").fill("Queues")
    page.get_by_role("button", name="New set").click()
    page.locator(f'input[name="question"][value="{question.pk}"]').check()
    page.get_by_role("button", name="Add the ticked questions").first.click()
    expect(page.locator("[data-set-items] li")).to_have_count(1)

    page.goto("/classroom/cohorts/")
    page.get_by_label("Name").fill("Bootcamp")
    page.get_by_role("button", name="New cohort").click()
    invite = page.locator("[data-invite-url]").input_value()
    page.get_by_label("Title").fill("Homework 1")
    page.locator("#id_question_set").select_option(label="Queues")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", name="Homework 1")).to_be_visible()

    # The learner joins by the link and does the homework on a phone.
    learner_page = second_page
    log_in(learner_page, learner)
    learner_page.goto(invite)
    learner_page.get_by_role("button", name="Join").click()
    expect(learner_page.get_by_role("heading", name="Bootcamp")).to_be_visible()
    learner_page.get_by_role("link", name="Homework 1").click()
    learner_page.get_by_role("button", name="Start").click()
    learner_page.get_by_label("Amazon SQS").check()
    learner_page.get_by_role("button", name="Hand in").click()
    expect(learner_page.locator("[data-result]")).to_have_text("1 of 1 right.")
    expect(learner_page.locator(".explanation")).to_contain_text("SQS is a message queue.")

    # The report shows it to the instructor; the learner sees their own rows only.
    cohort = Cohort.objects.get(name="Bootcamp")
    page.goto(f"/classroom/cohorts/{cohort.pk}/report/")
    row = page.locator(f'[data-learner="{learner.username}"][data-task="{question.task.code}"]')
    expect(row.locator("[data-assignments]")).to_have_attribute("data-assignments", "1/1")
    assert Attempt.objects.get(learner=learner).correct == 1
