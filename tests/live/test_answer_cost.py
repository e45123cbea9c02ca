"""An answer costs the same few queries whatever the number of players (issue #18: 2,000
players answer within seconds, each answer waits for the ones before it), and the shortcuts
that make it so grade and close exactly as before."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studyapp.live import selectors, services
from studyapp.live.models import Answer, LiveSession, Player

from .conftest import T0, as_letters, questions, right, wrong

pytestmark = pytest.mark.django_db
State = LiveSession.State


def started(instructor, players: int) -> tuple[LiveSession, list[Player]]:
    session = services.session_create(host=instructor, title="Hall", questions=questions("sm"))
    joined = [services.player_join(session=session, nickname=f"p{i}")[0] for i in range(players)]
    services.session_start(session=session)
    session.refresh_from_db()
    return session, joined


def by_letters(player: Player, choice_ids: list[int]) -> Answer:
    """As the socket and the form do: the player as read for the request, letters."""
    player = Player.objects.select_related("session").get(pk=player.pk)
    item = player.session.items.get(position=player.session.current)
    letters = as_letters(item, choice_ids)
    return services.answer_letters(player=player, number=item.position + 1, letters=letters)


def queries_of_an_answer(instructor, players: int) -> list[str]:
    """The statements the answer service runs for one answer, half-way through a question
    (the request has read the player already, as the socket and the form do)."""
    session, joined = started(instructor, players)
    current = session.items.select_related("question").get(position=0)
    for player in joined[: players // 2]:
        by_letters(player, right(current))
    player = Player.objects.select_related("session").get(pk=joined[-1].pk)
    letters = as_letters(current, wrong(current))
    with CaptureQueriesContext(connection) as captured:
        services.answer_letters(player=player, number=1, letters=letters)
    return [
        query["sql"].split(" ", 1)[0]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))  # the test's transaction
    ]


def test_an_answer_costs_the_same_queries_for_4_players_and_for_60(instructor):
    """The answer, the player's score, the session read again beside the write, and whether
    anyone active has not answered yet: the question and its right choices are known."""
    with time_machine.travel(T0, tick=True):
        few = queries_of_an_answer(instructor, 4)
        many = queries_of_an_answer(instructor, 60)
    assert few == many == ["INSERT", "UPDATE", "SELECT", "SELECT"]


def test_the_last_answer_closes_the_question_and_not_one_before(instructor):
    with time_machine.travel(T0, tick=True):
        session, joined = started(instructor, 5)
        current = session.items.select_related("question").get(position=0)
        services.player_kick(session=session, player=joined[4])  # never answers: not waited for
        for player in joined[:3]:
            by_letters(player, wrong(current))
            session.refresh_from_db()
            assert session.state == State.OPEN
        by_letters(joined[3], right(current))
        session.refresh_from_db()
        assert session.state == State.CLOSED


def test_kicking_every_player_leaves_the_question_to_its_deadline(instructor):
    with time_machine.travel(T0, tick=True):
        session, joined = started(instructor, 2)
        for player in joined:
            services.player_kick(session=session, player=player)
        session.refresh_from_db()
        assert session.state == State.OPEN


def test_each_game_is_graded_by_its_own_questions(instructor):
    """The answer key a process keeps is per game: two games at the same position with
    different questions grade each answer by its own game's right choices."""
    with time_machine.travel(T0, tick=True):
        first = services.session_create(host=instructor, title="A", questions=questions("s"))
        second = services.session_create(host=instructor, title="B", questions=questions("m"))
        players = []
        for session in (first, second):
            players.append(services.player_join(session=session, nickname="same")[0])
            services.session_start(session=session)
        for session, player in zip((first, second), players, strict=True):
            session.refresh_from_db()
            current = session.items.select_related("question").get(position=0)
            key = selectors.answer_key(session, 0)
            assert key.item.pk == current.pk
            assert set(key.correct_ids) == set(right(current))
            assert by_letters(player, right(current)).correct
