"""Reads for the live screens: players by token, the leaderboard, the reveal, the report."""

from __future__ import annotations

import random
import string
import threading
from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.db.models.functions import Lower

from studyapp.notes.models import Topic
from studyapp.quizzes.models import Choice, Question

from . import codes, scoring
from .codes import token_hash
from .models import Answer, LiveQuestion, LiveSession, Player, team_name

LETTERS = string.ascii_uppercase


def session_for_code(code: str) -> LiveSession | None:
    """The running session (not finished) with this join code."""
    if not codes.looks_like_code(code):
        return None
    return LiveSession.objects.exclude(state=LiveSession.State.FINISHED).filter(code=code).first()


def player_for_token(code: str, token: str | None) -> Player | None:
    """The player whose cookie this is, in the session with this code (finished or not)."""
    if not token or not codes.looks_like_code(code):
        return None
    # Tokens are 256-bit random values; looking up their hash leaks nothing about them.
    return (
        Player.objects.select_related("session")
        .filter(token_hash=token_hash(token), session__code=code)
        .order_by("-session__created_at")
        .first()
    )


@dataclass
class ShownChoice:
    """A choice as a player sees it: its letter and text. No ``correct`` flag and no database
    id (ids follow the authored order), so a template cannot leak the answer."""

    letter: str
    text_html: str


@dataclass
class RevealedChoice:
    id: int
    letter: str
    text_html: str
    why_html: str
    correct: bool
    count: int = 0
    percent: int = 0


def current_item(session: LiveSession) -> LiveQuestion | None:
    if session.current is None:
        return None
    return (
        LiveQuestion.objects.select_related("question")
        .filter(session_id=session.pk, position=session.current)
        .first()
    )


def _ordered(item: LiveQuestion) -> list[Choice]:
    by_id = {choice.pk: choice for choice in Choice.objects.filter(question_id=item.question_id)}
    return [by_id[pk] for pk in item.choice_order if pk in by_id]


def shown_choices(item: LiveQuestion) -> list[ShownChoice]:
    return [
        ShownChoice(LETTERS[index], choice.text_html) for index, choice in enumerate(_ordered(item))
    ]


NOT_SHOWN = -1  # never a choice id: the answer service refuses it, after its timing checks


def item_at(session_id: int, position: int) -> LiveQuestion | None:
    return (
        LiveQuestion.objects.select_related("question")
        .filter(session_id=session_id, position=position)
        .first()
    )


@dataclass(frozen=True)
class AnswerKey:
    """What grading an answer needs of a game's question: it does not change once the game
    has it (a question edited later keeps its key in games already under way)."""

    item: LiveQuestion
    correct_ids: frozenset[int]


ANSWER_KEYS_KEPT = 256
_answer_keys: OrderedDict[tuple, AnswerKey | None] = OrderedDict()
_answer_keys_lock = threading.Lock()


def answer_key(session: LiveSession, position: int) -> AnswerKey | None:
    """The game's question at ``position`` and its right choices, read once per process: at
    a 2,000-player question, two queries fewer on each of 2,000 answers. Keyed by the
    session's join code and creation time too, so that a reused id is not a hit."""
    key = (session.pk, session.code, session.created_at, position)
    with _answer_keys_lock:
        if key in _answer_keys:
            _answer_keys.move_to_end(key)
            return _answer_keys[key]
    item = item_at(session.pk, position)
    found = None
    if item is not None:
        correct = Choice.objects.filter(question_id=item.question_id, correct=True)
        found = AnswerKey(item, frozenset(correct.values_list("pk", flat=True)))
    with _answer_keys_lock:
        _answer_keys[key] = found
        while len(_answer_keys) > ANSWER_KEYS_KEPT:
            _answer_keys.popitem(last=False)
    return found


def forget_answer_keys() -> None:
    """Drop the answer keys this process keeps (tests, where ids and clocks repeat)."""
    with _answer_keys_lock:
        _answer_keys.clear()


def ids_for(item: LiveQuestion | None, letters: list[str]) -> list[int]:
    """The choice ids behind the letters a player sent (NOT_SHOWN for a letter not shown)."""
    order = item.choice_order if item is not None else []
    indexes = [LETTERS.find(letter) if len(letter) == 1 else -1 for letter in letters]
    return [order[index] if 0 <= index < len(order) else NOT_SHOWN for index in indexes]


def letters_for(item: LiveQuestion) -> dict[int, str]:
    return {pk: LETTERS[index] for index, pk in enumerate(item.choice_order)}


def revealed_choices(item: LiveQuestion) -> list[RevealedChoice]:
    """Choices with how many active players picked each (the host's bars)."""
    counts: dict[int, int] = {}
    answers = Answer.objects.filter(item=item, player__kicked=False).values_list(
        "choice_ids", flat=True
    )
    total = 0
    for choice_ids in answers:
        total += 1
        for pk in choice_ids:
            counts[pk] = counts.get(pk, 0) + 1
    return [
        RevealedChoice(
            choice.pk,
            LETTERS[index],
            choice.text_html,
            choice.why_html,
            choice.correct,
            counts.get(choice.pk, 0),
            round(100 * counts.get(choice.pk, 0) / total) if total else 0,
        )
        for index, choice in enumerate(_ordered(item))
    ]


def answered_count(session: LiveSession) -> int:
    if session.current is None:
        return 0
    return Answer.objects.filter(
        item__session_id=session.pk, item__position=session.current, player__kicked=False
    ).count()


def active_players(session: LiveSession):
    return Player.objects.filter(session_id=session.pk, kicked=False)


@dataclass
class Standing:
    rank: int
    player: Player

    @property
    def name(self) -> str:
        return self.player.nickname

    @property
    def score(self) -> int:
        return self.player.score


def leaderboard(session: LiveSession, limit: int | None = None) -> list[Standing]:
    """Players by score; equal scores share a rank ("1, 2, 2, 4"), listed by nickname."""
    players = active_players(session).order_by("-score", Lower("nickname"), "pk")
    standings: list[Standing] = []
    previous_score = None
    for index, player in enumerate(players):
        rank = standings[-1].rank if player.score == previous_score else index + 1
        standings.append(Standing(rank, player))
        previous_score = player.score
    return standings[:limit] if limit else standings


def player_rank(player: Player) -> int:
    return active_players(player.session).filter(score__gt=player.score).count() + 1


@dataclass
class Place:
    """A step of the podium: everyone with that rank (more than one is a tie)."""

    rank: int
    names: list[str]
    score: int

    @property
    def tie(self) -> bool:
        return len(self.names) > 1


def podium(standings: list, places: int = 3) -> list[Place]:
    """The first ``places`` ranks of a ranked list (players or teams), ties kept together."""
    steps: list[Place] = []
    for standing in standings:
        if standing.rank > places:
            break
        if steps and steps[-1].rank == standing.rank:
            steps[-1].names.append(standing.name)
        else:
            steps.append(Place(standing.rank, [standing.name], standing.score))
    return steps


@dataclass
class TeamStanding:
    rank: int
    team: int
    name: str
    score: int  # the mean of the members' scores, rounded half up
    members: int


def team_standings(session: LiveSession) -> list[TeamStanding]:
    """Teams by the mean score of their active members; equal means share a rank."""
    if not session.teams:
        return []
    rows = (
        active_players(session)
        .filter(team__isnull=False)
        .values_list("team")
        .annotate(total=Sum("score"), members=Count("pk"))
    )
    teams = [
        (scoring.round_half_up(Fraction(total, members)), team, members)
        for team, total, members in rows
        if members
    ]
    teams.sort(key=lambda row: (-row[0], row[1]))
    standings: list[TeamStanding] = []
    for index, (score, team, members) in enumerate(teams):
        rank = standings[-1].rank if standings and standings[-1].score == score else index + 1
        standings.append(TeamStanding(rank, team, team_name(team), score, members))
    return standings


# --- what one player sees of themselves -------------------------------------------------------


def player_views(session: LiveSession, only: Player | None = None) -> dict[int, dict]:
    """Each active player's own part of the screen, by player id (or just ``only``'s).

    The shared part of the screen is rendered once per state change; this is the rest:
    whether they answered, their result, points, score and rank. Two queries for everyone.
    """
    players = active_players(session).order_by("-score", "pk")
    if only is not None:
        players = players.filter(pk=only.pk)
    scores = list(players.values_list("pk", "score"))
    ranks: dict[int, int] = {}
    if only is None:
        previous, rank = None, 0
        for index, (pk, score) in enumerate(scores):
            if score != previous:
                rank, previous = index + 1, score
            ranks[pk] = rank
    elif scores:
        ranks[only.pk] = player_rank(only)
    item_answers: dict[int, tuple[bool, int, list[int]]] = {}
    item = None
    if session.current is not None and session.state != LiveSession.State.LOBBY:
        answers = Answer.objects.filter(item__session_id=session.pk, item__position=session.current)
        if only is not None:
            answers = answers.filter(player=only)
        item_answers = {
            player_id: (correct, points, choice_ids)
            for player_id, correct, points, choice_ids in answers.values_list(
                "player_id", "correct", "points", "choice_ids"
            )
        }
        if session.state == LiveSession.State.CLOSED:
            item = LiveQuestion.objects.only("choice_order").get(
                session_id=session.pk, position=session.current
            )
    letters = letters_for(item) if item else {}
    show_rank = not session.hide_leaderboard or session.finished
    views = {}
    for pk, score in scores:
        answer = item_answers.get(pk)
        view = {"v": session.version, "answered": answer is not None}
        if session.state != LiveSession.State.OPEN:
            # While a question is open, a score that moved would tell right from wrong.
            view["score"] = score
            view["rank"] = ranks.get(pk) if show_rank else None
        if session.state == LiveSession.State.CLOSED:
            view["result"] = ("correct" if answer[0] else "wrong") if answer else "none"
            view["points"] = answer[1] if answer else 0
            view["letters"] = (
                ", ".join(sorted(letters.get(c, "?") for c in answer[2])) if answer else ""
            )
        views[pk] = view
    return views


def player_view(player: Player) -> dict:
    if player.kicked:
        return {"v": player.session.version, "kicked": True}
    return player_views(player.session, only=player).get(player.pk, {})


def player_answer(player: Player, item: LiveQuestion | None) -> Answer | None:
    if item is None:
        return None
    return Answer.objects.filter(player=player, item=item).first()


REPORT_HEADER = ["player", "rank", "total", "question", "question_key", "choice", "correct",
                 "time_s", "points"]  # fmt: skip


def report_rows(session: LiveSession) -> list[list[str | int]]:
    """One row per player and question played: what they chose (letters), right or not,
    seconds taken and points; a question without an answer has an empty choice and 0 points."""
    items = list(
        LiveQuestion.objects.select_related("question")
        .filter(session_id=session.pk, opened_at__isnull=False)
        .order_by("position")
    )
    letters = {item.pk: letters_for(item) for item in items}
    answers = {
        (answer.player_id, answer.item_id): answer
        for answer in Answer.objects.filter(item__session_id=session.pk)
    }
    rows: list[list[str | int]] = []
    for standing in leaderboard(session):
        player = standing.player
        for item in items:
            answer = answers.get((player.pk, item.pk))
            choice = (
                "+".join(sorted(letters[item.pk].get(pk, "?") for pk in answer.choice_ids))
                if answer
                else ""
            )
            rows.append(
                [
                    player.nickname,
                    standing.rank,
                    player.score,
                    item.number,
                    item.question.key,
                    choice,
                    ("yes" if answer.correct else "no") if answer else "",
                    f"{answer.elapsed_ms / 1000:.3f}" if answer else "",
                    answer.points if answer else 0,
                ]
            )
    return rows


# --- picking questions for a new session --------------------------------------------------------


def topics_with_questions() -> list[Topic]:
    """Topics that have active questions, themselves or below them, in the notes' order."""
    topics = list(Topic.objects.active().only("pk", "title", "level", "parent_id", "order"))
    counts = dict(
        Question.objects.active()
        .values_list("topic_id")
        .annotate(n=Count("pk"))
        .values_list("topic_id", "n")
    )
    parents = {topic.pk: topic.parent_id for topic in topics}
    totals: dict[int, int] = {}
    for topic_id, count in counts.items():
        node = topic_id
        while node is not None:
            totals[node] = totals.get(node, 0) + count
            node = parents.get(node)
    result = []
    for topic in topics:
        if totals.get(topic.pk):
            topic.question_total = totals[topic.pk]
            result.append(topic)
    return result


def questions_under(topic: Topic) -> list[Question]:
    """Active questions of a topic and all its subtopics."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Topic.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, stack = [], [topic.pk]
    while stack:
        node = stack.pop()
        ids.append(node)
        stack.extend(children.get(node, []))
    return list(Question.objects.active().filter(topic_id__in=ids))


def questions_for_topic(
    topic: Topic, count: int, rng: random.Random | None = None
) -> list[Question]:
    pool = questions_under(topic)
    return (rng or random.SystemRandom()).sample(pool, min(count, len(pool)))


def questions_of_session(session: LiveSession, count: int) -> list[Question]:
    items = LiveQuestion.objects.filter(session=session).select_related("question")[:count]
    return [item.question for item in items if not item.question.retired]


def host_sessions(user):
    return LiveSession.objects.filter(host=user).annotate(
        item_count=Count("items", distinct=True),
        player_count=Count("players", filter=Q(players__kicked=False), distinct=True),
    )
