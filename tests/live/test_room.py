"""The room: presenter screen, the reveal on phones, ties, teams, a hidden leaderboard."""

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.live import screens, selectors, services
from studyapp.live.models import LiveSession, Player

from .conftest import questions, right, wrong

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def host_client(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


def item_of(session):
    session.refresh_from_db()
    return session.items.select_related("question").get(position=session.current)


def answer(player, session, choice_ids):
    player.session.refresh_from_db()
    services.answer_submit(player=player, position=session.current, choice_ids=choice_ids,
                           now=session.opened_at)  # fmt: skip


def test_the_presenter_screen_shows_code_qr_count_bars_and_podium(instructor, live, trio):
    client = host_client(instructor)
    url = reverse("live:present", args=[live.pk])
    page = client.get(url).content.decode()
    assert live.code in page and "data-qr" in page and "<svg" in page
    assert 'data-player-count="3"' in page
    assert "<script>" not in page.split("</head>")[1]  # no inline script (CSP)
    services.session_start(session=live)
    item = item_of(live)
    answer(trio[0], live, right(item))
    fragment = client.get(url, headers=HTMX)
    assert fragment.status_code == 200 and 'data-answered="1"' in fragment.content.decode()
    assert "correct" not in fragment.content.decode().replace("data-", "")
    assert (
        client.get(url, headers=dict(HTMX, **{"If-None-Match": fragment["ETag"]})).status_code
        == 304
    )
    services.session_skip(session=live)
    revealed = client.get(url, headers=HTMX).content.decode()
    assert 'data-count="1"' in revealed and " correct" in revealed
    services.session_end(session=live)
    finished = client.get(url, headers=HTMX)
    assert finished.status_code == 286 and "data-podium" in finished.content.decode()


def test_only_the_host_sees_the_presenter_screen(live, learner, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("t2", password="x-long-password-9")
    other.groups.add(Group.objects.get_or_create(name="instructor")[0])
    assert host_client(learner).get(reverse("live:present", args=[live.pk])).status_code == 403
    assert host_client(other).get(reverse("live:present", args=[live.pk])).status_code == 403
    anonymous = Client().get(reverse("live:present", args=[live.pk]))
    assert anonymous.status_code == 302


def test_after_a_question_the_phone_shows_right_options_and_explanation(live, trio):
    services.session_start(session=live)
    item = item_of(live)
    answer(trio[1], live, wrong(item))
    services.session_skip(session=live)
    player = Player.objects.get(pk=trio[1].pk)
    context_view = selectors.player_view(player)
    assert context_view["result"] == "wrong" and context_view["letters"]
    html = screens.render_stage(LiveSession.objects.get(pk=live.pk), "en")
    assert item.question.explanation_html in html and "data-correct" in html
    assert 'aria-label="The answer"' in html
    for choice in item.question.choices.filter(correct=False).exclude(why_html=""):
        assert choice.why_html in html


def test_ties_on_the_podium_are_said_as_ties(live, trio):
    services.session_start(session=live)
    item = item_of(live)
    for player in trio[:2]:
        answer(player, live, right(item))
    services.session_end(session=live)
    session = LiveSession.objects.get(pk=live.pk)
    places = selectors.podium(selectors.leaderboard(session))
    assert [(p.rank, p.names, p.tie) for p in places] == [
        (1, ["ana", "bo"], True), (3, ["cy"], False)
    ]  # fmt: skip
    html = screens.render_stage(session, "en")
    assert "data-tie" in html and "a tie of 2" in html


def test_team_mode_deals_players_into_teams_scored_by_the_mean(instructor):
    session = services.session_create(
        host=instructor, title="Teams", questions=questions("s"), team_count=2
    )
    players = [services.player_join(session=session, nickname=n)[0] for n in "abcd"]
    assert [p.team for p in players] == [0, 1, 0, 1]
    services.session_start(session=session)
    item = item_of(session)
    answer(players[0], session, right(item))  # team 0: 1000 and 0 -> mean 500
    answer(players[1], session, right(item))  # team 1: 1000 and 1000 -> mean 1000
    answer(players[3], session, right(item))
    services.session_end(session=session)
    standings = selectors.team_standings(LiveSession.objects.get(pk=session.pk))
    assert [(t.rank, t.team, t.score, t.members) for t in standings] == [
        (1, 1, 1000, 2),
        (2, 0, 500, 2),
    ]
    client = host_client(instructor)
    page = client.get(reverse("live:host", args=[session.pk])).content.decode()
    assert "Team podium" in page and "data-teams" in page


def test_a_hidden_leaderboard_shows_no_rank_until_the_podium(instructor, trio):
    session = services.session_create(
        host=instructor, title="Quiet", questions=questions("ss"), hide_leaderboard=True
    )
    players = [services.player_join(session=session, nickname=n)[0] for n in ("x", "y")]
    services.session_start(session=session)
    answer(players[0], session, right(item_of(session)))
    services.session_skip(session=session)
    session.refresh_from_db()
    assert selectors.player_views(session)[players[0].pk]["rank"] is None
    host_page = (
        host_client(instructor).get(reverse("live:host", args=[session.pk])).content.decode()
    )
    assert "data-leaderboard" not in host_page and "hidden until the end" in host_page
    services.session_end(session=session)
    session.refresh_from_db()
    assert selectors.player_views(session)[players[0].pk]["rank"] == 1


def test_a_signed_in_learner_who_joins_is_remembered_for_their_cohort(live, learner):
    client = Client()
    client.force_login(learner)
    client.post(reverse("live:join"), {"code": live.code, "nickname": "lea"})
    assert Player.objects.get(nickname="lea").user == learner
    Client().post(reverse("live:join"), {"code": live.code, "nickname": "anon"})
    assert Player.objects.get(nickname="anon").user is None


def test_the_new_quiz_form_offers_teams_and_a_hidden_leaderboard(instructor):
    client = host_client(instructor)
    topic = max(selectors.topics_with_questions(), key=lambda t: t.question_total)
    response = client.post(
        reverse("live:new"),
        {"title": "T", "source": "topic", "topic": topic.pk, "count": 2, "time_limit": 20,
         "team_count": 3, "hide_leaderboard": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    session = LiveSession.objects.get(title="T")
    assert session.team_count == 3 and session.hide_leaderboard
    bad = client.post(
        reverse("live:new"),
        {"title": "U", "source": "topic", "topic": topic.pk, "count": 2, "time_limit": 20,
         "team_count": 9},
    )  # fmt: skip
    assert bad.status_code == 400
