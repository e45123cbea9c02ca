"""A signed-in learner's simulator page follows what their SDK calls do (issue 17: "the
simulator pages show the same queues, streams and tables, with each SDK call in the event log
as it happens (htmx polling is fine)").

The page carries the stamp of the stored state it shows; ``changes/?since=<stamp>`` answers
204 while that is still the stored state, and the panel again once anything (an SDK call,
another tab) changed it.
"""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from studyapp.awsapi import kinesis as kinesis_api
from studyapp.awsapi import sqs as sqs_api
from studyapp.sims import state

SINCE = re.compile(
    r"data-follow=\"[^\"]+\" hx-get=\"([^\"]+)\" hx-vals='\{\"since\": \"([0-9a-f]*)\"\}'"
)
HTMX = {"HX-Request": "true"}


def follow_of(html: str) -> tuple[str, str]:
    found = SINCE.search(html)
    assert found, "no follow poller in the page"
    return found[1], found[2]


def sdk(module, operation: str, body: dict, user) -> None:
    module.call(state.Owner(user.pk), operation, body, key_id="AKIATEST", wall=time.time())


@pytest.mark.django_db
def test_an_sdk_call_reaches_the_open_sqs_page_at_its_next_question(client, learner):
    client.force_login(learner)
    url, since = follow_of(client.get(reverse("sims:sqs")).content.decode())
    assert url == reverse("sims:sqs-changes")
    assert client.get(url, {"since": since}, headers=HTMX).status_code == 204

    sdk(sqs_api, "CreateQueue", {"QueueName": "orders"}, learner)

    answer = client.get(url, {"since": since}, headers=HTMX)
    assert answer.status_code == 200
    panel = answer.content.decode()
    assert 'id="sqs-panel"' in panel and "orders" in panel and "SDK AKIATEST" in panel
    _url, newer = follow_of(panel)
    assert newer != since
    assert client.get(url, {"since": newer}, headers=HTMX).status_code == 204


@pytest.mark.django_db
def test_the_page_own_action_carries_the_new_stamp(client, learner):
    """After an action from the page, the panel it gets back already knows the new state:
    it is not sent again at the next question."""
    client.force_login(learner)
    answer = client.post(
        reverse("sims:sqs-action", args=["create"]),
        {"name": "orders", "visibility": "30"},
        headers=HTMX,
    )
    url, since = follow_of(answer.content.decode())
    assert since
    assert client.get(url, {"since": since}, headers=HTMX).status_code == 204


@pytest.mark.django_db
def test_kinesis_and_dynamodb_pages_follow_too(client, learner):
    client.force_login(learner)
    url, since = follow_of(client.get(reverse("sims:kinesis")).content.decode())
    assert url == reverse("sims:kinesis-changes")
    sdk(kinesis_api, "CreateStream", {"StreamName": "clicks", "ShardCount": 2}, learner)
    answer = client.get(url, {"since": since}, headers=HTMX)
    assert answer.status_code == 200 and "clicks" in answer.content.decode()

    url, since = follow_of(client.get(reverse("sims:dynamodb")).content.decode())
    assert url == reverse("sims:dynamodb-changes")
    assert client.get(url, {"since": since}, headers=HTMX).status_code == 204


@pytest.mark.django_db
def test_a_visitor_who_is_not_signed_in_has_no_poller(client):
    """Only a signed-in learner can hold an API key, so only their pages ask."""
    page = client.get(reverse("sims:sqs")).content.decode()
    assert "data-follow" not in page
    assert client.get(reverse("sims:sqs-changes"), {"since": ""}).status_code == 204


@pytest.mark.django_db
def test_asking_is_cheap(client, learner, django_assert_max_num_queries):
    """The question every open page asks every two seconds: the session, the user, the stamp."""
    client.force_login(learner)
    url, since = follow_of(client.get(reverse("sims:sqs")).content.decode())
    with django_assert_max_num_queries(3):
        assert client.get(url, {"since": since}, headers=HTMX).status_code == 204


@pytest.mark.django_db
def test_a_plain_request_for_changes_goes_back_to_the_page(client, learner):
    client.force_login(learner)
    sdk(sqs_api, "CreateQueue", {"QueueName": "orders"}, learner)
    answer = client.get(reverse("sims:sqs-changes"), {"since": "stale"})
    assert answer.status_code == 302 and answer["Location"] == reverse("sims:sqs")
