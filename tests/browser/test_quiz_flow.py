"""A learner practises a round of questions and sits a full mock exam in Chromium."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from studyapp.quizzes.models import ExamAttempt, PracticeAnswer

pytestmark = pytest.mark.usefixtures("loaded_content")
PASSWORD = "a-long-enough-passphrase"


def keys_ready(page):
    """The page's keyboard script is running (keys typed before it would be lost)."""
    expect(page.locator("html[data-keys='quiz']")).to_be_attached()


def log_in(page, django_user_model, name="quizzer"):
    django_user_model.objects.create_user(name, password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_practice_round_by_keyboard(page, django_user_model):
    log_in(page, django_user_model)
    page.goto("/quiz/practice/")
    page.locator("input[name=topic][value=sqs-fifo-queue]").check()
    page.get_by_role("button", name="Practice these", exact=True).click()
    for _ in range(3):
        expect(page.locator("form.question-form")).to_be_visible()
        keys_ready(page)
        page.keyboard.press("1")
        if page.locator("fieldset.choices").get_attribute("data-multiple") == "true":
            page.keyboard.press("2")
        page.keyboard.press("Enter")
        expect(page.locator(".verdict")).to_have_text(re.compile("Correct!|Not quite."))
        expect(page.locator(".explanation")).to_be_visible()
        page.keyboard.press("Enter")
    assert PracticeAnswer.objects.count() == 3
    assert all(
        answer.question.topic.slug == "sqs-fifo-queue" for answer in PracticeAnswer.objects.all()
    )


def test_full_mock_exam_with_flags_review_and_results(page, django_user_model):
    log_in(page, django_user_model)
    page.goto("/exam/")
    page.get_by_role("button", name="Start a mock exam").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+/q/1/$"))
    expect(page.locator(".timer")).to_have_text(re.compile(r"^1(29|30):\d\d$"))
    keys_ready(page)
    page.keyboard.press("1")  # tick an option: saved at once
    expect(page.locator("#answered-count")).to_have_text("1 of 65 answered")
    page.keyboard.press("f")  # flag question 1: the ticked option stays
    expect(page.locator("#flag")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("input[name=choice]").first).to_be_checked()
    for position in range(1, 66):
        expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
        keys_ready(page)
        if position % 10 == 0:
            continue_key = "ArrowRight"  # leave every tenth unanswered
        elif position == 1:
            # Already ticked above: a key would untick it if the draw made it a
            # choose-two question (checkboxes toggle).
            continue_key = "Enter"
        else:
            page.keyboard.press("a" if position % 2 else "2")
            continue_key = "Enter"
        page.keyboard.press(continue_key)
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.get_by_text("6 questions unanswered")).to_be_visible()
    expect(page.get_by_text("1 flagged")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^10$")).click()
    expect(page).to_have_url(re.compile(r"/q/10/$"))
    keys_ready(page)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/q/11/$"))
    page.get_by_role("button", name="Review grid").click()
    expect(page.get_by_text("5 questions unanswered")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^20$")).click()
    keys_ready(page)
    page.keyboard.press("1")  # tick, then jump away from the grid: the answer stays
    page.locator(".exam-grid").get_by_role("button", name="21", exact=True).click()
    expect(page).to_have_url(re.compile(r"/q/21/$"))
    page.get_by_role("button", name="Review grid").click()
    expect(page.get_by_text("4 questions unanswered")).to_be_visible()
    page.get_by_role("button", name="Finish and score the exam").click()
    expect(page.get_by_role("heading", name="Finish the exam?")).to_be_visible()
    expect(page.locator(".finish-summary")).to_contain_text("4 questions are unanswered.")
    expect(page.locator(".finish-summary")).to_contain_text("1 question is flagged")
    page.get_by_role("button", name="Yes, finish and score").click()
    expect(page.get_by_role("heading", name="Exam results")).to_be_visible()
    attempt = ExamAttempt.objects.get()
    expect(page.locator("[data-scaled-score]")).to_have_attribute(
        "data-scaled-score", str(attempt.scaled_score)
    )
    expect(page.get_by_text("The scaled score is an estimate", exact=False)).to_be_visible()
    expect(page.locator(".exam-review-list > li")).to_have_count(65)
    assert attempt.items.exclude(selected=[]).count() == 61


def test_the_server_ends_the_exam_when_time_runs_out(page, django_user_model, time_machine):
    time_machine.move_to("2026-11-27T09:00Z", tick=True)
    log_in(page, django_user_model, name="late")
    page.goto("/exam/")
    page.get_by_role("button", name="Start a mock exam").click()
    expect(page).to_have_url(re.compile(r"/q/1/$"))
    keys_ready(page)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    keys_ready(page)
    time_machine.shift(timedelta(minutes=131))  # the learner walked away; the clock did not
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Exam results")).to_be_visible()
    attempt = ExamAttempt.objects.get()
    assert attempt.finished_at == attempt.deadline
    assert attempt.items.exclude(selected=[]).count() == 1
