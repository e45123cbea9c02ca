"""A host runs a live quiz with the presenter screen and three phones, over pushed updates.

The app is served over ASGI (uvicorn in a thread, as in production) so that WebSockets work;
two phones play on their sockets, the third has no WebSocket at all and plays by polling.
The server's clock is frozen with time-machine and moved by hand, so points are exact.
"""

import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
import uvicorn
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from django.db import connections
from playwright.sync_api import expect

from studyapp.asgi import build
from studyapp.live.models import LiveSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("loaded_content")
T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1366, "height": 768}


@pytest.fixture
def asgi_server(transactional_db):
    """The project's ASGI application (HTTP, static files, WebSockets) on a free port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Each request closes its connection, so none is left open on the test database.
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    app = build(ASGIStaticFilesHandler(get_asgi_application()))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def open_page(browser, asgi_server):
    """Opens a page in a browser context of its own (one phone each); all closed at the end."""
    contexts = []
    errors: list[str] = []

    def opener(viewport=PHONE, websockets=True):
        context = browser.new_context(base_url=asgi_server, locale="en-US", viewport=viewport)
        if not websockets:
            context.add_init_script("window.WebSocket = undefined;")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.polls = []
        page.sockets = []
        page.on(
            "request",
            lambda request: (
                request.method == "GET"
                and "/live/play/" in request.url
                and request.headers.get("hx-request")
                and page.polls.append(request.url)
            ),
        )
        page.on("websocket", lambda ws: page.sockets.append(ws.url))
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


def letters(item, choice_ids):
    return "+".join(sorted("ABCDEFG"[item.choice_order.index(pk)] for pk in choice_ids))


def answer(page, item, choice_ids):
    expect(page.locator(f"#answer-form-{item.number}")).to_be_visible()
    if item.question.kind == "multiple":
        for letter in letters(item, choice_ids).split("+"):
            page.locator(f'input[name="choice"][value="{letter}"]').check()
        page.get_by_role("button", name="Send my answer").click()
    else:
        page.locator(f'button[name="choice"][value="{letters(item, choice_ids)}"]').click()
    expect(page.locator('[data-status="answered"]:visible, [data-result]:visible')).to_be_visible()


def test_host_presenter_and_three_phones_on_pushed_updates(open_page, instructor):
    with time_machine.travel(T0, tick=False) as clock:
        host = open_page(viewport=PROJECTOR)
        host.goto("/accounts/login/?next=/live/new/")
        host.get_by_label("Username").fill(instructor.username)
        host.get_by_label("Password").fill(PASSWORD)
        host.get_by_role("button", name="Log in").click()
        host.get_by_label("Title").fill("Friday quiz")
        host.get_by_label("Random questions from a topic").check()
        host.locator("#id_topic").select_option(index=1)
        host.get_by_label("Number of questions").fill("2")
        host.get_by_role("button", name="Create").click()
        code = host.locator("[data-join-code]").inner_text()
        session = LiveSession.objects.get(code=code)
        items = list(session.items.select_related("question"))

        # The projector: join code, a QR code of the join URL, the players as they come.
        screen = host.context.new_page()
        screen.goto(f"/live/present/{session.pk}/")
        expect(screen.locator("[data-join-code]")).to_have_text(code)
        expect(screen.locator("[data-qr] svg")).to_be_visible()

        players = {}
        for name in ("ana", "bo", "cy"):
            page = open_page(websockets=name != "cy")
            page.goto(f"/live/join/?code={code}")
            page.get_by_label("Nickname").fill(name)
            page.get_by_role("button", name="Join").click()
            expect(page.locator('[data-status="lobby"]')).to_be_visible()
            players[name] = page
        expect(screen.locator("[data-player-count]")).to_have_attribute("data-player-count", "3")
        expect(host.locator("[data-player]")).to_have_count(3)
        for name in ("ana", "bo"):
            expect(players[name].locator("html[data-live-socket=open]")).to_be_attached()
        polls_before = {name: len(players[name].polls) for name in players}

        # Question 1: ana right at once, bo wrong, cy (polling) right after 5 s.
        host.get_by_role("button", name="Start").click()
        # Browsers count down from the server's deadline (the server's clock is frozen here).
        deadline_ms = str(int((T0 + timedelta(seconds=20)).timestamp() * 1000))
        expect(screen.locator("[data-countdown]")).to_have_attribute("data-deadline", deadline_ms)
        expect(players["ana"].locator("[data-countdown]")).to_have_attribute(
            "data-deadline", deadline_ms
        )
        answer(players["ana"], items[0], right_ids(items[0]))
        answer(players["bo"], items[0], wrong_ids(items[0]))
        expect(screen.locator("[data-answered]")).to_have_attribute("data-answered", "2")
        clock.shift(timedelta(seconds=5))
        answer(players["cy"], items[0], right_ids(items[0]))
        # Everyone answered: the reveal is pushed to the sockets and polled by cy.
        expect(players["ana"].locator('[data-result="correct"]')).to_contain_text("+1000")
        expect(players["cy"].locator('[data-result="correct"]')).to_contain_text("+875")
        expect(players["bo"].locator('[data-result="wrong"]')).to_be_visible()
        expect(players["bo"].locator("[data-correct]")).to_have_text(
            letters(items[0], right_ids(items[0])).replace("+", ", ")
        )
        expect(players["bo"].locator("[data-explanation]")).to_be_visible()
        expect(screen.locator(".live-choices [data-count]")).to_have_count(
            len(items[0].choice_order)
        )

        # Question 2: ana right, bo and cy silent until the deadline passes.
        host.get_by_role("button", name="Next question").click()
        answer(players["ana"], items[1], right_ids(items[1]))
        clock.shift(timedelta(seconds=21))
        expect(players["bo"].locator('[data-result="none"]')).to_be_visible()
        expect(players["cy"].locator('[data-result="none"]')).to_be_visible()

        host.get_by_role("button", name="Show the podium").click()
        expect(screen.locator("[data-podium] .nick")).to_have_text(["ana", "cy", "bo"])
        expect(players["bo"].locator('[data-status="finished"]')).to_contain_text("Your rank: 3")
        expect(players["ana"].locator("[data-podium] li")).to_have_count(3)

        # The sockets carried every change to ana and bo: they never polled; cy only polled.
        assert [len(players[n].polls) - polls_before[n] for n in ("ana", "bo")] == [0, 0]
        assert len(players["cy"].polls) > polls_before["cy"] and players["cy"].sockets == []
