"""Pushed updates: the sockets of players, host and presenter (Channels, in-memory layer).

A test drives the consumers with Channels' WebsocketCommunicator inside ``async_to_sync``, so
their database calls run in the test's own thread and see its transaction; state changes
publish on commit (``django_capture_on_commit_callbacks``).
"""

import asyncio
import json
import threading
from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyapp.asgi import application
from studyapp.live import consumers, push, screens, selectors, services
from studyapp.live.consumers import WatchConsumer
from studyapp.live.models import Answer, LiveSession

from .conftest import right, wrong

pytestmark = pytest.mark.django_db
ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture(autouse=True)
def keep_the_tests_connection(monkeypatch):
    """Channels closes "old" connections around each database call; here the connection holds
    the test's transaction, and on PostgreSQL closing it would end the test (SQLite's in-memory
    database is never closed, which hid this)."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def fresh_process_memo():
    """Ids repeat across rolled-back tests (SQLite): forget what earlier tests memoised."""
    consumers._memo.clear()
    yield
    consumers._memo.clear()
    for _version, handle in consumers._timers.values():
        handle.cancel()
    consumers._timers.clear()


def player_socket(session, token, language="en"):
    cookie = f"live_{session.code}={token}".encode()
    return WebsocketCommunicator(
        application,
        f"/live/ws/play/{session.code}/?lang={language}",
        headers=[ORIGIN, (b"cookie", cookie)],
    )


async def receive(communicator, timeout=3):
    return json.loads(await communicator.receive_from(timeout=timeout))


def current_item(session):
    session.refresh_from_db()
    return session.items.select_related("question").get(position=session.current)


def test_a_player_gets_the_screen_on_connect_and_each_change_pushed(
    live, django_capture_on_commit_callbacks
):
    player, token = services.player_join(session=live, nickname="ana")
    other, _ = services.player_join(session=live, nickname="bo")

    async def scenario():
        socket = player_socket(live, token)
        connected, _ = await socket.connect()
        assert connected
        first = await receive(socket)
        assert first["type"] == "stage" and 'data-status="lobby"' in first["html"]
        assert first["me"] == {"v": live.version, "answered": False, "score": 0, "rank": 1}

        await to_thread(start)
        opened = await receive(socket)
        item = await to_thread(current_item, live)
        html = opened["html"]
        assert opened["version"] > first["version"] and f'id="answer-form-{item.number}"' in html
        assert f'data-deadline="{live.deadline_ms()}"' in html
        # The one render everyone gets: letters only, no ids, no marks, no explanation.
        assert all(f'value="{pk}"' not in html for pk in item.choice_order)
        assert "correct" not in html and item.question.explanation_html not in html
        assert opened["me"] == {"v": opened["version"], "answered": False}  # no score while open

        await to_thread(answer_both, item)
        revealed = await receive(socket)
        assert "data-explanation" in revealed["html"] and "data-correct" in revealed["html"]
        # The points depend on how long the answer took (wall clock here; scoring is tested
        # with a frozen clock in test_scoring): what is pushed is what was stored.
        stored = await to_thread(lambda: player.answers.get().points)
        assert revealed["me"]["result"] == "correct" and revealed["me"]["points"] == stored > 0
        assert revealed["me"]["rank"] == 1 and revealed["me"]["letters"]
        await socket.disconnect()

    def start():
        with django_capture_on_commit_callbacks(execute=True):
            services.session_start(session=live)

    def answer_both(item):
        with django_capture_on_commit_callbacks(execute=True):
            services.answer_submit(player=player, position=0, choice_ids=right(item))
            other.session.refresh_from_db()
            services.answer_submit(player=other, position=0, choice_ids=wrong(item))

    async_to_sync(scenario)()


async def to_thread(function, *args, **kwargs):
    return await sync_to_async(function)(*args, **kwargs)


def test_a_reconnecting_player_resumes_where_the_game_is(live):
    player, token = services.player_join(session=live, nickname="ana")
    services.player_join(session=live, nickname="bo")  # keeps the question open
    services.session_start(session=live)
    item = current_item(live)
    player.session.refresh_from_db()
    services.answer_submit(player=player, position=0, choice_ids=right(item))

    live.refresh_from_db()

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        resumed = await receive(socket)
        assert resumed["version"] == live.version and "answer-form" in resumed["html"]
        assert resumed["me"]["answered"] is True  # the browser hides the form
        await socket.disconnect()

    async_to_sync(scenario)()


def test_sockets_without_the_players_cookie_or_from_another_site_are_refused(live, trio):
    async def scenario():
        for socket in [
            player_socket(live, "guessed"),
            WebsocketCommunicator(application, f"/live/ws/play/{live.code}/", headers=[ORIGIN]),
        ]:
            connected, code = await socket.connect()
            assert not connected and code == 4403
        _player, token = await to_thread(services.player_join, session=live, nickname="zed")
        foreign = WebsocketCommunicator(
            application, f"/live/ws/play/{live.code}/",
            headers=[(b"origin", b"https://evil.example"), (b"cookie", f"live_{live.code}={token}".encode())],
        )  # fmt: skip
        assert not (await foreign.connect())[0]

    async_to_sync(scenario)()


def watch_socket(session, user):
    socket = WebsocketCommunicator(WatchConsumer.as_asgi(), f"/live/ws/watch/{session.pk}/")
    socket.scope["user"] = user
    socket.scope["url_route"] = {"kwargs": {"session_id": session.pk}}
    return socket


def test_only_the_host_watches_and_hears_refresh(
    live, learner, instructor, django_capture_on_commit_callbacks
):
    async def scenario():
        assert not (await watch_socket(live, learner).connect())[0]
        socket = watch_socket(live, instructor)
        assert (await socket.connect())[0]
        await to_thread(start)
        message = await receive(socket)
        assert message == {"type": "refresh", "version": live.version + 1}
        await socket.disconnect()

    def start():
        with django_capture_on_commit_callbacks(execute=True):
            services.session_start(session=live)

    async_to_sync(scenario)()


def test_one_render_per_language_per_change_whatever_the_number_of_players(
    live, monkeypatch, django_capture_on_commit_callbacks
):
    joined = [services.player_join(session=live, nickname=f"p{n}") for n in range(12)]
    renders = []
    real = screens.render_stage
    monkeypatch.setattr(
        screens, "render_stage", lambda *a, **k: renders.append(a[1]) or real(*a, **k)
    )

    async def scenario():
        sockets = [player_socket(live, token, language="es" if n % 3 else "en")
                   for n, (_p, token) in enumerate(joined)]  # fmt: skip
        for socket in sockets:
            assert (await socket.connect())[0]
            await receive(socket)
        renders.clear()
        await to_thread(start)
        pushed = [await receive(socket) for socket in sockets]
        assert sorted(renders) == ["en", "es"]  # not one per player
        assert {m["version"] for m in pushed} == {live.version + 1}
        assert "Pregunta 1" in pushed[1]["html"] and "Question 1" in pushed[0]["html"]
        for socket in sockets:
            await socket.disconnect()

    def start():
        with django_capture_on_commit_callbacks(execute=True):
            services.session_start(session=live)

    async_to_sync(scenario)()


def test_the_question_closes_at_its_deadline_with_no_request(
    live, monkeypatch, django_capture_on_commit_callbacks
):
    # The close happens in the server's timer, after the test's transaction would commit.
    monkeypatch.setattr(push, "publish_on_commit", push.publish)
    _player, token = services.player_join(session=live, nickname="ana")

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        await to_thread(open_almost_over)
        opened = await receive(socket)
        assert opened["html"].count("answer-form") >= 1
        closed = await receive(socket, timeout=5)  # the server's own timer, nobody asked
        assert 'data-result="none"' in closed["html"] and closed["me"]["result"] == "none"
        await socket.disconnect()

    def open_almost_over():
        # Opened 19.7 s ago, of 20: the deadline is 0.3 s away.
        with django_capture_on_commit_callbacks(execute=True):
            services.session_start(session=live, now=timezone.now() - timedelta(seconds=19.7))

    async_to_sync(scenario)()
    assert LiveSession.objects.get(pk=live.pk).state == "closed"


def test_a_kicked_player_is_told_and_disconnected(live, django_capture_on_commit_callbacks):
    player, token = services.player_join(session=live, nickname="rude")

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        await to_thread(kick)
        message = await receive(socket)
        assert message["me"] == {"kicked": True}
        assert (await socket.receive_output(timeout=2))["type"] == "websocket.close"

    def kick():
        with django_capture_on_commit_callbacks(execute=True):
            services.player_kick(session=live, player=player)

    async_to_sync(scenario)()


def test_ping_answers_with_the_servers_clock(live):
    _player, token = services.player_join(session=live, nickname="ana")

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        await socket.send_to(text_data=json.dumps({"type": "ping", "t": 123}))
        pong = await receive(socket)
        assert pong["type"] == "pong" and pong["t"] == 123
        assert abs(pong["now"] - timezone.now().timestamp() * 1000) < 5000
        await socket.send_to(text_data="not json")
        await socket.send_to(text_data=json.dumps({"type": "tick"}))  # harmless in the lobby
        assert await socket.receive_nothing(timeout=0.2)
        await socket.disconnect()

    async_to_sync(scenario)()


def test_a_socket_that_floods_is_closed(live):
    _player, token = services.player_join(session=live, nickname="ana")

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        for _ in range(consumers.MESSAGE_BUDGET):
            await socket.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
            assert (await receive(socket))["type"] == "pong"
        await socket.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
        assert await socket.receive_output(timeout=3) == {
            "type": "websocket.close",
            "code": consumers.TOO_MANY,
        }

    async_to_sync(scenario)()


def test_publish_survives_a_broken_layer(live, monkeypatch, caplog):
    class Broken:
        async def group_send(self, *args):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(push, "get_channel_layer", lambda: Broken())
    push.publish(live.pk)  # logged, not raised: the state is in the database
    assert "could not push" in caplog.text


def test_the_per_process_memo_computes_once_for_many_askers():
    calls = []

    async def compute():
        calls.append(1)
        await asyncio.sleep(0.01)
        return "value"

    async def scenario():
        results = await asyncio.gather(*[consumers.memoised(("t", 1), compute) for _ in range(50)])
        assert results == ["value"] * 50

    async_to_sync(scenario)()
    assert calls == [1]


def test_player_views_rank_ties_and_hide_scores_while_open(live):
    players = [services.player_join(session=live, nickname=n)[0] for n in ("a", "b", "c")]
    services.session_start(session=live)
    item = current_item(live)
    for player in players[:2]:
        player.session.refresh_from_db()
        services.answer_submit(
            player=player, position=0, choice_ids=right(item), now=live.opened_at
        )
    views = selectors.player_views(LiveSession.objects.get(pk=live.pk))
    assert all("score" not in view for view in views.values())
    services.session_skip(session=live)
    views = selectors.player_views(LiveSession.objects.get(pk=live.pk))
    assert [views[p.pk]["rank"] for p in players] == [1, 1, 3]
    assert [views[p.pk]["result"] for p in players] == ["correct", "correct", "none"]


def test_an_answer_over_the_socket_is_scored_like_the_form(live):
    player, token = services.player_join(session=live, nickname="ana")
    services.player_join(session=live, nickname="bo")  # keeps the question open
    services.session_start(session=live)
    item = current_item(live)
    letter = "ABCDEFG"[item.choice_order.index(right(item)[0])]

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        await socket.send_to(
            text_data=json.dumps({"type": "answer", "question": 1, "choices": [letter]})
        )
        assert await receive(socket) == {"type": "answered", "question": 1}
        await socket.send_to(
            text_data=json.dumps({"type": "answer", "question": 1, "choices": [letter]})
        )
        again = await receive(socket)
        assert again["type"] == "answer-error" and again["status"] == 409
        await socket.send_to(
            text_data=json.dumps({"type": "answer", "question": "x", "choices": "A"})
        )
        assert (await receive(socket))["status"] == 400
        await socket.disconnect()

    async_to_sync(scenario)()
    answer = player.answers.get()
    assert answer.correct and answer.points > 900


def letter_of(item, choice_id) -> str:
    return "ABCDEFG"[item.choice_order.index(choice_id)]


def test_a_slow_answer_holds_up_no_other_socket(live, monkeypatch):
    """An answer's database work runs off the event loop, and nothing else waits for it:
    while it is held up, another player's ping is answered (Channels' own dispatch would
    first queue a close_old_connections() behind it), and the answer's reply comes after."""
    first, first_token = services.player_join(session=live, nickname="ana")
    _second, second_token = services.player_join(session=live, nickname="bo")
    services.session_start(session=live)
    item = current_item(live)
    answer = {"type": "answer", "question": 1, "choices": [letter_of(item, right(item)[0])]}
    started, released = threading.Event(), threading.Event()
    real = services.answer_submit

    def slow_answer_submit(**kwargs):
        started.set()
        assert released.wait(timeout=5), "the test never let the answer go"
        return real(**kwargs)

    monkeypatch.setattr(services, "answer_submit", slow_answer_submit)

    async def scenario():
        ana, bo = player_socket(live, first_token), player_socket(live, second_token)
        for socket in (ana, bo):
            assert (await socket.connect())[0]
            await receive(socket)
        await ana.send_to(text_data=json.dumps(answer))
        while not started.is_set():
            await asyncio.sleep(0.01)
        await bo.send_to(text_data=json.dumps({"type": "ping", "t": 7}))
        assert (await receive(bo))["type"] == "pong"  # served while ana's answer waits
        assert await ana.receive_nothing(timeout=0.1)
        released.set()
        assert await receive(ana) == {"type": "answered", "question": 1}
        for socket in (ana, bo):
            await socket.disconnect()

    async_to_sync(scenario)()
    assert first.answers.get().correct


def test_a_socket_answer_is_timed_on_arrival_by_the_server_like_the_form(live, monkeypatch):
    """Fairness: the server's clock when the answer arrived, whatever the message claims and
    however long it then waited for a database thread; the form's answer at the same moment
    scores the same."""
    ana, ana_token = services.player_join(session=live, nickname="ana")
    bo, bo_token = services.player_join(session=live, nickname="bo")
    services.player_join(session=live, nickname="cy")  # keeps the question open
    opened = timezone.now()
    services.session_start(session=live, now=opened)
    item = current_item(live)
    letter = letter_of(item, right(item)[0])
    released = threading.Event()
    real = services.answer_submit

    def queued_answer_submit(**kwargs):
        assert released.wait(timeout=5)
        return real(**kwargs)

    monkeypatch.setattr(services, "answer_submit", queued_answer_submit)

    def form_answer():
        client = Client()
        client.cookies[f"live_{live.code}"] = bo_token
        url = reverse("live:answer", args=[live.code])
        assert client.post(url, {"question": "1", "choice": letter}).status_code == 303

    async def scenario(clock):
        socket = player_socket(live, ana_token)
        assert (await socket.connect())[0]
        await receive(socket)
        claims = {"elapsed_ms": 0, "answered_at": opened.isoformat(), "now": 0, "t": 0}
        await socket.send_to(
            text_data=json.dumps({"type": "answer", "question": 1, "choices": [letter], **claims})
        )
        await socket.receive_nothing(timeout=0.1)  # arrived, now waiting for the database
        clock.move_to(opened + timedelta(seconds=9))
        released.set()
        assert await receive(socket) == {"type": "answered", "question": 1}
        clock.move_to(opened + timedelta(seconds=7))
        await to_thread(form_answer)
        await socket.disconnect()

    with time_machine.travel(opened + timedelta(seconds=7), tick=False) as clock:
        async_to_sync(scenario)(clock)
    by_socket, by_form = ana.answers.get(), bo.answers.get()
    assert by_socket.elapsed_ms == by_form.elapsed_ms == 7000
    assert by_socket.answered_at == by_form.answered_at == opened + timedelta(seconds=7)
    assert by_socket.points == by_form.points > 0


def test_unreadable_socket_answers_get_a_4xx_and_the_socket_stays(live):
    _player, token = services.player_join(session=live, nickname="ana")
    services.player_join(session=live, nickname="bo")  # keeps the question open
    services.session_start(session=live)
    unreadable = [
        '{"type": "answer", "question": 1e309, "choices": ["A"]}',  # infinity: OverflowError
        '{"type": "answer", "question": -Infinity, "choices": ["A"]}',
        '{"type": "answer", "question": NaN, "choices": ["A"]}',
        '{"type": "answer", "question": true, "choices": ["A"]}',
        '{"type": "answer", "question": [1], "choices": ["A"]}',
        '{"type": "answer", "question": 0, "choices": ["A"]}',
        '{"type": "answer", "question": -4, "choices": ["A"]}',
        '{"type": "answer", "question": 1, "choices": "A"}',
        '{"type": "answer", "question": 1, "choices": [{"A": 1}, null]}',
        '{"type": "answer", "question": 1, "choices": []}',
        '{"type": "answer", "question": 1000000000000000000000000000000, "choices": ["A"]}',
    ]

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        for text in unreadable:
            await socket.send_to(text_data=text)
            reply = await receive(socket)
            assert reply["type"] == "answer-error" and 400 <= reply["status"] < 500, text
            assert reply["message"], text
        await socket.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
        assert (await receive(socket))["type"] == "pong"
        await socket.disconnect()

    async_to_sync(scenario)()
    assert not Answer.objects.exists()


def test_an_answer_after_the_session_was_deleted_is_a_403(live):
    _player, token = services.player_join(session=live, nickname="ana")
    services.session_start(session=live)

    async def scenario():
        socket = player_socket(live, token)
        assert (await socket.connect())[0]
        await receive(socket)
        await to_thread(lambda: LiveSession.objects.filter(pk=live.pk).delete())
        await socket.send_to(
            text_data=json.dumps({"type": "answer", "question": 1, "choices": ["A"]})
        )
        reply = await receive(socket)
        assert reply["type"] == "answer-error" and reply["status"] == 403
        await socket.disconnect()

    async_to_sync(scenario)()
