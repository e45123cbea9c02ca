"""A learner asks "am I ready?" and practises questions a simulator writes, in Chromium, on a
laptop (1366 px) and a phone (390 px)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from studyapp.cards import scheduling
from studyapp.quizzes.models import PracticeAnswer, Question
from studyapp.readiness.models import Snapshot
from tests.history import answers_written

pytestmark = pytest.mark.usefixtures("loaded_content")
PASSWORD = "a-long-enough-passphrase"
WIDTHS = (1366, 390)


def log_in(page, django_user_model, name="ready"):
    user = django_user_model.objects.create_user(name, password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # On a phone the header's links, Log out among them, sit behind the menu button.
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_have_count(1)
    return user


def fits_the_screen(page):
    """Nothing makes the page scroll sideways (wide tables and charts scroll in their box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def seed_answers(page, user, count=42):
    # The live server shares SQLite's in-memory database: write only once the page's own
    # requests (the home page's htmx panels) are done, or SQLite says "table is locked".
    page.wait_for_load_state("networkidle")
    now = scheduling.now_utc()
    questions = list(Question.objects.active()[:count])
    PracticeAnswer.objects.bulk_create(
        PracticeAnswer(
            user=user,
            question=question,
            selected=[],
            correct=n % 3 != 0,
            answered_at=now - timedelta(hours=1, minutes=n),
            token=f"seed-{n}",
        )
        for n, question in enumerate(questions)
    )
    answers_written()


@pytest.mark.parametrize("width", WIDTHS)
def test_readiness_from_too_little_data_to_a_prediction(page, django_user_model, width):
    page.set_viewport_size({"width": width, "height": 900})
    user = log_in(page, django_user_model)
    page.goto("/readiness/")
    expect(page.get_by_role("heading", name="Am I ready for the exam?")).to_be_visible()
    expect(page.locator("#too-little-data")).to_contain_text("answer 30 more questions")
    expect(page.locator(".study-next-item")).to_have_count(3)
    assert fits_the_screen(page)
    seed_answers(page, user)
    page.reload()
    expect(page.locator("#predicted-score")).to_have_text(re.compile(r"^\d{3,4}$"))
    expect(page.locator("#pass-chance")).to_contain_text("Chance of reaching 720")
    snapshot = Snapshot.objects.get(user=user)
    expect(page.locator("#predicted-score")).to_have_text(str(snapshot.score))
    expect(page.locator("svg.readiness-chart")).to_be_visible()
    expect(page.locator("table.readiness-tasks tbody tr")).to_have_count(13)
    first = page.locator(".study-next-item").first
    expect(first.get_by_role("link", name="Review its cards")).to_be_visible()
    expect(first.get_by_role("link", name="Practise its questions")).to_be_visible()
    expect(first.get_by_role("link", name="Read its guide page")).to_be_visible()
    assert fits_the_screen(page)
    first.get_by_role("link", name="Read its guide page").click()
    expect(page).to_have_url(re.compile(r"/guide/\d\.\d/$"))


def test_the_home_page_panel_loads_and_leads_to_the_page(page, django_user_model):
    user = log_in(page, django_user_model, name="home")
    seed_answers(page, user)
    page.goto("/")
    panel = page.locator(".readiness-panel")
    expect(panel).to_contain_text("Predicted exam score:")
    expect(panel).to_contain_text("Study next:")
    panel.get_by_role("link", name="How ready am I?").click()
    expect(page.get_by_role("heading", name="Am I ready for the exam?")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_practice_round_of_generated_sqs_questions(page, django_user_model, width):
    page.set_viewport_size({"width": width, "height": 900})
    user = log_in(page, django_user_model, name=f"gen{width}")
    page.goto("/quiz/practice/")
    page.get_by_label("SQS timelines").check()
    page.get_by_role("button", name="Practice these", exact=True).click()
    expect(page.locator("h1")).to_contain_text("SQS timelines, written by the simulator")
    for n in range(3):
        expect(page.locator("form.question-form")).to_be_visible()
        expect(page.locator(".question-meta")).to_contain_text("written by the simulator")
        expect(page.locator(".stem table")).to_be_visible()  # the timeline
        assert fits_the_screen(page)
        page.locator("label.choice").nth(n % 4).click()
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".verdict")).to_have_text(re.compile("Correct!|Not quite."))
        expect(page.locator(".explanation")).to_contain_text("So the answer is:")
        expect(page.locator(".choice-review li.is-correct")).to_have_count(1)
        assert fits_the_screen(page)
        page.locator("#next-question").click()
    answers = PracticeAnswer.objects.filter(user=user).select_related("question")
    assert answers.count() == 3
    assert all(a.question.generator == "sqs" for a in answers)
