"""An instructor hosts a 3-question live quiz for three phones (separate browser contexts).

The server's clock is frozen with time-machine and moved forward by hand, so the points are
exact and no test waits for a countdown.
"""

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from studyapp.live.models import LiveSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("loaded_content")
T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def open_page(browser, live_server):
    """Opens a page in a browser context of its own (one phone each); all closed at the end."""
    contexts = []
    errors: list[str] = []

    def opener():
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield opener
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors in the browser: {errors}"


def right_ids(item):
    correct = set(item.question.choices.filter(correct=True).values_list("pk", flat=True))
    return [pk for pk in item.choice_order if pk in correct]


def wrong_ids(item):
    correct = set(right_ids(item))
    return [next(pk for pk in item.choice_order if pk not in correct)]


def answer(page, item, choice_ids):
    expect(page.locator(f"#answer-form-{item.number}")).to_be_visible()
    if item.question.kind == "multiple":
        for pk in choice_ids:
            page.locator(f'input[name="choice"][value="{pk}"]').check()
        page.get_by_role("button", name="Send my answer").click()
    else:
        page.locator(f'button[name="choice"][value="{choice_ids[0]}"]').click()
    expect(page.locator('[data-status="answered"], [data-result]')).to_be_visible()


def letters(item, choice_ids):
    return "+".join(sorted("ABCDEFG"[item.choice_order.index(pk)] for pk in choice_ids))


def test_host_and_three_players_play_three_questions(open_page, instructor):
    with time_machine.travel(T0, tick=False) as clock:
        host = open_page()
        host.goto("/accounts/login/?next=/live/new/")
        host.get_by_label("Username").fill(instructor.username)
        host.get_by_label("Password").fill(PASSWORD)
        host.get_by_role("button", name="Log in").click()
        host.get_by_label("Title").fill("Friday quiz")
        host.get_by_label("Random questions from a topic").check()
        host.locator("#id_topic").select_option(index=1)
        host.get_by_label("Number of questions").fill("3")
        expect(host.get_by_label("Seconds per question")).to_have_value("20")
        expect(host.get_by_label("Streak bonus")).to_be_checked()
        host.get_by_role("button", name="Create").click()
        code = host.locator("[data-join-code]").inner_text()
        session = LiveSession.objects.get(code=code)
        items = list(session.items.select_related("question"))
        assert len(items) == 3

        players = {}
        for name in ("ana", "bo", "cy"):
            page = open_page()
            page.goto("/live/join/")
            page.get_by_label("Code").fill(code)
            page.get_by_label("Nickname").fill(name)
            page.get_by_role("button", name="Join").click()
            expect(page.locator('[data-status="lobby"]')).to_be_visible()
            players[name] = page
        expect(host.locator("[data-player]")).to_have_count(3)

        # Question 1: ana right at once, cy right after 5 s, bo wrong.
        host.get_by_role("button", name="Start").click()
        expect(host.locator("[data-remaining]")).to_have_text("20")
        answer(players["ana"], items[0], right_ids(items[0]))
        answer(players["bo"], items[0], wrong_ids(items[0]))
        clock.shift(timedelta(seconds=5))
        expect(players["cy"].locator("[data-remaining]")).to_have_text("15")
        answer(players["cy"], items[0], right_ids(items[0]))
        # Everyone answered: the question closes without waiting for the countdown.
        expect(host.locator("[data-leaderboard] li")).to_have_count(3)
        expect(players["ana"].locator('[data-result="correct"]')).to_contain_text("+1000")
        expect(players["cy"].locator('[data-result="correct"]')).to_contain_text("+875")
        expect(players["bo"].locator('[data-result="wrong"]')).to_be_visible()

        # Question 2: ana and bo right, cy silent until the deadline passes.
        host.get_by_role("button", name="Next question").click()
        answer(players["ana"], items[1], right_ids(items[1]))
        answer(players["bo"], items[1], right_ids(items[1]))
        expect(host.locator("[data-answered]")).to_have_attribute("data-answered", "2")
        clock.shift(timedelta(seconds=21))
        expect(players["cy"].locator('[data-result="none"]')).to_be_visible()
        expect(host.locator("[data-leaderboard] li")).to_have_count(3)

        # Question 3: everyone right at once; streaks: ana 3rd in a row, bo 2nd, cy 1st.
        host.get_by_role("button", name="Next question").click()
        for name in ("ana", "bo", "cy"):
            answer(players[name], items[2], right_ids(items[2]))
        host.get_by_role("button", name="Show the podium").click()

        expected = {"ana": 1000 + 1100 + 1200, "bo": 0 + 1000 + 1100, "cy": 875 + 0 + 1000}
        expect(host.locator("[data-podium] .nick")).to_have_text(["ana", "bo", "cy"])
        expect(host.locator("[data-leaderboard] .score")).to_have_text(
            [str(expected[name]) for name in ("ana", "bo", "cy")]
        )
        expect(players["cy"].locator('[data-status="finished"]')).to_contain_text("number 3")

        with host.expect_download() as download:
            host.get_by_role("link", name="Download the report (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))

    given = {
        ("ana", 1): (right_ids(items[0]), "yes", 1000), ("bo", 1): (wrong_ids(items[0]), "no", 0),
        ("cy", 1): (right_ids(items[0]), "yes", 875), ("ana", 2): (right_ids(items[1]), "yes", 1100),
        ("bo", 2): (right_ids(items[1]), "yes", 1000), ("cy", 2): ([], "", 0),
        ("ana", 3): (right_ids(items[2]), "yes", 1200), ("bo", 3): (right_ids(items[2]), "yes", 1100),
        ("cy", 3): (right_ids(items[2]), "yes", 1000),
    }  # fmt: skip
    assert len(rows) == 9
    for row in rows:
        choice_ids, correct, points = given[(row["player"], int(row["question"]))]
        item = items[int(row["question"]) - 1]
        assert row["choice"] == (letters(item, choice_ids) if choice_ids else "")
        assert row["correct"] == correct
        assert int(row["points"]) == points
        assert int(row["total"]) == expected[row["player"]]
    assert {(r["player"], r["time_s"]) for r in rows if r["question"] == "1"} == {
        ("ana", "0.000"),
        ("bo", "0.000"),
        ("cy", "5.000"),
    }
