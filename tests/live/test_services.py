import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from studyapp.live import codes, selectors, services
from studyapp.live.models import Answer, LiveSession, Player
from studyapp.live.services import LiveError

from .conftest import T0, questions, right, wrong

pytestmark = pytest.mark.django_db
State = LiveSession.State


def fresh(session):
    session.refresh_from_db()
    return session


def item(session, position=None):
    return session.items.select_related("question").get(
        position=session.current if position is None else position
    )


def answer(player, choice_ids, position=None, now=None):
    player.refresh_from_db()
    session = player.session
    session.refresh_from_db()
    pos = session.current if position is None else position
    return services.answer_submit(player=player, position=pos, choice_ids=choice_ids, now=now)


def test_a_new_session_waits_in_the_lobby_with_a_six_digit_code(live):
    assert live.state == State.LOBBY
    assert codes.looks_like_code(live.code)
    assert [i.position for i in live.items.all()] == [0, 1, 2]
    first = item(live, 0)
    assert sorted(first.choice_order) == sorted(first.question.choices.values_list("pk", flat=True))


def test_codes_are_unique_among_running_sessions_only(instructor, live, monkeypatch):
    drawn = iter([live.code, live.code, "123456"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second = services.session_create(host=instructor, title="B", questions=questions("s"))
    assert second.code == "123456"
    services.session_end(session=second)
    monkeypatch.setattr(codes, "new_code", lambda: "123456")
    third = services.session_create(host=instructor, title="C", questions=questions("s"))
    assert third.code == "123456"  # the finished session freed it


def test_states_go_lobby_open_closed_and_finished_after_the_last(live, trio):
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        assert fresh(live).state == State.OPEN and live.current == 0
        with pytest.raises(LiveError):
            services.session_next(session=live)  # still open
        services.session_skip(session=live)
        assert fresh(live).state == State.CLOSED
        for position in (1, 2):
            services.session_next(session=live)
            assert fresh(live).state == State.OPEN and live.current == position
            services.session_skip(session=live)
        services.session_next(session=live)
        assert fresh(live).state == State.FINISHED
        assert live.finished_at == T0
        with pytest.raises(LiveError):
            services.session_next(session=live)


def test_every_change_bumps_the_version(live, trio):
    versions = [live.version]
    for action in (services.session_start, services.session_pause, services.session_resume,
                   services.session_skip, services.session_end):  # fmt: skip
        action(session=live)
        versions.append(fresh(live).version)
    assert versions == sorted(set(versions))


def test_question_closes_lazily_when_its_deadline_passes(live, trio):
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        clock.move_to(T0 + timedelta(seconds=19.9))
        assert services.session_tick(session=fresh(live)).state == State.OPEN
        assert services.remaining_ms(live) == 100
        clock.move_to(T0 + timedelta(seconds=20))
        assert services.session_tick(session=fresh(live)).state == State.CLOSED
        assert item(live, 0).closed_at == T0 + timedelta(seconds=20)


def test_late_answers_are_rejected_with_a_clear_message(live, trio):
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        clock.move_to(T0 + timedelta(seconds=20, milliseconds=1))
        with pytest.raises(LiveError) as error:
            answer(trio[0], right(item(fresh(live))))
        assert error.value.status == 409
        assert "closed" in error.value.message
    assert Answer.objects.count() == 0


def test_an_answer_stamped_before_its_question_opened_is_refused(live, trio):
    """A socket's answer is timed from when it arrived: one that arrived before its question
    opened (a guess at the next number) is no answer to it, and never a 0 ms one."""
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        services.session_skip(session=fresh(live))
    services.session_next(session=fresh(live), now=T0 + timedelta(seconds=30))
    second = item(fresh(live), 1)
    with pytest.raises(LiveError) as early:
        answer(trio[0], right(second), position=1, now=T0 + timedelta(seconds=29))
    assert early.value.status == 409 and not Answer.objects.exists()
    on_time = answer(trio[0], right(second), position=1, now=T0 + timedelta(seconds=31))
    assert on_time.elapsed_ms == 1000


def test_answers_for_another_question_are_rejected(live, trio):
    services.session_start(session=live)
    with pytest.raises(LiveError):
        answer(trio[0], right(item(fresh(live))), position=1)


def test_question_closes_when_every_active_player_answered(live, trio):
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        current = item(fresh(live))
        answer(trio[0], right(current))
        answer(trio[1], wrong(current))
        assert fresh(live).state == State.OPEN
        services.player_kick(session=live, player=trio[2])
        assert fresh(live).state == State.CLOSED


def test_one_answer_per_player_per_question(live, trio):
    services.session_start(session=live)
    current = item(fresh(live))
    answer(trio[0], right(current))
    with pytest.raises(LiveError) as error:
        answer(trio[0], wrong(current))
    assert error.value.status == 409
    assert Answer.objects.filter(player=trio[0]).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(player=trio[0], item=current, correct=False, elapsed_ms=1, points=0,
                              answered_at=T0)  # fmt: skip


def test_tampered_and_malformed_choices_are_rejected(live, trio, instructor):
    services.session_start(session=live)
    current = item(fresh(live))
    other = services.session_create(host=instructor, title="x", questions=questions("m"))
    for bad in ([], [item(other, 0).choice_order[0]], [999_999], current.choice_order[:2]):
        with pytest.raises(LiveError) as error:
            answer(trio[0], bad)
        assert error.value.status == 400
    assert Answer.objects.count() == 0


def test_points_follow_time_taken_and_multiple_response_is_all_or_nothing(instructor):
    live = services.session_create(
        host=instructor, title="m", questions=questions("m"), streak_bonus=False
    )
    ana, _ = services.player_join(session=live, nickname="ana")
    bo, _ = services.player_join(session=live, nickname="bo")
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        current = item(fresh(live))
        clock.move_to(T0 + timedelta(seconds=5))
        assert answer(ana, right(current)).points == 875
        assert answer(bo, right(current)[:1]).points == 0
    assert Player.objects.get(pk=ana.pk).score == 875


def test_pause_keeps_the_remaining_time_and_paused_time_does_not_count(live, trio):
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        clock.move_to(T0 + timedelta(seconds=8))
        services.session_pause(session=live)
        assert fresh(live).paused and live.deadline is None
        assert services.remaining_ms(live) == 12_000
        clock.move_to(T0 + timedelta(minutes=5))
        assert services.session_tick(session=fresh(live)).state == State.OPEN
        assert services.remaining_ms(live) == 12_000
        with pytest.raises(LiveError):
            answer(trio[0], right(item(live)))
        services.session_resume(session=live)
        assert fresh(live).deadline == T0 + timedelta(minutes=5, seconds=12)
        clock.move_to(T0 + timedelta(minutes=5, seconds=2))
        # 8 s before the pause + 2 s after: 10 s of 20 taken.
        assert answer(trio[0], right(item(live))).elapsed_ms == 10_000
        clock.move_to(T0 + timedelta(minutes=5, seconds=12))
        assert services.session_tick(session=fresh(live)).state == State.CLOSED


def test_streak_bonus_grows_with_consecutive_correct_answers(instructor):
    live = services.session_create(host=instructor, title="s", questions=questions("ssss"))
    ana, _ = services.player_join(session=live, nickname="ana")
    points = []
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        for position, good in enumerate([True, True, True, False]):
            if position:
                services.session_next(session=live)
            current = item(fresh(live))
            points.append(answer(ana, right(current) if good else wrong(current)).points)
    assert points == [1000, 1100, 1200, 0]


def test_a_missed_question_breaks_the_streak(instructor):
    live = services.session_create(host=instructor, title="s", questions=questions("sss"))
    ana, _ = services.player_join(session=live, nickname="ana")
    services.player_join(session=live, nickname="bo")
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        assert answer(ana, right(item(fresh(live)))).points == 1000
        services.session_skip(session=live)
        services.session_next(session=live)
        services.session_skip(session=live)  # ana did not answer question 2
        services.session_next(session=live)
        assert answer(ana, right(item(fresh(live)))).points == 1000


def test_kicked_players_cannot_answer_and_leave_the_leaderboard(live, trio):
    services.session_start(session=live)
    services.player_kick(session=live, player=trio[1])
    with pytest.raises(LiveError) as error:
        answer(trio[1], right(item(fresh(live))))
    assert error.value.status == 403
    assert [s.player.nickname for s in selectors.leaderboard(live)] == ["ana", "cy"]


def test_nicknames_are_unique_in_a_session_ignoring_case(live, instructor):
    services.player_join(session=live, nickname="Ana")
    with pytest.raises(LiveError) as error:
        services.player_join(session=live, nickname="  ana ")
    assert error.value.status == 409
    other = services.session_create(host=instructor, title="o", questions=questions("s"))
    services.player_join(session=other, nickname="ana")  # another session: fine
    with pytest.raises(LiveError):
        services.player_join(session=live, nickname=" ")
    with pytest.raises(LiveError):
        services.player_join(session=live, nickname="x" * 25)


def test_tokens_are_stored_hashed(live):
    player, token = services.player_join(session=live, nickname="ana")
    assert len(token) >= 40
    assert player.token_hash != token and token not in player.token_hash
    assert selectors.player_for_token(live.code, token) == player
    assert selectors.player_for_token(live.code, token + "x") is None


def test_leaderboard_orders_by_score_and_ties_share_a_rank(live):
    for name, score in [("dee", 800), ("ana", 900), ("cy", 800), ("bo", 700), ("eve", 900)]:
        player, _ = services.player_join(session=live, nickname=name)
        Player.objects.filter(pk=player.pk).update(score=score)
    standings = [(s.rank, s.player.nickname) for s in selectors.leaderboard(live)]
    assert standings == [(1, "ana"), (1, "eve"), (3, "cy"), (3, "dee"), (5, "bo")]
    assert selectors.player_rank(Player.objects.get(nickname="cy")) == 3


def test_report_has_a_row_per_player_and_question_for_a_known_pattern(live, trio):
    ana, bo, cy = trio
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        first = item(fresh(live))
        clock.move_to(T0 + timedelta(seconds=2))
        answer(ana, right(first))
        clock.move_to(T0 + timedelta(seconds=10))
        answer(bo, wrong(first))
        clock.move_to(T0 + timedelta(seconds=30))  # cy never answers
        services.session_next(session=live)
        second = item(fresh(live))
        answer(cy, right(second))
        services.session_end(session=live)
    rows = selectors.report_rows(live)
    letters_first = selectors.letters_for(first)
    letters_second = selectors.letters_for(second)
    assert rows == [
        ["cy", 1, 1000, 1, first.question.key, "", "", "", 0],
        [
            "cy",
            1,
            1000,
            2,
            second.question.key,
            letters_second[right(second)[0]],
            "yes",
            "0.000",
            1000,
        ],
        ["ana", 2, 950, 1, first.question.key, letters_first[right(first)[0]], "yes", "2.000", 950],
        ["ana", 2, 950, 2, second.question.key, "", "", "", 0],
        ["bo", 3, 0, 1, first.question.key, letters_first[wrong(first)[0]], "no", "10.000", 0],
        ["bo", 3, 0, 2, second.question.key, "", "", "", 0],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    assert "ana,2,950,1," in text.getvalue()


# --- hardening: races between the checks of an answer and its write ----------------------------


@pytest.mark.parametrize(
    ("meanwhile", "message", "status"),
    [
        ("skip", "closed", 409),
        ("pause", "paused", 409),
        ("kick", "removed", 403),
    ],
)
def test_an_answer_overtaken_by_the_host_is_rolled_back(live, trio, monkeypatch, meanwhile,
                                                        message, status):  # fmt: skip
    """The host acts while the answer is being scored: it must not land after the fact."""
    scored = services.scoring.answer_points

    def host_acts_first(**kwargs):
        if meanwhile == "kick":
            services.player_kick(session=fresh(live), player=trio[0])
        else:
            getattr(services, f"session_{meanwhile}")(session=fresh(live))
        return scored(**kwargs)

    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        current = item(fresh(live))
        monkeypatch.setattr(services.scoring, "answer_points", host_acts_first)
        with pytest.raises(LiveError) as error:
            answer(trio[0], right(current))
    assert error.value.status == status and message in error.value.message
    assert not Answer.objects.exists()
    assert Player.objects.get(pk=trio[0].pk).score == 0


def test_host_actions_refuse_an_out_of_date_version(live, trio):
    services.session_start(session=live, expected_version=live.version)
    seen = fresh(live).version
    services.session_skip(session=live, expected_version=seen)
    closed = fresh(live).version
    services.session_next(session=live, expected_version=closed)
    with pytest.raises(LiveError) as error:
        services.session_next(session=live, expected_version=closed)  # the double click
    assert error.value.status == 409
    assert fresh(live).current == 1 and live.state == State.OPEN
    with pytest.raises(LiveError):
        services.session_end(session=live, expected_version=seen)
    assert fresh(live).state == State.OPEN


def test_a_nul_in_a_nickname_is_refused_before_the_database(live):
    with pytest.raises(LiveError) as error:
        services.player_join(session=live, nickname="nul\x00")
    assert error.value.status == 400
    assert services.player_join(session=live, nickname="tab\there")[0].nickname == "tab here"
