"""What the live screens draw: plain view-models for the templates (no rules of the game here).

The players' *stage* is the part of their screen that is the same for everyone; it is rendered
once per state change (per language) and pushed to every phone. A player's own part (answered
or not, result, score, rank) comes from ``selectors.player_views``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors
from .models import LiveSession

State = LiveSession.State


def countdown(session: LiveSession) -> dict:
    """The countdown as browsers run it: the server's deadline, or the time left while paused.

    ``remaining`` (whole seconds, as rendered) is only the first frame: browsers count down
    from the deadline, corrected for the offset between their clock and the server's.
    """
    left_ms = None
    if session.paused:
        left_ms = session.paused_remaining_ms
    elif session.state == State.OPEN and session.deadline is not None:
        left_ms = max(0, (session.deadline - timezone.now()).total_seconds() * 1000)
    return {
        "deadline_ms": session.deadline_ms() if session.state == State.OPEN else None,
        "paused_ms": session.paused_remaining_ms if session.paused else None,
        "remaining": None if left_ms is None else math.ceil(left_ms / 1000),
    }


def stage_context(session: LiveSession) -> dict:
    item = selectors.current_item(session)
    context = {
        "session": session,
        "item": item,
        "item_count": session.items.count(),
        **countdown(session),
    }
    if session.state == State.OPEN:
        context["choices"] = selectors.shown_choices(item)
    elif session.state == State.CLOSED:
        revealed = selectors.revealed_choices(item)
        context["revealed"] = revealed
        context["correct_letters"] = ", ".join(c.letter for c in revealed if c.correct)
        if session.teams and not session.hide_leaderboard:
            context["team_standings"] = selectors.team_standings(session)
    elif session.state == State.FINISHED:
        context["podium"] = selectors.podium(selectors.leaderboard(session, limit=50))
        if session.teams:
            context["team_standings"] = selectors.team_standings(session)
            context["team_podium"] = selectors.podium(context["team_standings"])
    return context


def render_stage(session: LiveSession, language: str, context: dict | None = None) -> str:
    with translation.override(language):
        return render_to_string("live/_stage.html", context or stage_context(session))


def watch_context(session: LiveSession, *, join_url: str, full_list: bool) -> dict:
    """The host's and the presenter's screens: the stage plus counts, bars and standings."""
    item = selectors.current_item(session)
    players = selectors.active_players(session)
    context = {
        "session": session,
        "item": item,
        "item_count": session.items.count(),
        "player_count": players.count(),
        # Thousands of names do not fit a screen: the latest joiners, and how many more.
        "players": list(players.order_by("-joined_at", "-pk")[: 200 if full_list else 60]),
        "join_url": join_url,
        "join_qr": join_qr(join_url),
        **countdown(session),
    }
    context["more_players"] = context["player_count"] - len(context["players"])
    if session.state == State.OPEN:
        context["choices"] = selectors.shown_choices(item)
        context["answered"] = selectors.answered_count(session)
    elif session.state == State.CLOSED:
        context["choices"] = selectors.revealed_choices(item)
        context["answered"] = selectors.answered_count(session)
        if not session.hide_leaderboard:
            context["standings"] = selectors.leaderboard(session, limit=10)
            context["team_standings"] = selectors.team_standings(session)
    elif session.state == State.FINISHED:
        standings = selectors.leaderboard(session)
        context["standings"] = standings
        context["podium"] = selectors.podium(standings)
        context["team_standings"] = selectors.team_standings(session)
        context["team_podium"] = selectors.podium(context["team_standings"])
    return context


@lru_cache(maxsize=64)
def join_qr(url: str) -> str:
    """An inline SVG QR code of the join URL: black on white in dark mode too (scanners)."""
    return segno.make(url, error="m").svg_inline(
        scale=1, dark="#000", light="#fff", border=2, omitsize=True
    )
