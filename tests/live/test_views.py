import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from studyapp.accounts import throttle
from studyapp.live import services
from studyapp.live.models import Answer, LiveSession, Player

from .conftest import T0, as_letters, right, wrong

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def joined(live, nickname="ana") -> Client:
    client = Client()
    response = client.post(reverse("live:join"), {"code": live.code, "nickname": nickname})
    assert response.status_code == 303
    assert response["Location"] == reverse("live:play", args=[live.code])
    return client


def poll(client, live, etag=None):
    headers = dict(HTMX, **({"If-None-Match": etag} if etag else {}))
    return client.get(reverse("live:play", args=[live.code]), headers=headers)


def current_item(live):
    live.refresh_from_db()
    return live.items.select_related("question").get(position=live.current)


# --- hosting ----------------------------------------------------------------------------------


def test_only_instructors_host(client, learner, live):
    client.force_login(learner)
    for url in [reverse("live:index"), reverse("live:new"), reverse("live:host", args=[live.pk]),
                reverse("live:report", args=[live.pk])]:  # fmt: skip
        assert client.get(url).status_code == 403
    assert client.post(reverse("live:start", args=[live.pk])).status_code == 403
    assert LiveSession.objects.get(pk=live.pk).state == "lobby"


def test_anonymous_visitors_are_sent_to_log_in(client, live):
    response = client.get(reverse("live:host", args=[live.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_another_instructors_session_is_forbidden(client, live, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("other-teacher", password="x-long-password")
    other.groups.add(Group.objects.get(name="instructor"))
    client.force_login(other)
    assert client.get(reverse("live:host", args=[live.pk])).status_code == 403


def test_instructor_creates_a_session_from_a_topic(client, instructor):
    from studyapp.live.selectors import topics_with_questions

    topic = max(topics_with_questions(), key=lambda t: t.question_total)
    client.force_login(instructor)
    assert client.get(reverse("live:new")).status_code == 200
    response = client.post(
        reverse("live:new"),
        {"title": "Friday", "source": "topic", "topic": topic.pk, "count": 4, "time_limit": 30,
         "streak_bonus": "on"},
    )  # fmt: skip
    session = LiveSession.objects.get(title="Friday")
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.items.count() == 4 and session.time_limit == 30 and session.streak_bonus


def test_instructor_creates_a_session_from_picked_or_saved_questions(client, instructor, live):
    client.force_login(instructor)
    picked = [item.question_id for item in live.items.all()][:2]
    response = client.post(
        reverse("live:new"),
        {"title": "Picked", "source": "picked", "questions": picked, "count": 10, "time_limit": 20},
    )
    assert response.status_code == 302
    assert {i.question_id for i in LiveSession.objects.get(title="Picked").items.all()} == set(
        picked
    )
    response = client.post(
        reverse("live:new"), {"title": "Again", "source": "saved", "saved": live.pk, "count": 10,
                              "time_limit": 20},
    )  # fmt: skip
    again = LiveSession.objects.get(title="Again")
    assert [i.question_id for i in again.items.all()] == [i.question_id for i in live.items.all()]
    assert again.streak_bonus is False  # an unticked checkbox


def test_the_question_picker_lists_the_bank_and_keeps_what_was_ticked(client, instructor, live):
    """The picker is drawn in one loop (not a widget template per question): every public
    question once, labelled with its topic, and a refused form keeps the ticks."""
    from studyapp.quizzes.models import Question

    client.force_login(instructor)
    page = client.get(reverse("live:new")).content.decode()
    assert page.count('name="questions"') == Question.objects.active().count()
    picked = [item.question_id for item in live.items.all()][:2]
    refused = client.post(
        reverse("live:new"), {"title": "", "source": "picked", "questions": picked, "count": 10,
                              "time_limit": 20},
    )  # fmt: skip
    assert refused.status_code == 400
    html = refused.content.decode()
    for pk in picked:
        assert f'name="questions" value="{pk}" checked' in html
    assert len(re.findall(r'name="questions" value="\d+" checked', html)) == len(picked)
    question = Question.objects.select_related("topic").get(pk=picked[0])
    assert f"{question.topic.title}: {question.stem_text[:40]}" in html


def test_create_form_errors_are_400(client, instructor):
    client.force_login(instructor)
    response = client.post(
        reverse("live:new"), {"title": "x", "source": "topic", "count": 3, "time_limit": 2}
    )
    assert response.status_code == 400
    assert not LiveSession.objects.filter(title="x").exists()


def test_host_screen_shows_code_lobby_and_the_reveal(client, instructor, live, trio):
    client.force_login(instructor)
    page = client.get(reverse("live:host", args=[live.pk])).content.decode()
    assert live.code in page and "/live/join/" in page
    assert all(f'data-player="{p.nickname}"' in page for p in trio)
    with time_machine.travel(T0, tick=False):
        client.post(reverse("live:start", args=[live.pk]))
        item = current_item(live)
        services.answer_submit(player=trio[0], position=0, choice_ids=right(item))
        open_page = client.get(reverse("live:host", args=[live.pk]), headers=HTMX).content.decode()
        assert 'data-answered="1"' in open_page and "correct" not in open_page.replace("data-", "")
        response = client.post(reverse("live:skip", args=[live.pk]), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="choice choice-' in body and " correct" in body
    assert item.question.explanation_html in body
    assert "data-leaderboard" in body and "ana" in body


def test_host_actions_without_htmx_redirect_and_conflicts_are_409(client, instructor, live):
    client.force_login(instructor)
    response = client.post(reverse("live:start", args=[live.pk]))
    assert response.status_code == 303
    response = client.post(reverse("live:start", args=[live.pk]), headers=HTMX)
    assert response.status_code == 409
    assert "already started" in response.content.decode()
    assert client.post(reverse("live:kick", args=[live.pk, 999_999])).status_code == 404


def test_kick_removes_a_player_and_their_screen_says_so(client, instructor, live):
    player_client = joined(live, "rude")
    player = Player.objects.get(nickname="rude")
    client.force_login(instructor)
    client.post(reverse("live:kick", args=[live.pk, player.pk]), headers=HTMX)
    response = poll(player_client, live)
    assert response.status_code == 286
    assert 'data-status="kicked"' in response.content.decode()


# --- joining ----------------------------------------------------------------------------------


def test_join_sets_an_http_only_cookie_and_reload_rejoins_as_the_same_player(live):
    client = joined(live, "ana")
    cookie = client.cookies[f"live_{live.code}"]
    assert cookie["httponly"] and cookie["path"] == "/live/"
    assert cookie.value not in Player.objects.get().token_hash
    page = client.get(reverse("live:play", args=[live.code]))
    assert page.status_code == 200 and "data-nickname><bdi>ana</bdi><" in page.content.decode()
    # Joining again from the same phone, even under another name, is the same player.
    again = client.post(reverse("live:join"), {"code": live.code, "nickname": "someone"})
    assert again.status_code == 302
    assert client.get(reverse("live:join"), {"code": live.code}).status_code == 302
    assert Player.objects.count() == 1


def test_nickname_clash_is_a_409_with_a_message(live):
    joined(live, "ana")
    response = Client().post(reverse("live:join"), {"code": live.code, "nickname": "ANA"})
    assert response.status_code == 409
    assert "taken" in response.content.decode()


def test_one_cannot_play_as_someone_else_without_their_cookie(live):
    joined(live, "ana")
    stranger = Client()
    response = stranger.get(reverse("live:play", args=[live.code]))
    assert response.status_code == 302 and "/live/join/?code=" in response["Location"]
    stranger.cookies[f"live_{live.code}"] = "guessed-token"
    assert stranger.get(reverse("live:play", args=[live.code])).status_code == 302
    assert (
        stranger.post(reverse("live:answer", args=[live.code]), {"question": 1}).status_code == 403
    )


def test_unknown_and_malformed_codes_are_4xx(client):
    assert client.post(reverse("live:join"), {"code": "000000", "nickname": "a"}).status_code in (
        404,
    )
    response = client.post(reverse("live:join"), {"code": "12ab", "nickname": "a"})
    assert response.status_code == 400 and "No running quiz" in response.content.decode()
    assert client.get(reverse("live:play", args=["not-a-code"])).status_code == 302


def test_a_class_behind_one_nat_gets_in_despite_typos(live):
    # 100 players share the school's address; each mistypes the code twice, then gets it right.
    for number in range(100):
        phone = Client(REMOTE_ADDR="203.0.113.50")
        for typo in ("999999", "123455"):
            assert (
                phone.post(reverse("live:join"), {"code": typo, "nickname": "x"}).status_code == 404
            )
        joined_ok = phone.post(reverse("live:join"), {"code": live.code, "nickname": f"p{number}"})
        assert joined_ok.status_code == 303
    assert live.players.count() == 100


def test_an_address_over_the_daily_allowance_is_refused_every_code(live, time_machine):
    time_machine.move_to("2026-12-01T10:00:00Z", tick=False)
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    for guess in range(throttle.JOIN_ADDRESS.allowed):
        code = f"{guess:06d}" if f"{guess:06d}" != live.code else "999999"
        assert (
            guesser.post(reverse("live:join"), {"code": code, "nickname": "a"}).status_code == 404
        )
    blocked = guesser.post(reverse("live:join"), {"code": live.code, "nickname": "a"})
    assert blocked.status_code == 429 and "Too many wrong codes" in blocked.content.decode()
    wrong = guesser.post(reverse("live:join"), {"code": "999998", "nickname": "a"})
    assert wrong.status_code == 429  # right and wrong codes get the same refusal
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("live:join"), {"code": live.code, "nickname": "b"}).status_code == 303
    time_machine.shift(timedelta(days=2))
    assert (
        guesser.post(reverse("live:join"), {"code": live.code, "nickname": "c"}).status_code == 303
    )


def test_finished_session_refuses_new_players(live):
    services.session_end(session=live)
    response = Client().post(reverse("live:join"), {"code": live.code, "nickname": "late"})
    assert response.status_code == 404


# --- playing and polling ----------------------------------------------------------------------


def test_unchanged_poll_is_a_304_even_as_the_countdown_runs(live, trio):
    client = joined(live, "zed")
    with time_machine.travel(T0, tick=False) as clock:
        first = poll(client, live)
        assert first.status_code == 200 and first["ETag"]
        assert "no-store" in first["Cache-Control"]
        again = poll(client, live, first["ETag"])
        assert again.status_code == 304 and again.content == b""
        services.session_start(session=live)
        changed = poll(client, live, first["ETag"])
        body = changed.content.decode()
        assert changed.status_code == 200 and "data-remaining>20<" in body
        # Browsers count down from the server's deadline (and its clock, to correct theirs).
        deadline_ms = int((T0 + timedelta(seconds=20)).timestamp() * 1000)
        assert f'data-deadline="{deadline_ms}"' in body
        assert f'data-server-now="{int(T0.timestamp() * 1000)}"' in body
        assert poll(client, live, changed["ETag"]).status_code == 304
        clock.move_to(T0 + timedelta(seconds=1.5))
        # A new second is not a change: the ETag has no clock in it (the old one did).
        assert poll(client, live, changed["ETag"]).status_code == 304
        assert "answer-form" in poll(client, live).content.decode()  # no ETag: the whole screen


def test_poll_is_cheap(live, django_assert_max_num_queries):
    client = joined(live)
    etag = poll(client, live)["ETag"]
    with django_assert_max_num_queries(1):
        assert poll(client, live, etag).status_code == 304


def test_player_fragment_never_contains_the_right_answer_before_the_reveal(instructor, live):
    client = joined(live)
    services.session_start(session=live)
    item = current_item(live)
    choices = {c.pk: c for c in item.question.choices.all()}
    body = poll(client, live).content.decode()
    for place, pk in enumerate(item.choice_order):
        assert f'value="{"ABCDEFG"[place]}"' in body
        assert f'value="{pk}"' not in body  # ids follow the authored order: never sent
    assert item.question.explanation_html not in body
    assert all(c.why_html not in body for c in choices.values() if c.why_html)
    assert "data-correct" not in body and "correct" not in body.replace("incorrect", "")
    services.session_skip(session=live)
    revealed = poll(client, live).content.decode()
    assert "data-correct" in revealed


def test_answer_flow_and_the_reveal_on_the_phone(live):
    ana = joined(live, "ana")
    bo = joined(live, "bo")
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        item = current_item(live)
        clock.move_to(T0 + timedelta(seconds=4))
        url = reverse("live:answer", args=[live.code])
        response = ana.post(
            url, {"question": 1, "choice": as_letters(item, right(item))}, headers=HTMX
        )
        assert response.status_code == 200 and 'data-status="answered"' in response.content.decode()
        again = ana.post(
            url, {"question": 1, "choice": as_letters(item, right(item))}, headers=HTMX
        )
        assert again.status_code == 409 and "already answered" in again.content.decode()
        plain = bo.post(url, {"question": 1, "choice": as_letters(item, wrong(item))})
        assert plain.status_code == 303  # no htmx: back to the page
        reveal = poll(ana, live).content.decode()
    assert 'data-result="correct">' in reveal and 'data-me="points">900<' in reveal
    assert 'data-result="wrong"' in poll(bo, live).content.decode()
    assert Answer.objects.count() == 2


def test_bad_answers_are_4xx_never_500(live):
    client = joined(live)
    url = reverse("live:answer", args=[live.code])
    assert (
        client.post(url, {"question": 1, "choice": "1"}, headers=HTMX).status_code == 409
    )  # lobby
    services.session_start(session=live)
    assert client.post(url, {"question": "x", "choice": "1"}).status_code == 400
    assert client.post(url, {"question": 1, "choice": "abc"}).status_code == 400
    assert client.post(url, {"question": 1, "choice": "99999999"}).status_code == 400
    assert client.post(url, {"question": 1, "choice": "Z"}).status_code == 400
    assert (
        client.post(
            url,
            {"question": 2, "choice": as_letters(current_item(live), right(current_item(live)))},
        ).status_code
        == 409
    )
    assert client.get(url).status_code == 405


def test_late_answer_over_http_says_too_late(live):
    client = joined(live)
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        item = current_item(live)
        clock.move_to(T0 + timedelta(seconds=21))
        response = client.post(
            reverse("live:answer", args=[live.code]),
            {"question": 1, "choice": as_letters(item, right(item))},
            headers=HTMX,
        )
    assert response.status_code == 409 and "Too late" in response.content.decode()


def test_finished_session_stops_polling_with_286_and_shows_the_podium(client, instructor, live):
    ana = joined(live)
    services.session_end(session=live)
    response = poll(ana, live)
    assert response.status_code == 286 and "data-podium" in response.content.decode()
    assert "hx-trigger" not in response.content.decode()
    client.force_login(instructor)
    host = client.get(reverse("live:host", args=[live.pk]), headers=HTMX)
    assert host.status_code == 286 and "report.csv" in host.content.decode()


def test_host_poll_is_304_until_something_changes(client, instructor, live):
    client.force_login(instructor)
    url = reverse("live:host", args=[live.pk])
    etag = client.get(url, headers=HTMX)["ETag"]
    assert client.get(url, headers=dict(HTMX, **{"If-None-Match": etag})).status_code == 304
    joined(live, "newcomer")
    assert client.get(url, headers=dict(HTMX, **{"If-None-Match": etag})).status_code == 200


def test_csv_report_download(client, instructor, live):
    ana = joined(live, "ana")
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        item = current_item(live)
        ana.post(
            reverse("live:answer", args=[live.code]),
            {"question": 1, "choice": as_letters(item, right(item))},
        )
    services.session_end(session=live)
    client.force_login(instructor)
    response = client.get(reverse("live:report", args=[live.pk]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "player,rank,total,question,question_key,choice,correct,time_s,points"
    assert lines[1].startswith(f"ana,1,1000,1,{item.question.key},") and lines[1].endswith(
        ",yes,0.000,1000"
    )


# --- CSRF -------------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(instructor, live):
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(reverse("live:join"), {"code": live.code, "nickname": "x"}).status_code == 403
    )
    strict.force_login(instructor)
    assert strict.post(reverse("live:start", args=[live.pk])).status_code == 403
    assert LiveSession.objects.get(pk=live.pk).state == "lobby"
    # With the token from the page, as htmx sends it from <body hx-headers>, it works.
    strict.get(reverse("live:host", args=[live.pk]))
    token = strict.cookies["csrftoken"].value
    response = strict.post(reverse("live:start", args=[live.pk]), headers={"X-CSRFToken": token})
    assert response.status_code == 303


# --- hardening: leaks, escaping, stale clicks, odd input ----------------------------------------


def test_a_right_and_a_wrong_answer_look_the_same_until_the_reveal(live):
    ana, bo, _cy = joined(live, "ana"), joined(live, "bo"), joined(live, "cy")  # cy keeps it open
    url = reverse("live:answer", args=[live.code])
    with time_machine.travel(T0, tick=False):
        services.session_start(session=live)
        item = current_item(live)
        sent = {
            "ana": ana.post(
                url, {"question": 1, "choice": as_letters(item, right(item))}, headers=HTMX
            ),
            "bo": bo.post(
                url, {"question": 1, "choice": as_letters(item, wrong(item))}, headers=HTMX
            ),
        }
        polled = {"ana": poll(ana, live), "bo": poll(bo, live)}
        pages = {
            "ana": ana.get(reverse("live:play", args=[live.code])),
            "bo": bo.get(reverse("live:play", args=[live.code])),
        }
    assert polled["ana"]["ETag"] == polled["bo"]["ETag"]
    assert sent["ana"].content == sent["bo"].content
    assert 'data-status="answered"' in sent["ana"].content.decode()
    for responses in (polled, pages):
        panels = {name: panel(response, name) for name, response in responses.items()}
        assert responses["ana"].status_code == responses["bo"].status_code == 200
        assert 'data-status="answered"' in panels["ana"]
        assert panels["ana"] == panels["bo"]
        assert "data-score" not in panels["ana"] and "correct" not in panels["ana"]


def panel(response, nickname: str) -> str:
    """The player's panel of a page or fragment, their nickname blanked."""
    body = response.content.decode()
    start = body.index('<section id="player-panel"')
    return body[start : body.index("</section>", start)].replace(f">{nickname}<", ">NAME<")


def test_weak_or_listed_etags_still_get_a_304(client, instructor, live):
    ana = joined(live)
    etag = poll(ana, live)["ETag"]
    assert poll(ana, live, f"W/{etag}").status_code == 304
    assert poll(ana, live, f'"other", W/{etag}').status_code == 304
    assert poll(ana, live, '"other"').status_code == 200
    with time_machine.travel(T0, tick=False) as clock:
        services.session_start(session=live)
        etag = poll(ana, live)["ETag"]
        clock.move_to(T0 + timedelta(seconds=2))
        later = poll(ana, live, f"W/{etag}")
    assert later.status_code == 304
    client.force_login(instructor)
    url = reverse("live:host", args=[live.pk])
    with time_machine.travel(T0 + timedelta(seconds=2), tick=False):
        etag = client.get(url, headers=HTMX)["ETag"]
        weak = client.get(url, headers=dict(HTMX, **{"If-None-Match": f"W/{etag}"}))
    assert weak.status_code == 304


HOSTILE = ["<script>f()</script>", '"><img src onerror=f()>']


def test_nicknames_are_escaped_on_every_screen(client, instructor, live):
    players = [joined(live, nickname) for nickname in HOSTILE]
    client.force_login(instructor)
    host_url = reverse("live:host", args=[live.pk])
    screens = [client.get(host_url).content.decode()]
    services.session_start(session=live)
    item = current_item(live)
    url = reverse("live:answer", args=[live.code])
    for player in players:
        player.post(url, {"question": 1, "choice": as_letters(item, right(item))})
    screens.append(client.get(host_url, headers=HTMX).content.decode())  # the reveal
    screens += [poll(player, live).content.decode() for player in players]
    services.session_end(session=live)
    screens.append(client.get(host_url).content.decode())  # the podium
    screens += [poll(player, live).content.decode() for player in players]
    for screen in screens:
        assert "<script>f()" not in screen and "<img src" not in screen
    for screen in (screens[0], screens[1], screens[-3]):  # lobby, reveal, podium on the host
        assert "&lt;script&gt;f()&lt;/script&gt;" in screen
        assert "&quot;&gt;&lt;img src onerror=f()&gt;" in screen


def test_csv_report_defuses_spreadsheet_formulas(client, instructor, live):
    names = ['=HYPERLINK("//x?"&A1)', "+1+1", "-2+3", "@SUM(1)", "plain"]
    for name in names:
        joined(live, name)
    services.session_start(session=live)
    services.session_end(session=live)
    client.force_login(instructor)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("live:report", args=[live.pk])).content.decode()))
    )
    cells = {row[0] for row in rows[1:]}
    assert cells == {"'" + name for name in names[:-1]} | {"plain"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_nickname_with_a_nul_or_control_character_is_a_400(live):
    for nickname in ["a\x00b", "bell\x07"]:
        response = Client().post(reverse("live:join"), {"code": live.code, "nickname": nickname})
        assert response.status_code == 400 and "invisible" in response.content.decode()
    assert not Player.objects.exists()


def test_host_buttons_carry_the_version_and_a_double_click_skips_nothing(client, instructor, live):
    client.force_login(instructor)
    page = client.get(reverse("live:host", args=[live.pk])).content.decode()
    assert f'name="version" value="{live.version}"' in page
    client.post(reverse("live:start", args=[live.pk]), {"version": live.version})
    live.refresh_from_db()
    client.post(reverse("live:skip", args=[live.pk]), {"version": live.version})
    live.refresh_from_db()
    assert live.state == "closed" and live.current == 0
    seen = live.version
    first = client.post(reverse("live:next", args=[live.pk]), {"version": seen}, headers=HTMX)
    second = client.post(reverse("live:next", args=[live.pk]), {"version": seen}, headers=HTMX)
    assert first.status_code == 200 and second.status_code == 409
    assert "moved on" in second.content.decode()
    live.refresh_from_db()
    assert live.state == "open" and live.current == 1
    # A stale tab still showing the reveal of question 2 cannot jump over it either.
    client.post(reverse("live:skip", args=[live.pk]), {"version": live.version})
    live.refresh_from_db()
    assert client.post(reverse("live:next", args=[live.pk]), {"version": seen}).status_code == 303
    live.refresh_from_db()
    assert live.state == "closed" and live.current == 1


def test_a_malformed_host_version_is_a_400(client, instructor, live):
    client.force_login(instructor)
    for bad in ["x", "-1", "1.5", "١"]:
        response = client.post(
            reverse("live:start", args=[live.pk]), {"version": bad}, headers=HTMX
        )
        assert response.status_code == 400
    assert LiveSession.objects.get(pk=live.pk).state == "lobby"


def test_other_instructors_cannot_act_kick_or_download(client, live, django_user_model):
    from django.contrib.auth.models import Group

    player = services.player_join(session=live, nickname="ana")[0]
    other = django_user_model.objects.create_user("other-teacher", password="x-long-password")
    other.groups.add(Group.objects.get(name="instructor"))
    client.force_login(other)
    for action in ["start", "next", "pause", "resume", "skip", "end"]:
        assert client.post(reverse(f"live:{action}", args=[live.pk])).status_code == 403
    assert client.post(reverse("live:kick", args=[live.pk, player.pk])).status_code == 403
    assert client.get(reverse("live:report", args=[live.pk])).status_code == 403
    anonymous = Client()
    assert anonymous.post(reverse("live:start", args=[live.pk])).status_code == 302
    assert anonymous.get(reverse("live:report", args=[live.pk])).status_code == 302
    live.refresh_from_db()
    assert live.state == "lobby" and not Player.objects.get().kicked


def test_kicking_a_player_of_another_session_is_a_404(client, instructor, live):
    other = services.session_create(
        host=instructor, title="Other", questions=list(q.question for q in live.items.all())
    )
    stranger = services.player_join(session=other, nickname="zed")[0]
    client.force_login(instructor)
    assert client.post(reverse("live:kick", args=[live.pk, stranger.pk])).status_code == 404
    assert not Player.objects.get(pk=stranger.pk).kicked


def test_failed_codes_from_one_ipv6_64_count_together(live):
    for host in range(throttle.JOIN_ADDRESS.allowed):
        attacker = Client(REMOTE_ADDR=f"2001:db8:1:2::{host + 1:x}")
        assert (
            attacker.post(reverse("live:join"), {"code": "999999", "nickname": "a"}).status_code
            == 404
        )
    next_door = Client(REMOTE_ADDR="2001:db8:1:2:ffff::1")
    response = next_door.post(reverse("live:join"), {"code": live.code, "nickname": "a"})
    assert response.status_code == 429
    elsewhere = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert (
        elsewhere.post(reverse("live:join"), {"code": live.code, "nickname": "a"}).status_code
        == 303
    )


def test_a_code_typed_with_spaces_joins(live):
    spaced = f" {live.code[:3]} {live.code[3:]} "
    response = Client().post(reverse("live:join"), {"code": spaced, "nickname": "ana"})
    assert response.status_code == 303 and Player.objects.get().nickname == "ana"


def test_a_kicked_player_cannot_rejoin_with_their_cookie_nor_answer(client, instructor, live):
    rude = joined(live, "rude")
    joined(live, "nice")
    player = Player.objects.get(nickname="rude")
    services.player_kick(session=live, player=player)
    again = rude.post(reverse("live:join"), {"code": live.code, "nickname": "polite"})
    assert again.status_code == 302 and again["Location"] == reverse("live:play", args=[live.code])
    assert not Player.objects.filter(nickname="polite").exists()
    services.session_start(session=live)
    item = current_item(live)
    response = rude.post(
        reverse("live:answer", args=[live.code]),
        {"question": 1, "choice": as_letters(item, right(item))},
    )
    assert response.status_code == 403 and "removed" in response.content.decode()
    assert not Answer.objects.exists()


def test_question_number_zero_or_negative_is_a_400(live):
    client = joined(live)
    services.session_start(session=live)
    url = reverse("live:answer", args=[live.code])
    for number in ["0", "-1", ""]:
        response = client.post(
            url,
            {
                "question": number,
                "choice": as_letters(current_item(live), right(current_item(live))),
            },
        )
        assert response.status_code == 400 and "could not be read" in response.content.decode()


def test_an_old_cookie_for_a_reused_code_does_not_hide_the_join_form(instructor, live, monkeypatch):
    from studyapp.live import codes

    ana = joined(live, "ana")
    services.session_end(session=live)
    monkeypatch.setattr(codes, "new_code", lambda: live.code)
    services.session_create(
        host=instructor, title="Again", questions=[i.question for i in live.items.all()]
    )
    response = ana.get(reverse("live:join"), {"code": live.code})
    assert response.status_code == 200 and 'name="nickname"' in response.content.decode()


def test_client_ip_buckets_ipv6_by_64_and_unmaps_ipv4():
    from django.test import RequestFactory

    from studyapp.http import client_address

    def ip(addr):
        return client_address(RequestFactory().get("/", REMOTE_ADDR=addr))

    assert ip("203.0.113.7") == "203.0.113.7"
    assert ip("::ffff:203.0.113.7") == "203.0.113.7"
    assert ip("2001:db8:a:b:1:2:3:4") == ip("2001:db8:a:b::9") == "2001:db8:a:b::"
    assert ip("not an address") == "0.0.0.0"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ana", "ANA"),
        ("Ana", "\u0410na"),  # a Cyrillic capital A
        ("Ana", "Ána"),
        ("Ana", "4na"),
        ("Ana", "Ａｎａ"),  # full-width letters
        ("Bob Lee", "Bob  Lee"),
        ("Paul", "Pau1"),
    ],
)
def test_a_look_alike_of_a_nickname_in_the_game_is_refused(live, first, second):
    assert joined(live, first)
    response = Client().post(reverse("live:join"), {"code": live.code, "nickname": second})
    assert response.status_code == 409
    assert "looks like it" in response.content.decode()


@pytest.mark.parametrize(
    "nickname",
    ["ana\u202eevil", "a\u200bb", "x\u2066y", "\u200d", "bad\ufeff", "a\x00b", "\ue000pua"],
)
def test_invisible_and_text_direction_characters_are_refused(live, nickname):
    response = Client().post(reverse("live:join"), {"code": live.code, "nickname": nickname})
    assert response.status_code == 400
    assert not Player.objects.exists()


def test_nicknames_are_normalised_and_isolated_in_markup(instructor, live):
    joined(live, "Ｚｏｅ")
    assert Player.objects.get().nickname == "Zoe"
    client = Client()
    client.force_login(instructor)
    body = client.get(reverse("live:host", args=[live.pk])).content.decode()
    assert "<bdi>Zoe</bdi>" in body


def test_the_host_can_close_and_reopen_the_lobby(instructor, live):
    host = Client()
    host.force_login(instructor)
    early = joined(live, "early")
    closed = host.post(reverse("live:lock", args=[live.pk]), {"locked": "1"})
    assert closed.status_code in (200, 303)
    late = Client().post(reverse("live:join"), {"code": live.code, "nickname": "late"})
    assert late.status_code == 403 and "closed this quiz" in late.content.decode()
    assert early.get(reverse("live:play", args=[live.code])).status_code == 200
    host.post(reverse("live:lock", args=[live.pk]), {"locked": "0"})
    again = Client().post(reverse("live:join"), {"code": live.code, "nickname": "late"})
    assert again.status_code == 303


def test_only_the_host_can_lock_the_lobby(learner, live):
    client = Client()
    client.force_login(learner)
    assert client.post(reverse("live:lock", args=[live.pk]), {"locked": "1"}).status_code == 403
    live.refresh_from_db()
    assert not live.locked
