"""Writes of a live session: state transitions, joins, answers.

Every transition bumps ``LiveSession.version``. Host actions lock the session row
(``select_for_update``); the lazy close and the all-answered close are conditional UPDATEs,
so when several workers race to close a question exactly one of them does it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studyapp.quizzes.models import Choice, Question, is_correct

from . import codes, nicknames, push, scoring, selectors
from .codes import token_hash
from .models import MAX_TEAMS, Answer, LiveQuestion, LiveSession, Player

State = LiveSession.State
MIN_TIME_LIMIT = 5
MAX_TIME_LIMIT = 120
MAX_LETTERS = 10  # letters read from one answer (a question has at most 6 options)


class LiveError(Exception):
    """A request the session cannot accept now; the message is shown to the user."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- creating ---------------------------------------------------------------------------


def session_create(
    *,
    host,
    title: str,
    questions: Sequence[Question],
    time_limit: int = LiveSession.DEFAULT_TIME_LIMIT,
    streak_bonus: bool = True,
    team_count: int = 0,
    hide_leaderboard: bool = False,
) -> LiveSession:
    """A session in the lobby with a fresh join code and the questions in the given order."""
    if not questions:
        raise LiveError(_("Pick at least one question."), 400)
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise LiveError(_("The time limit must be between 5 and 120 seconds."), 400)
    if not (team_count == 0 or 2 <= team_count <= MAX_TEAMS):
        raise LiveError(_("Teams: choose none, or from 2 to 6 teams."), 400)
    shuffler = secrets.SystemRandom()
    choices: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(
        question__in=[q.pk for q in questions]
    ).values_list("question_id", "pk"):
        choices.setdefault(question_id, []).append(choice_id)
    for _attempt in range(50):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    host=host,
                    title=title,
                    code=codes.new_code(),
                    time_limit=time_limit,
                    streak_bonus=streak_bonus,
                    team_count=team_count,
                    hide_leaderboard=hide_leaderboard,
                )
                LiveQuestion.objects.bulk_create(
                    LiveQuestion(
                        session=session,
                        position=position,
                        question=question,
                        choice_order=shuffler.sample(
                            choices[question.pk], len(choices[question.pk])
                        ),
                    )
                    for position, question in enumerate(questions)
                )
                return session
        except IntegrityError:
            continue  # the code is in use by a running session: draw another
    raise RuntimeError("could not find a free join code")


# --- the clock: closing lazily --------------------------------------------------------------


def _close(session: LiveSession, now: datetime, **conditions) -> bool:
    """Close the current question if it is still open (and ``conditions`` hold)."""
    with transaction.atomic():
        closed = LiveSession.objects.filter(
            pk=session.pk, state=State.OPEN, current=session.current, **conditions
        ).update(
            state=State.CLOSED, deadline=None, paused_remaining_ms=None, version=F("version") + 1
        )
        if closed:
            LiveQuestion.objects.filter(
                session_id=session.pk, position=session.current, closed_at__isnull=True
            ).update(closed_at=now)
            push.publish_on_commit(session.pk)
    return bool(closed)


def session_tick(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    """Close the open question if its deadline has passed. Called by every request that reads."""
    now = _now(now)
    if session.state == State.OPEN and session.deadline is not None and session.deadline <= now:
        _close(session, now, deadline__lte=now)
        session.refresh_from_db()
    return session


def session_close_due(*, session_id: int, now: datetime | None = None) -> None:
    """Close the question if its deadline passed (an app server's timer, or a browser's)."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is not None:
        session_tick(session=session, now=now)


def remaining_ms(session: LiveSession, now: datetime | None = None) -> int | None:
    """Milliseconds left on the current question; None when no countdown is running."""
    if session.state != State.OPEN:
        return None
    if session.paused_remaining_ms is not None:
        return session.paused_remaining_ms
    if session.deadline is None:
        return None
    return max(0, int((session.deadline - _now(now)).total_seconds() * 1000))


def _close_if_all_answered(
    session: LiveSession, item: LiveQuestion, now: datetime, *, by_active_player: bool = False
) -> bool:
    """Close the question once every active player has answered it. The query stops at the
    first active player without an answer (early in a question, the first it looks at):
    counting players and answers instead cost time in proportion to the players, on every
    answer. ``by_active_player``: called for an answer that was just stored, so there is one."""
    active = Player.objects.filter(session_id=session.pk, kicked=False)
    unanswered = active.filter(~Exists(Answer.objects.filter(player=OuterRef("pk"), item=item)))
    if unanswered.exists() or not (by_active_player or active.exists()):
        return False
    return _close(session, now)


# --- host actions ----------------------------------------------------------------------------


def _locked(session: LiveSession, expected_version: int | None = None) -> LiveSession:
    """The session's row, locked; refused if the host acted on a screen that is out of date.

    The host's buttons carry the version they were drawn for: of two "next" from one double
    click, or a click on a stale tab, the second finds another version and changes nothing.
    """
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if expected_version is not None and session.version != expected_version:
        raise LiveError(_("The quiz moved on before your click: here is where it is now."))
    return session


def _save(session: LiveSession, **fields) -> None:
    for name, value in fields.items():
        setattr(session, name, value)
    session.version += 1
    session.save(update_fields=[*fields, "version"])
    push.publish_on_commit(session.pk)


def _open(session: LiveSession, position: int, now: datetime) -> None:
    _save(
        session,
        state=State.OPEN,
        current=position,
        opened_at=now,
        deadline=now + timedelta(seconds=session.time_limit),
        paused_remaining_ms=None,
    )
    LiveQuestion.objects.filter(session_id=session.pk, position=position).update(opened_at=now)


def _finish(session: LiveSession, now: datetime) -> None:
    if session.state == State.OPEN:
        LiveQuestion.objects.filter(
            session_id=session.pk, position=session.current, closed_at__isnull=True
        ).update(closed_at=now)
    _save(session, state=State.FINISHED, deadline=None, paused_remaining_ms=None, finished_at=now)


@transaction.atomic
def session_start(
    *, session: LiveSession, now: datetime | None = None, expected_version: int | None = None
) -> LiveSession:
    """Lobby -> the first question opens."""
    now = _now(now)
    session = _locked(session, expected_version)
    if session.state != State.LOBBY:
        raise LiveError(_("This quiz has already started."))
    if not session.items.exists():
        raise LiveError(_("This quiz has no questions."))
    _open(session, 0, now)
    return session


@transaction.atomic
def session_next(
    *, session: LiveSession, now: datetime | None = None, expected_version: int | None = None
) -> LiveSession:
    """Reveal -> the next question opens, or the quiz finishes after the last one."""
    now = _now(now)
    session = session_tick(session=_locked(session, expected_version), now=now)
    if session.state == State.LOBBY:
        _open(session, 0, now)
    elif session.state == State.CLOSED:
        if session.items.filter(position=session.current + 1).exists():
            _open(session, session.current + 1, now)
        else:
            _finish(session, now)
    elif session.state == State.OPEN:
        raise LiveError(_("The question is still open: skip it to show the answer first."))
    else:
        raise LiveError(_("This quiz has finished."))
    return session


@transaction.atomic
def session_pause(
    *, session: LiveSession, now: datetime | None = None, expected_version: int | None = None
) -> LiveSession:
    """Freeze the countdown: the remaining time is kept and the deadline cleared."""
    now = _now(now)
    session = session_tick(session=_locked(session, expected_version), now=now)
    if session.state != State.OPEN or session.paused:
        raise LiveError(_("There is no running question to pause."))
    _save(session, paused_remaining_ms=remaining_ms(session, now), deadline=None)
    return session


@transaction.atomic
def session_resume(
    *, session: LiveSession, now: datetime | None = None, expected_version: int | None = None
) -> LiveSession:
    """Restart the countdown with the time that was left; paused time never counts as taken."""
    now = _now(now)
    session = _locked(session, expected_version)
    if not session.paused:
        raise LiveError(_("The quiz is not paused."))
    deadline = now + timedelta(milliseconds=session.paused_remaining_ms)
    _save(
        session,
        deadline=deadline,
        opened_at=deadline - timedelta(seconds=session.time_limit),
        paused_remaining_ms=None,
    )
    return session


@transaction.atomic
def session_skip(
    *, session: LiveSession, now: datetime | None = None, expected_version: int | None = None
) -> LiveSession:
    """Close the open question now and show the answer; answers given so far count."""
    now = _now(now)
    session = session_tick(session=_locked(session, expected_version), now=now)
    if session.state != State.OPEN:
        raise LiveError(_("There is no open question to skip."))
    _close(session, now)
    session.refresh_from_db()
    return session


@transaction.atomic
def session_end(
    *, session: LiveSession, now: datetime | None = None, expected_version: int | None = None
) -> LiveSession:
    """End the quiz now, from any state: the podium and the report show what was played."""
    now = _now(now)
    session = _locked(session, expected_version)
    if session.state == State.FINISHED:
        raise LiveError(_("This quiz has finished."))
    _finish(session, now)
    return session


def player_kick(*, session: LiveSession, player: Player, now: datetime | None = None) -> None:
    """Remove a player: out of the leaderboard, and their screen says so."""
    now = _now(now)
    if player.session_id != session.pk:
        raise LiveError(_("No such player in this quiz."), 404)
    with transaction.atomic():
        session = _locked(session)
        Player.objects.filter(pk=player.pk).update(kicked=True, rev=F("rev") + 1)
        _save(session)
    if session.state == State.OPEN:
        item = session.items.get(position=session.current)
        _close_if_all_answered(session, item, now)


# --- players ---------------------------------------------------------------------------------


NICKNAME_ERRORS = {
    "empty": gettext_lazy("Choose a nickname."),
    "too-long": gettext_lazy("Nicknames have at most 24 characters."),
    "hidden": gettext_lazy("Nicknames cannot contain invisible or text-direction characters."),
}


def _smallest_team(session: LiveSession) -> int:
    sizes = dict.fromkeys(range(session.team_count), 0)
    sizes.update(
        Player.objects.filter(session_id=session.pk, kicked=False, team__isnull=False)
        .values_list("team")
        .annotate(n=Count("pk"))
        .values_list("team", "n")
    )
    return min(sizes, key=lambda team: (sizes[team], team))


def player_join(*, session: LiveSession, nickname: str, user=None) -> tuple[Player, str]:
    """A new player; returns it and the secret token for their cookie (stored only hashed).

    In team mode the player joins the smallest team. A signed-in ``user`` is remembered, so
    that their answers count in their cohorts' reports; they still play under the nickname.
    """
    try:
        nickname = nicknames.clean(nickname)
    except nicknames.NicknameError as error:
        raise LiveError(NICKNAME_ERRORS[str(error)], 400) from None
    if session.state == State.FINISHED:
        raise LiveError(_("This quiz has finished."), 410)
    if session.locked:
        raise LiveError(_("The host has closed this quiz to new players."), 403)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            player = Player.objects.create(
                session=session,
                nickname=nickname,
                nickname_key=nicknames.skeleton(nickname),
                token_hash=token_hash(token),
                team=_smallest_team(session) if session.teams else None,
                user=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:
        raise LiveError(
            _("That nickname, or one that looks like it, is taken in this quiz: choose another."),
            409,
        ) from None
    return player, token


def session_lock(*, session: LiveSession, locked: bool) -> None:
    """Close (or reopen) the lobby to new players; players already in are not affected."""
    LiveSession.objects.filter(pk=session.pk).update(locked=locked, version=F("version") + 1)
    session.locked = locked
    push.publish_on_commit(session.pk)


def _run_before(player: Player, position: int) -> int:
    """How many questions in a row, just before ``position``, the player answered correctly."""
    results = dict(
        Answer.objects.filter(player=player, item__position__lt=position).values_list(
            "item__position", "correct"
        )
    )
    run = 0
    for earlier in range(position - 1, -1, -1):
        if not results.get(earlier):
            break
        run += 1
    return run


def answer_submit(
    *,
    player: Player,
    position: int,
    choice_ids: Iterable[int],
    now: datetime | None = None,
    item: LiveQuestion | None = None,
    correct_ids: Iterable[int] | None = None,
) -> Answer:
    """Record the player's one answer to the open question at ``position``, with its points.

    ``item`` is that question, when the caller already read it (to map letters to ids), and
    ``correct_ids`` its right choices, when the caller knows them (``selectors.answer_key``).
    """
    now = _now(now)
    session = session_tick(session=player.session, now=now)
    if player.kicked:
        raise LiveError(_("You were removed from this quiz."), 403)
    if session.state != State.OPEN or session.current != position:
        raise LiveError(_("Too late: this question is closed."), 409)
    if session.paused:
        raise LiveError(_("The quiz is paused: answer when it resumes."), 409)
    if now < session.opened_at:
        # Stamped before this question opened (a client guessing the next number while its
        # message waited): never an answer to it, and never a zero-millisecond one.
        raise LiveError(_("Too late: this question is closed."), 409)
    if item is None or item.session_id != session.pk or item.position != position:
        item = LiveQuestion.objects.select_related("question").get(
            session_id=session.pk, position=position
        )
        correct_ids = None
    selected = set(choice_ids)
    if not selected:
        raise LiveError(_("Choose an answer."), 400)
    if not selected <= set(item.choice_order):
        raise LiveError(_("That is not one of the answers shown."), 400)
    if item.question.kind == item.question.Kind.SINGLE and len(selected) != 1:
        raise LiveError(_("Choose exactly one answer."), 400)
    if correct_ids is None:
        correct_ids = Choice.objects.filter(question_id=item.question_id, correct=True)
        correct_ids = correct_ids.values_list("pk", flat=True)
    correct = is_correct(selected, correct_ids)
    elapsed_ms = max(0, int((now - session.opened_at).total_seconds() * 1000))
    run = _run_before(player, position) + 1 if correct and session.streak_bonus else 1
    points = scoring.answer_points(
        correct=correct,
        elapsed_ms=elapsed_ms,
        limit_seconds=session.time_limit,
        run=run,
        streaks=session.streak_bonus,
    )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                player=player,
                item=item,
                choice_ids=sorted(selected),
                correct=correct,
                elapsed_ms=min(elapsed_ms, session.time_limit * 1000),
                points=points,
                answered_at=now,
            )
            # The checks above read the session and player as they were when the request
            # began; the host may have skipped, paused or kicked since. Check again next to
            # the write, so such an answer is rolled back instead of changing a reveal.
            if not Player.objects.filter(pk=player.pk, kicked=False).update(
                score=F("score") + points, rev=F("rev") + 1
            ):
                raise LiveError(_("You were removed from this quiz."), 403)
            latest = LiveSession.objects.only(
                "state", "current", "deadline", "paused_remaining_ms"
            ).get(pk=session.pk)
            if latest.paused:
                raise LiveError(_("The quiz is paused: answer when it resumes."), 409)
            if latest.state != State.OPEN or latest.current != position or latest.deadline <= now:
                raise LiveError(_("Too late: this question is closed."), 409)
    except IntegrityError:
        raise LiveError(_("You already answered this question."), 409) from None
    # After the commit, so that of two last answers at least one sees the other.
    _close_if_all_answered(session, item, now, by_active_player=True)
    return answer


def answer_letters(
    *, player: Player, number: int, letters: Sequence, now: datetime | None = None
) -> Answer:
    """An answer as a player's screen sends it, by the form or over the socket: the question's
    number (from 1) and the letters of the options picked, in this game's shuffled order.

    ``now`` is when the answer reached the server (the socket's receive; the form's request),
    so time spent waiting for a database thread never costs points.
    """
    if number < 1:
        raise LiveError(_("That answer could not be read. Choose again."), 400)
    key = selectors.answer_key(player.session, number - 1)
    item = key.item if key is not None else None
    picked = [str(letter)[:2] for letter in letters[:MAX_LETTERS]]
    return answer_submit(
        player=player, position=number - 1, choice_ids=selectors.ids_for(item, picked),
        now=now, item=item, correct_ids=key.correct_ids if key is not None else None,
    )  # fmt: skip
