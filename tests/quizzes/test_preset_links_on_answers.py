"""Cards and questions of a topic that a simulator preset teaches link to that preset on the
card back and on the practice result, as the topic page does (the preset's "teaches" list)."""

import pytest
from django.urls import reverse

from studyapp.notes.models import Topic

pytestmark = pytest.mark.django_db

TOPIC = "dynamodb-keys-and-capacity"
LINK = 'data-preset="dynamodb/hot-partition" href="/sims/dynamodb/?preset=hot-partition"'


def test_the_dynamodb_presets_are_linked_to_the_guide_pages_they_teach():
    topic = Topic.objects.get(slug=TOPIC)
    assert ("dynamodb", "hot-partition") in set(topic.presets.values_list("simulator", "name"))


def test_the_card_back_links_to_the_preset_of_its_topic(client, learner):
    client.force_login(learner)
    front = client.get(reverse("cards:review"), {"topic": TOPIC}).content.decode()
    assert LINK in front.split('id="answer"')[1]  # in the hidden back, shown with the answer
    assert LINK not in front.split('id="answer"')[0]


def test_the_practice_result_links_to_the_preset_of_its_topic(client, learner):
    client.force_login(learner)
    page = client.get(reverse("quizzes:practice"), {"topic": TOPIC})
    assert LINK not in page.content.decode()
    response = client.post(
        reverse("quizzes:practice_answer"),
        {"question": page.context["question"].pk, "choice": ["1"], "token": page.context["token"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert LINK in response.content.decode()
