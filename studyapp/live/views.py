"""Live quiz pages: the host's screen, the presenter's (projector) screen, the players' phones.

State changes are pushed over WebSockets (``consumers``, ``push``); these views serve the
pages, the answers, and the polling that is the fallback (and keeps the host's answer count
live). A polled fragment carries an ETag built from what it shows, never from the countdown
(browsers run it from the deadline): an unchanged screen costs a 304, and a finished session
answers 286, htmx's "stop polling".
"""

import math
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp import spreadsheet
from studyapp.accounts.roles import is_instructor
from studyapp.http import HtmxHttpRequest

from . import codes, ratelimit, screens, selectors, services
from .forms import SessionForm
from .models import LiveSession, Player

STOP_POLLING = 286
COOKIE_MAX_AGE = 12 * 60 * 60
HOST_ACTIONS = {
    "start": services.session_start,
    "next": services.session_next,
    "pause": services.session_pause,
    "resume": services.session_resume,
    "skip": services.session_skip,
    "end": services.session_end,
}


def _cookie_name(code: str) -> str:
    return f"live_{code}"


def instructor_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_instructor(request.user):
            raise PermissionDenied(_("Only instructors can host live quizzes."))
        return view(request, *args, **kwargs)

    return wrapper


def _hosted(request, session_id: int) -> LiveSession:
    session = get_object_or_404(LiveSession, pk=session_id)
    if session.host_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied(_("This quiz belongs to another instructor."))
    return session


def _seconds(ms: int | None) -> int | None:
    return None if ms is None else math.ceil(ms / 1000)


def _sent_etags(request) -> list[str]:
    """The entity tags of If-None-Match, without quotes or the weak ``W/`` prefix.

    Browsers send back what they got, but a proxy or a compressing middleware may have made
    the tag weak (``W/"..."``); If-None-Match uses the weak comparison (RFC 9110, 13.1.2).
    """
    tags = []
    for tag in request.headers.get("If-None-Match", "").split(","):
        tag = tag.strip()
        if tag[:2] in ("W/", "w/"):
            tag = tag[2:]
        tags.append(tag.strip('"'))
    return [tag for tag in tags if tag]


def _not_modified(request, etag: str) -> bool:
    sent = _sent_etags(request)
    return "*" in sent or etag.strip('"') in sent


def _with_etag(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    return response


# --- host --------------------------------------------------------------------------------------


@require_safe
@instructor_required
def index(request: HtmxHttpRequest) -> HttpResponse:
    sessions = selectors.host_sessions(request.user)[:50]
    return render(request, "live/index.html", {"sessions": sessions})


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
def session_new(request: HtmxHttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, host=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.session_create(
                    host=request.user,
                    title=form.cleaned_data["title"],
                    questions=form.chosen_questions(),
                    time_limit=form.cleaned_data["time_limit"],
                    streak_bonus=form.cleaned_data["streak_bonus"],
                    team_count=form.cleaned_data["team_count"] or 0,
                    hide_leaderboard=form.cleaned_data["hide_leaderboard"],
                )
            except services.LiveError as error:
                form.add_error(None, error.message)
            else:
                return redirect("live:host", session.pk)
        status = 400
    return render(request, "live/new.html", {"form": form}, status=status)


def _server_now_ms() -> int:
    return int(time.time() * 1000)


def _join_url(request, session: LiveSession) -> str:
    return request.build_absolute_uri(f"{reverse('live:join')}?code={session.code}")


def _host_context(request, session: LiveSession, *, full_list: bool = True) -> dict:
    context = screens.watch_context(
        session, join_url=_join_url(request, session), full_list=full_list
    )
    context["join_url"] = request.build_absolute_uri(reverse("live:join"))
    context["join_base"] = context["join_url"]
    context["server_now_ms"] = _server_now_ms()
    return context


def _host_etag(request, session: LiveSession, prefix: str = "h") -> str:
    answered = selectors.answered_count(session) if session.state == "open" else 0
    players = selectors.active_players(session).count()
    return f'"{prefix}{session.version}.{answered}.{players}.{request.LANGUAGE_CODE}"'


@require_safe
@instructor_required
@never_cache
@vary_on_headers("HX-Request")
def host(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    session = services.session_tick(session=_hosted(request, session_id))
    if not request.htmx:
        return render(request, "live/host.html", _host_context(request, session))
    etag = _host_etag(request, session)
    if session.finished:
        response = render(request, "live/host.html#panel", _host_context(request, session))
        response.status_code = STOP_POLLING
        return _with_etag(response, etag)
    if _not_modified(request, etag):
        return _with_etag(HttpResponse(status=304), etag)
    return _with_etag(
        render(request, "live/host.html#panel", _host_context(request, session)), etag
    )


@require_safe
@instructor_required
@never_cache
@vary_on_headers("HX-Request")
def present(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """The projector: join code and QR code, the question, the answer count, bars, podium."""
    session = services.session_tick(session=_hosted(request, session_id))
    template = "live/present.html#panel" if request.htmx else "live/present.html"
    if not request.htmx:
        return render(request, template, _host_context(request, session, full_list=False))
    etag = _host_etag(request, session, prefix="s")
    if not session.finished and _not_modified(request, etag):
        return _with_etag(HttpResponse(status=304), etag)
    response = render(request, template, _host_context(request, session, full_list=False))
    if session.finished:
        response.status_code = STOP_POLLING
    return _with_etag(response, etag)


def _host_reply(request, session: LiveSession, error: str = "", status: int = 200):
    if request.htmx:
        context = _host_context(request, session) | {"error": error}
        return render(request, "live/host.html#panel", context, status=status)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("live:host", args=[session.pk]), status=303)


@require_POST
@instructor_required
def host_action(request: HtmxHttpRequest, session_id: int, action: str) -> HttpResponse:
    session = _hosted(request, session_id)
    try:
        # The version the host's screen showed (see services._locked); absent: act anyway.
        sent = request.POST.get("version", "").strip()
        if sent and not (sent.isascii() and sent.isdigit()):
            raise services.LiveError(_("That request could not be read. Reload the page."), 400)
        expected = int(sent) if sent else None
        session = HOST_ACTIONS[action](session=session, expected_version=expected)
    except services.LiveError as error:
        session.refresh_from_db()
        return _host_reply(request, session, error.message, error.status)
    return _host_reply(request, session)


@require_POST
@instructor_required
def kick(request: HtmxHttpRequest, session_id: int, player_id: int) -> HttpResponse:
    session = _hosted(request, session_id)
    player = get_object_or_404(Player, pk=player_id, session=session)
    services.player_kick(session=session, player=player)
    session.refresh_from_db()
    return _host_reply(request, session)


@require_POST
@instructor_required
def lock(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    session = _hosted(request, session_id)
    services.session_lock(session=session, locked=request.POST.get("locked") == "1")
    session.refresh_from_db()
    return _host_reply(request, session)


@require_safe
@instructor_required
def report(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    session = _hosted(request, session_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-{session.code}-{session.pk}.csv"'
    spreadsheet.write_rows(response, [selectors.REPORT_HEADER, *selectors.report_rows(session)])
    return response


# --- players -----------------------------------------------------------------------------------


def _player(request, code: str) -> Player | None:
    return selectors.player_for_token(code, request.COOKIES.get(_cookie_name(code)))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def join(request: HtmxHttpRequest) -> HttpResponse:
    # "123 456" as read out from the screen is the code 123456.
    code = "".join((request.POST.get("code") or request.GET.get("code") or "").split())
    nickname = request.POST.get("nickname", "")
    context = {"code": code, "nickname": nickname, "error": ""}
    if request.method != "POST":
        # A cookie from a finished quiz whose code was drawn again must not hide the form.
        player = _player(request, code) if codes.looks_like_code(code) else None
        if player is not None and not player.session.finished:
            return redirect("live:play", code)
        return render(request, "live/join.html", context)

    if not codes.looks_like_code(code):  # a typo that cannot be a code is not a guess
        context["error"] = _("No running quiz has that code. Check the 6 digits on the screen.")
        return render(request, "live/join.html", context, status=400)
    ticket = ratelimit.join_attempt(request)
    if not ticket.allowed:
        ratelimit.join_succeeded(ticket)  # refused unread: it was not a guess
        context["error"] = _(
            "Too many wrong codes from your network today. Ask your host for help, or try again later."
        )
        return render(request, "live/join.html", context, status=429)
    session = selectors.session_for_code(code)
    if session is None:
        context["error"] = _("No running quiz has that code. Check the 6 digits on the screen.")
        return render(request, "live/join.html", context, status=404)
    ratelimit.join_succeeded(ticket)
    existing = _player(request, code)
    if existing is not None and existing.session_id == session.pk:
        return redirect("live:play", code)  # a reload or a second tap: same player
    try:
        _player_obj, token = services.player_join(
            session=session, nickname=nickname, user=request.user
        )
    except services.LiveError as error:
        context["error"] = error.message
        return render(request, "live/join.html", context, status=error.status)
    response = HttpResponseRedirect(reverse("live:play", args=[code]), status=303)
    response.set_cookie(
        _cookie_name(code),
        token,
        max_age=COOKIE_MAX_AGE,
        path="/live/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _player_context(player: Player, error: str = "") -> dict:
    session = player.session
    context = {"session": session, "player": player, "error": error,
               "server_now_ms": _server_now_ms()}  # fmt: skip
    if player.kicked:
        return context
    context |= screens.stage_context(session)
    context["me"] = selectors.player_view(player)
    return context


def _player_etag(request, player: Player) -> str:
    """What the player's screen shows: the session's and the player's versions (no clock)."""
    return f'"p{player.session.version}.{player.rev}.{request.LANGUAGE_CODE}"'


@require_safe
@never_cache
@vary_on_headers("HX-Request", "Cookie")
def play(request: HtmxHttpRequest, code: str) -> HttpResponse:
    player = _player(request, code)
    if player is None:
        if request.htmx:
            return render(request, "live/play.html#gone", {"code": code}, status=STOP_POLLING)
        return redirect(f"{reverse('live:join')}?code={code}")
    services.session_tick(session=player.session)
    if not request.htmx:
        return render(request, "live/play.html", _player_context(player))
    session = player.session
    etag = _player_etag(request, player)
    if session.finished or player.kicked:
        response = render(request, "live/play.html#panel", _player_context(player))
        response.status_code = STOP_POLLING
        return _with_etag(response, etag)
    if _not_modified(request, etag):
        return _with_etag(HttpResponse(status=304), etag)
    return _with_etag(render(request, "live/play.html#panel", _player_context(player)), etag)


@require_POST
@never_cache
def answer(request: HtmxHttpRequest, code: str) -> HttpResponse:
    player = _player(request, code)
    if player is None:
        return render(request, "live/play.html#gone", {"code": code}, status=403)
    error, status = "", 200
    try:
        number = int(request.POST.get("question", ""))
    except ValueError:
        error, status = _("That answer could not be read. Choose again."), 400
    else:
        try:
            recorded = services.answer_letters(
                player=player, number=number, letters=request.POST.getlist("choice")
            )
        except services.LiveError as failure:
            error, status = failure.message, failure.status
    if not error:
        if not request.htmx:
            return HttpResponseRedirect(reverse("live:play", args=[code]), status=303)
        # "Answer sent": the busiest moment of a quiz, so a constant fragment, nothing read.
        response = render(request, "live/_answered.html", {"question": recorded.item.number})
        response["X-Live-Answered"] = str(recorded.item.number)
        return response
    player.refresh_from_db()
    player.session.refresh_from_db()
    if not request.htmx:
        return render(request, "live/play.html", _player_context(player, error), status=status)
    response = render(
        request, "live/play.html#panel", _player_context(player, error), status=status
    )
    # The form asked for its own area; an error redraws the whole panel, with the message.
    response["HX-Retarget"] = "#player-panel"
    response["HX-Reswap"] = "outerHTML"
    return response
