"""WebSocket consumers of the live screens: thin, as in Channels' tutorial.

A player's socket joins their session's group (in their language) and forwards what
``push.publish`` rendered once for everyone, with the player's own numbers beside it. The
host's and presenter's sockets only hear "refresh". Nothing here decides scores or timing:
an answer, over the socket or the form, goes to ``services.answer_letters`` with the server's
clock when it arrived; closing at the deadline is ``services.session_close_due``, which any
server may call (exactly one closes).

The event loop never waits for the database: every query runs in ``database_sync_to_async``,
thread-sensitive (its default: database adapters want the thread that opened a connection),
so in the one thread asgiref keeps per process for such calls, one after another in the order
they came, with no connection set up per message (the thread keeps its own; on PostgreSQL the
pool lends one). An answer that waited there is still scored by when it arrived, and this
process's own close at the deadline queues behind the answers that came before it.

Per process, a few things are memoised by (session, version), never per connection: the
stage as JSON text, and the table of every player's own numbers (two queries per state
change per app server, not per player). And each process keeps one timer per open question,
so the question closes on time even when no browser asks.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from datetime import datetime
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone, translation

from . import push, screens, selectors, services
from .models import LiveSession, Player

MEMO_SIZE = 64
TICK_INTERVAL = 2.0  # seconds between two "the countdown ended" from one browser
# A browser sends a few messages a minute (pings, one answer per question, a tick at the
# deadline); a socket that sends more than this per window is closed (4429), and reconnects.
MESSAGE_BUDGET = 20
MESSAGE_WINDOW = 10.0
MAX_MESSAGE = 2000  # characters; an answer is a few dozen
TOO_MANY = 4429
_memo: OrderedDict = OrderedDict()
_timers: dict[int, tuple[int, asyncio.TimerHandle]] = {}
_closing: set[asyncio.Task] = set()  # running closes, kept referenced until they end


async def memoised(key, compute):
    """The value for ``key``, computed once per process even when thousands ask at once."""
    future = _memo.get(key)
    if future is None:
        future = asyncio.ensure_future(compute())
        _memo[key] = future
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    try:
        return await asyncio.shield(future)
    except Exception:
        _memo.pop(key, None)
        raise


def schedule_close(session_id: int, version: int, deadline_ms: int | None) -> None:
    """One timer per process for the open question: at its deadline, close it if still open."""
    current = _timers.get(session_id)
    if current is not None and current[0] == version:
        return
    if current is not None:
        current[1].cancel()
        del _timers[session_id]
    if deadline_ms is None:
        return
    loop = asyncio.get_running_loop()
    delay = max(0.0, deadline_ms / 1000 - time.time()) + 0.05

    def fire():
        _timers.pop(session_id, None)
        task = loop.create_task(close_due(session_id))
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    _timers[session_id] = (version, loop.call_later(delay, fire))


async def close_due(session_id: int) -> None:
    await database_sync_to_async(services.session_close_due)(session_id=session_id)


def _language(scope) -> str:
    asked = parse_qs(scope.get("query_string", b"").decode()).get("lang", [""])[0]
    return asked if asked in push.languages() else push.languages()[0]


class LiveConsumer(AsyncWebsocketConsumer):
    groups_joined: list[str]
    last_tick = 0.0
    window_start = 0.0
    window_count = 0

    async def dispatch(self, message):
        """Channels' own dispatch, less its close_old_connections() before every message.
        That call is a trip to the process's one database thread, so each ping and each pushed
        stage, on every socket, would wait behind whatever query runs there (a player's
        answer, a stage render). It is not needed: every query here goes through
        database_sync_to_async, which closes old connections around itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def join(self, group: str) -> None:
        self.groups_joined = [*getattr(self, "groups_joined", []), group]
        await self.channel_layer.group_add(group, self.channel_name)

    def over_budget(self) -> bool:
        now = time.monotonic()
        if now - self.window_start > MESSAGE_WINDOW:
            self.window_start, self.window_count = now, 0
        self.window_count += 1
        return self.window_count > MESSAGE_BUDGET

    async def receive(self, text_data=None, bytes_data=None):
        if self.over_budget():
            await self.close(code=TOO_MANY)
            return
        if not text_data or len(text_data) > MAX_MESSAGE:
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if message.get("type") == "ping":
            # For the browser's clock offset: it halves the round trip around our clock.
            sent = message.get("t")
            sent = sent if isinstance(sent, int | float) else None
            await self.send(json.dumps({"type": "pong", "t": sent, "now": time.time() * 1000}))
        elif message.get("type") == "tick" and time.monotonic() - self.last_tick > TICK_INTERVAL:
            self.last_tick = time.monotonic()
            await close_due(self.session_id)
        elif message.get("type") == "answer":
            await self.answer(message, arrived=timezone.now())

    async def answer(self, message: dict, arrived: datetime) -> None:
        """Watchers send no answers; see PlayerConsumer."""


class PlayerConsumer(LiveConsumer):
    """/live/ws/play/<code>/?lang=xx: a player's phone, known by the cookie it joined with."""

    answering = False

    async def connect(self):
        code = self.scope["url_route"]["kwargs"]["code"]
        token = self.scope.get("cookies", {}).get(f"live_{code}")
        player = await database_sync_to_async(selectors.player_for_token)(code, token)
        if player is None:
            await self.close(code=4403)
            return
        self.player_id = player.pk
        self.session_id = player.session_id
        self.language = _language(self.scope)
        await self.accept()
        await self.join(push.players_group(self.session_id, self.language))
        # A new or resumed connection gets the screen as it is now, and the player's part.
        session = player.session
        stage = await memoised(
            ("stage", session.pk, session.version, self.language),
            lambda: database_sync_to_async(self._stage_json)(session),
        )
        view = await database_sync_to_async(selectors.player_view)(player)
        await self._send_stage(session.version, stage, view)
        if session.state == LiveSession.State.OPEN:
            schedule_close(session.pk, session.version, session.deadline_ms())

    async def answer(self, message: dict, arrived: datetime) -> None:
        """An answer sent over the socket: the same service as the HTTP form, which stays for
        browsers without a socket. The socket was opened from our own origin (checked) with
        the player's cookie, so it stands in for the form's CSRF token."""
        if self.answering:
            return  # one at a time: a second click waits for the first's reply
        self.answering = True
        try:
            reply = await database_sync_to_async(_answer)(
                self.player_id, message.get("question"), message.get("choices"), self.language,
                arrived,
            )  # fmt: skip
        finally:
            self.answering = False
        await self.send(json.dumps(reply))

    def _stage_json(self, session: LiveSession) -> str:
        return json.dumps(screens.render_stage(session, self.language))

    async def _send_stage(self, version: int, stage_json: str, view: dict) -> None:
        await self.send(
            f'{{"type":"stage","version":{version},"me":{json.dumps(view)},"html":{stage_json}}}'
        )
        if view.get("kicked"):
            await self.close(code=4403)

    async def live_stage(self, event):
        version, session_id = event["version"], event["session"]
        schedule_close(session_id, version, event["deadline_ms"])
        stage = await memoised(
            ("stage", session_id, version, self.language), lambda: _encoded(event["html"])
        )
        table = await memoised(
            ("views", session_id, version),
            lambda: database_sync_to_async(_player_views)(session_id),
        )
        await self._send_stage(version, stage, table.get(self.player_id, {"kicked": True}))


async def _encoded(html: str) -> str:
    return json.dumps(html)


def _answer(player_id: int, number, choices, language: str, arrived: datetime) -> dict:
    """Record an answer sent over a socket (what views.answer does for the form)."""
    with translation.override(language):
        try:
            if isinstance(number, bool) or not isinstance(choices, list):
                raise ValueError("unreadable")
            number = int(number)  # JSON's 1e309 is infinity: OverflowError
        except (TypeError, ValueError, OverflowError):
            return {"type": "answer-error", "question": None, "status": 400,
                    "message": translation.gettext("That answer could not be read. Choose again.")}  # fmt: skip
        player = Player.objects.select_related("session").filter(pk=player_id).first()
        if player is None:  # the session was deleted since the socket opened
            return {"type": "answer-error", "question": number, "status": 403,
                    "message": translation.gettext("You are not in this quiz on this device.")}  # fmt: skip
        try:
            services.answer_letters(player=player, number=number, letters=choices, now=arrived)
        except services.LiveError as error:
            return {"type": "answer-error", "question": number, "status": error.status,
                    "message": error.message}  # fmt: skip
    return {"type": "answered", "question": number}


def _player_views(session_id: int) -> dict[int, dict]:
    return selectors.player_views(LiveSession.objects.get(pk=session_id))


class WatchConsumer(LiveConsumer):
    """/live/ws/watch/<id>/: the host's and the presenter's screens (the host, signed in)."""

    async def connect(self):
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        user = self.scope.get("user")
        session = await database_sync_to_async(_hosted_by)(self.session_id, user)
        if session is None:
            await self.close(code=4403)
            return
        await self.accept()
        await self.join(push.watchers_group(self.session_id))
        if session.state == LiveSession.State.OPEN:
            schedule_close(session.pk, session.version, session.deadline_ms())

    async def live_refresh(self, event):
        schedule_close(event["session"], event["version"], event["deadline_ms"])
        await self.send(json.dumps({"type": "refresh", "version": event["version"]}))


def _hosted_by(session_id: int, user) -> LiveSession | None:
    if user is None or not user.is_authenticated:
        return None
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None or (session.host_id != user.pk and not user.is_superuser):
        return None
    return session
