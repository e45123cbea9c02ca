"""Pushing a live session's state changes to the screens that show it (Django Channels).

One render per state change: after each change commits, ``publish`` renders the players'
shared stage once per language and sends it to that language's group, and tells the host's
and presenter's screens (a group of their own) to fetch their panel. With the Redis pub/sub
layer a group message is one Redis PUBLISH, received once by each app server, which hands it
to its own sockets (``consumers``). A failed push loses nothing: the state is in the
database, and screens that miss a message catch up when they reconnect or poll.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from . import screens
from .models import LiveSession

logger = logging.getLogger(__name__)


def players_group(session_id: int, language: str) -> str:
    return f"live-{session_id}-players-{language}"


def watchers_group(session_id: int) -> str:
    return f"live-{session_id}-watch"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def messages(session: LiveSession) -> list[tuple[str, dict]]:
    """(group, message) pairs for the session as it is now."""
    common = {
        "version": session.version,
        "state": session.state,
        "session": session.pk,
        "deadline_ms": session.deadline_ms() if session.state == LiveSession.State.OPEN else None,
    }
    context = screens.stage_context(session)
    sent = []
    for language in languages():
        html = screens.render_stage(session, language, context)
        message = {"type": "live.stage", "language": language, "html": html, **common}
        sent.append((players_group(session.pk, language), message))
    sent.append((watchers_group(session.pk), {"type": "live.refresh", **common}))
    return sent


async def _send_all(layer, pairs: list[tuple[str, dict]]) -> None:
    for group, message in pairs:
        await layer.group_send(group, message)


def publish(session_id: int) -> None:
    """Render the session's new state once and send it to every screen (after a commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        session = LiveSession.objects.get(pk=session_id)
        async_to_sync(_send_all)(layer, messages(session))
    except Exception:
        # The change itself is committed; screens catch up by polling or reconnecting.
        logger.exception("live: could not push session %s", session_id)


def publish_on_commit(session_id: int) -> None:
    transaction.on_commit(lambda: publish(session_id))
