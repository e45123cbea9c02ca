"""Reads for the live screens: players by token, the leaderboard, the reveal, the report."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Lower

from studyapp.notes.models import Topic
from studyapp.quizzes.models import Choice, Question

from . import codes
from .models import Answer, LiveQuestion, LiveSession, Player
from .services import token_hash

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
    """A choice as a player sees it: no ``correct`` flag, so a template cannot leak it."""

    id: int
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
        ShownChoice(choice.pk, LETTERS[index], choice.text_html)
        for index, choice in enumerate(_ordered(item))
    ]


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
