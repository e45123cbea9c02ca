"""The API access page: create (secret shown once), revoke, edit the policy; owner only."""

import json

import pytest

from studyapp.accounts.apikeys import MAX_ACTIVE_KEYS, api_key_create, secret_of
from studyapp.accounts.models import ApiKey

pytestmark = pytest.mark.django_db


def test_the_page_needs_a_signed_in_learner(client):
    response = client.get("/api-access/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_secret_is_shown_once_uncompressed_and_not_cached(client, learner):
    client.force_login(learner)
    response = client.post("/api-access/", {"do": "create"}, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    key = ApiKey.objects.get(user=learner)
    secret = secret_of(key)
    page = response.content.decode()
    assert f"AWS_SECRET_ACCESS_KEY={secret}" in page
    assert response["Content-Encoding"] == "identity"  # no compression side channel
    assert "no-store" in response["Cache-Control"]
    later = client.get("/api-access/").content.decode()
    assert key.access_key_id in later and secret not in later


def test_no_more_than_the_allowed_keys(client, learner):
    client.force_login(learner)
    for _ in range(MAX_ACTIVE_KEYS):
        api_key_create(user=learner)
    response = client.post("/api-access/", {"do": "create"})
    assert response.status_code == 400
    assert ApiKey.objects.filter(user=learner).count() == MAX_ACTIVE_KEYS


def test_revoke_from_the_page(client, learner):
    key, _secret = api_key_create(user=learner)
    client.force_login(learner)
    response = client.post("/api-access/", {"do": "revoke", "key": key.access_key_id})
    assert response.status_code == 302
    assert not ApiKey.objects.get(pk=key.pk).active


def test_another_learners_keys_are_neither_shown_nor_changed(client, learner, other_learner):
    key, _secret = api_key_create(user=learner)
    client.force_login(other_learner)
    assert key.access_key_id not in client.get("/api-access/").content.decode()
    revoke = client.post("/api-access/", {"do": "revoke", "key": key.access_key_id})
    assert revoke.status_code == 400
    policy = client.post("/api-access/", {"do": "policy", "key": key.access_key_id, "policy": "{}"})
    assert policy.status_code == 400
    assert ApiKey.objects.get(pk=key.pk).active


def test_a_valid_policy_is_saved_and_an_invalid_one_is_a_400_with_the_reason(client, learner):
    key, _secret = api_key_create(user=learner)
    client.force_login(learner)
    narrow = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}],
        }
    )
    saved = client.post(
        "/api-access/", {"do": "policy", "key": key.access_key_id, "policy": narrow}
    )
    assert saved.status_code == 302
    assert ApiKey.objects.get(pk=key.pk).policy == narrow
    broken = client.post(
        "/api-access/", {"do": "policy", "key": key.access_key_id, "policy": '{"Statement": 3'}
    )
    assert broken.status_code == 400
    assert "was not saved" in broken.content.decode()
    assert "{&quot;Statement&quot;: 3" in broken.content.decode()  # kept, to fix
    assert ApiKey.objects.get(pk=key.pk).policy == narrow


def test_the_page_posts_need_a_csrf_token(learner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post("/api-access/", {"do": "create"}).status_code == 403
    assert not ApiKey.objects.filter(user=learner).exists()


def test_the_guide_page_renders_docs_sdk_md(client):
    response = client.get("/api-access/guide/")
    assert response.status_code == 200
    assert "ProvisionedThroughputExceededException" in response.content.decode()


def test_the_simulators_page_links_to_api_access(client):
    page = client.get("/sims/").content.decode()
    assert 'href="/api-access/"' in page and 'href="/api-access/guide/"' in page
