"""Siblings (a reversed card's twin, the other deletions of a cloze) wait for another day, as in
Anki; "Done for now" counts down to the next learning card and brings it back by itself."""

from datetime import timedelta

import pytest
from django.urls import reverse

from studyapp.cards import scheduling, selectors, services
from studyapp.cards.models import Card, CardState, ReviewLog
from tests.cards.conftest import NOW

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def notes_deck(db, topic):
    """A reversed note (two cards), a cloze note (two cards) and a lone card, nothing else."""
    Card.objects.update(retired=True)
    specs = [
        ("rev", "rev"),
        ("rev-reverse", "rev"),
        ("clz-c1", "clz"),
        ("clz-c2", "clz"),
        ("solo", "solo"),
    ]
    return {
        key: Card.objects.create(
            key=key,
            note_key=note,
            kind={"rev": "reversed", "clz": "cloze", "solo": "basic"}[note],
            topic=topic,
            front_text=f"Front {key}",
            back_text=f"Back {key}",
            front_html=f"<p>Front {key}</p>",
            back_html=f"<p>Back {key}</p>",
            order=order,
        )
        for order, (key, note) in enumerate(specs)
    }


def grade(user, card, rating, now=NOW):
    state = CardState.objects.filter(user=user, card=card).first()
    key = services.review_key(user.pk, card.pk, state)
    return services.review_record(user=user, card=card, rating=rating, key=key, now=now)


def next_up(user, now=NOW):
    settings = services.learner_settings(user)
    return selectors.next_card(user, settings, selectors.deck(user), now)


def review_state(user, card, due):
    return CardState.objects.create(
        user=user,
        card=card,
        state=CardState.State.REVIEW,
        stability=20,
        difficulty=5,
        due=due,
        last_review=due - timedelta(days=20),
        reps=4,
    )


def test_a_reviewed_new_card_buries_its_reversed_twin_until_tomorrow(learner, notes_deck):
    first = next_up(learner)
    assert first.card.key == "rev" and first.counts.new == 5
    grade(learner, first.card, 3)
    second = next_up(learner)
    assert second.card.key == "clz-c1"  # not "rev-reverse", the answer of what was just seen
    assert second.counts.new == 3  # rev studied, rev-reverse buried
    grade(learner, second.card, 3)
    third = next_up(learner)
    assert third.card.key == "solo"
    grade(learner, third.card, 3)
    done = next_up(learner)
    assert done.card is None and done.counts.new == 0
    # On the following days the buried siblings come in, one note's card per day.
    for day in range(1, 4):
        when = NOW + timedelta(days=day)
        while (found := next_up(learner, when)).card is not None:
            grade(learner, found.card, 4, when)
    assert set(CardState.objects.filter(user=learner).values_list("card__key", flat=True)) == set(
        notes_deck
    )


def test_siblings_never_share_a_day_however_the_day_goes(learner, notes_deck):
    day = NOW
    for step in range(12):
        found = next_up(learner, day + timedelta(minutes=11 * step))
        if found.card is None:
            continue
        grade(learner, found.card, 1 if step % 3 == 0 else 3, day + timedelta(minutes=11 * step))
    notes_by_card = dict(Card.objects.values_list("pk", "note_key"))
    cards_per_note: dict[str, set[int]] = {}
    for log in ReviewLog.objects.filter(user=learner, review_day=day.date()):
        cards_per_note.setdefault(notes_by_card[log.card_id], set()).add(log.card_id)
    assert cards_per_note and all(len(cards) == 1 for cards in cards_per_note.values())


def test_a_review_card_buries_its_cloze_sibling_due_the_same_day(learner, notes_deck):
    review_state(learner, notes_deck["clz-c1"], NOW - timedelta(hours=2))
    review_state(learner, notes_deck["clz-c2"], NOW - timedelta(hours=1))
    services.settings_update(
        user=learner, desired_retention=0.9, new_per_day=0, reviews_per_day=200
    )
    found = next_up(learner)
    assert found.card.key == "clz-c1" and found.counts.due == 2
    grade(learner, found.card, 3)
    after = next_up(learner)
    assert after.card is None and after.counts.due == 0
    assert next_up(learner, NOW + timedelta(days=1)).card.key == "clz-c2"


def test_a_learning_card_comes_back_but_its_learning_sibling_waits(learner, notes_deck):
    for key in ("rev", "rev-reverse"):
        CardState.objects.create(
            user=learner,
            card=notes_deck[key],
            state=CardState.State.LEARNING,
            step=1,
            stability=1,
            difficulty=5,
            due=NOW - timedelta(minutes=5),
            last_review=NOW - timedelta(hours=10),
            reps=1,
        )
    services.settings_update(
        user=learner, desired_retention=0.9, new_per_day=0, reviews_per_day=200
    )
    found = next_up(learner)
    assert found.card.key == "rev" and found.counts.learning == 2
    grade(learner, found.card, 1)  # Again: "rev" itself comes back in a minute
    assert next_up(learner).counts.learning == 0
    back = next_up(learner, NOW + timedelta(minutes=2))
    assert back.card.key == "rev"


def test_undoing_the_review_unburies_the_sibling(learner, notes_deck):
    grade(learner, notes_deck["rev"], 3)
    assert next_up(learner).counts.new == 3
    services.review_undo(user=learner)
    assert next_up(learner).counts.new == 5


def test_burying_is_per_learner(learner, other_learner, notes_deck):
    grade(learner, notes_deck["rev"], 3)
    assert next_up(other_learner).counts.new == 5
    assert next_up(other_learner).card.key == "rev"


def test_the_home_panel_counts_without_buried_siblings(client, learner, notes_deck, time_machine):
    time_machine.move_to(NOW, tick=False)
    grade(learner, notes_deck["rev"], 3)
    client.force_login(learner)
    body = client.get(reverse("cards:today")).content.decode()
    assert "3 new" in body


def test_review_page_queries_do_not_grow_with_todays_reviews(
    client, learner, notes_deck, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    grade(learner, notes_deck["rev"], 3)
    grade(learner, notes_deck["clz-c1"], 3)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cards:review")).status_code == 200


# "Done for now": the countdown ---------------------------------------------------------------


@pytest.fixture
def waiting(learner, notes_deck):
    """Every card studied; one learning card comes back 90 seconds from NOW."""
    for index, card in enumerate(notes_deck.values()):
        CardState.objects.create(
            user=learner,
            card=card,
            state=CardState.State.LEARNING if index == 0 else CardState.State.REVIEW,
            step=0 if index == 0 else None,
            stability=1 if index == 0 else 30,
            difficulty=5,
            due=NOW + timedelta(seconds=90) if index == 0 else NOW + timedelta(days=10),
            last_review=NOW - timedelta(minutes=1),
            reps=1,
        )
    return notes_deck["rev"]


def test_done_for_now_counts_down_and_polls_for_the_learning_card(
    client, learner, waiting, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    body = client.get(reverse("cards:review")).content.decode()
    assert "Done for now" in body
    assert '<span role="timer" data-countdown="90">1 min 30 s</span>' in body
    assert 'hx-trigger="load delay:90s"' in body
    assert 'hx-get="/review/"' in body and 'hx-target="#panel"' in body
    assert "0 minutes" not in body and "<script>" not in body


def test_the_poll_brings_the_learning_card_in_when_it_is_due(
    client, learner, waiting, time_machine
):
    time_machine.move_to(NOW + timedelta(seconds=90), tick=False)
    client.force_login(learner)
    response = client.get(reverse("cards:review"), headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="panel"')
    assert f'data-card="{waiting.key}"' in body


def test_a_card_due_in_a_fraction_of_a_second_never_says_zero(
    client, learner, waiting, time_machine
):
    CardState.objects.filter(card=waiting).update(due=NOW + timedelta(milliseconds=200))
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    body = client.get(reverse("cards:review"), headers=HTMX).content.decode()
    assert 'data-countdown="1">1 s</span>' in body
    assert 'hx-trigger="load delay:1s"' in body


def test_the_poll_keeps_the_topic_scope(client, learner, waiting, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    body = client.get(reverse("cards:review"), {"topic": waiting.topic.slug}).content.decode()
    assert f'hx-get="/review/?topic={waiting.topic.slug}"' in body


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "1 s"), (1, "1 s"), (59, "59 s"), (60, "1 min"), (61, "1 min 1 s"), (600, "10 min"), (3660, "1 h 1 min"), (7200, "2 h")],
)  # fmt: skip
def test_wait_texts_use_unit_symbols_and_never_zero(seconds, text):
    assert scheduling.format_wait(seconds) == text


def test_seconds_until_rounds_up():
    assert scheduling.seconds_until(NOW + timedelta(milliseconds=1), NOW) == 1
    assert scheduling.seconds_until(NOW + timedelta(seconds=89, milliseconds=1), NOW) == 90
    assert scheduling.seconds_until(NOW - timedelta(seconds=5), NOW) == 1


def test_the_countdown_reads_in_spanish(client, learner, waiting, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    client.cookies["django_language"] = "es"
    body = client.get(reverse("cards:review")).content.decode()
    assert 'vuelve dentro de <span role="timer" data-countdown="90">1 min 30 s</span>.' in body
