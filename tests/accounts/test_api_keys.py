"""Access keys for the SDK endpoint: stored encrypted, shown once, revocable, a few per learner."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from studyapp.accounts.apikeys import (
    MAX_ACTIVE_KEYS,
    TooManyKeys,
    api_key_active,
    api_key_create,
    api_key_revoke,
    secret_of,
)
from studyapp.accounts.models import ApiKey

pytestmark = pytest.mark.django_db


def test_a_key_looks_like_aws_and_its_secret_is_stored_encrypted(learner):
    key, secret = api_key_create(user=learner)
    assert key.access_key_id.startswith("AKIA") and len(key.access_key_id) == 20
    assert len(secret) == 40
    stored = ApiKey.objects.get(pk=key.pk)
    assert secret not in stored.secret_encrypted
    assert secret_of(stored) == secret


def test_a_secret_cannot_be_read_under_another_secret_key(learner):
    key, secret = api_key_create(user=learner)
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="another-secret-key-entirely-0123456789"):
        assert secret_of(key) is None
    with override_settings(
        SECRET_KEY="another-secret-key-entirely-0123456789", SECRET_KEY_FALLBACKS=[old]
    ):
        assert secret_of(key) == secret  # rotating SECRET_KEY with a fallback keeps keys


def test_a_learner_holds_at_most_a_few_active_keys(learner):
    keys = [api_key_create(user=learner)[0] for _ in range(MAX_ACTIVE_KEYS)]
    with pytest.raises(TooManyKeys):
        api_key_create(user=learner)
    assert api_key_revoke(user=learner, access_key_id=keys[0].access_key_id)
    api_key_create(user=learner)  # a revoked key frees its place


def test_a_revoked_key_stops_working_and_loses_its_secret(learner):
    key, _secret = api_key_create(user=learner)
    active = api_key_active(key.access_key_id)
    assert (active.pk, active.user_id, active.username) == (key.pk, learner.pk, learner.username)
    assert secret_of(active) == _secret
    assert api_key_revoke(user=learner, access_key_id=key.access_key_id)
    assert api_key_active(key.access_key_id) is None
    assert ApiKey.objects.get(pk=key.pk).secret_encrypted == ""


def test_a_learner_cannot_revoke_another_learners_key(learner, other_learner):
    key, _secret = api_key_create(user=learner)
    assert not api_key_revoke(user=other_learner, access_key_id=key.access_key_id)
    assert api_key_active(key.access_key_id) is not None


def test_create_api_key_prints_the_environment_lines(learner, capsys):
    call_command("create_api_key", "learner")
    out = capsys.readouterr().out.splitlines()
    key = ApiKey.objects.get(user=learner)
    assert out == [
        f"AWS_ACCESS_KEY_ID={key.access_key_id}",
        f"AWS_SECRET_ACCESS_KEY={secret_of(key)}",
    ]


def test_create_api_key_for_an_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="No user named"):
        call_command("create_api_key", "nobody")


def test_a_key_of_a_deactivated_learner_does_not_work(learner):
    key, _secret = api_key_create(user=learner)
    learner.is_active = False
    learner.save()
    assert api_key_active(key.access_key_id) is None


def test_the_key_says_whether_it_was_used_since_a_moment(learner):
    key, _secret = api_key_create(user=learner)
    now = timezone.now()
    assert not api_key_active(key.access_key_id, used_since=now).used_since  # never used
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    assert api_key_active(key.access_key_id, used_since=now).used_since
    assert not api_key_active(key.access_key_id, used_since=now + timedelta(seconds=1)).used_since
