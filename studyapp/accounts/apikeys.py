"""API keys for the SDK endpoint: create (the secret is shown once), revoke, read the secret.

The endpoint verifies Signature Version 4, which needs the secret itself (an HMAC key), so a
secret is stored encrypted (Fernet: AES-128-CBC and HMAC-SHA256) under a key derived from
SECRET_KEY with HKDF; keys derived from SECRET_KEY_FALLBACKS still decrypt, so rotating
SECRET_KEY the way Django documents keeps keys working. A learner holds at most
MAX_ACTIVE_KEYS active keys, as AWS allows two per IAM user.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.translation import gettext as _

from .models import ApiKey

MAX_ACTIVE_KEYS = 2
KEPT_REVOKED = 10  # revoked keys listed on the page; older ones are deleted
KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # what AWS's AKIA... ids are made of
SECRET_BYTES = 30  # 40 characters, as long as an AWS secret access key
# Everything the learner's own simulators offer; the page lets them narrow it.
DEFAULT_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowMySimulators",
      "Effect": "Allow",
      "Action": ["sqs:*", "kinesis:*", "dynamodb:*"],
      "Resource": "*"
    }
  ]
}"""


class TooManyKeys(Exception):
    """The learner already holds MAX_ACTIVE_KEYS active keys."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    def derive(secret_key: str) -> Fernet:
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"studyapp.accounts.apikeys"
        )
        return Fernet(base64.urlsafe_b64encode(hkdf.derive(force_bytes(secret_key))))

    return MultiFernet([derive(key) for key in keys])


def _cipher() -> MultiFernet:
    return _fernet((settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def _new_key_id() -> str:
    return "AKIA" + "".join(secrets.choice(KEY_ID_ALPHABET) for _ in range(16))


def api_key_create(*, user) -> tuple[ApiKey, str]:
    """A new key pair: (the key, its secret). The secret is not readable from the page again."""
    with transaction.atomic():
        # Lock the learner's row so that two tabs cannot both take the last free place.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if ApiKey.objects.filter(user=user, revoked_at=None).count() >= MAX_ACTIVE_KEYS:
            raise TooManyKeys(
                _("You already have %(n)d active keys, the most allowed. Revoke one first.")
                % {"n": MAX_ACTIVE_KEYS}
            )
        secret = secrets.token_urlsafe(SECRET_BYTES)
        key = ApiKey.objects.create(
            user=user,
            access_key_id=_new_key_id(),
            secret_encrypted=_cipher().encrypt(secret.encode()).decode(),
            policy=DEFAULT_POLICY,
        )
        old = ApiKey.objects.filter(user=user).exclude(revoked_at=None)
        stale = list(old.order_by("-revoked_at").values_list("pk", flat=True)[KEPT_REVOKED:])
        ApiKey.objects.filter(pk__in=stale).delete()
    return key, secret


def api_key_revoke(*, user, access_key_id: str) -> bool:
    """Revoke one of the learner's keys: it stops working now and its secret is erased."""
    return bool(
        ApiKey.objects.filter(user=user, access_key_id=access_key_id, revoked_at=None).update(
            revoked_at=timezone.now(), secret_encrypted=""
        )
    )


@dataclass(frozen=True)
class ActiveKey:
    """What an SDK call needs of its key: read on every call, in one written statement."""

    pk: int
    access_key_id: str
    user_id: int
    username: str
    secret_encrypted: str
    policy: str
    used_since: bool  # last used at or after the moment given to api_key_active


@cache
def _active_key_sql(vendor: str) -> str:
    """api_key_active's statement, built once per database vendor."""
    q = connection.ops.quote_name
    user_model = get_user_model()
    users, keys = q(user_model._meta.db_table), q(ApiKey._meta.db_table)
    username = q(user_model._meta.get_field(user_model.USERNAME_FIELD).column)
    return (
        f"SELECT k.{q('id')}, k.{q('access_key_id')}, k.{q('user_id')}, u.{username}, "
        f"k.{q('secret_encrypted')}, k.{q('policy')}, "
        f"k.{q('last_used_at')} IS NOT NULL AND k.{q('last_used_at')} >= %s "
        f"FROM {keys} k JOIN {users} u ON u.{q('id')} = k.{q('user_id')} "
        f"WHERE k.{q('access_key_id')} = %s AND k.{q('revoked_at')} IS NULL AND u.{q('is_active')}"
    )


def api_key_active(access_key_id: str, *, used_since: datetime | None = None) -> ActiveKey | None:
    """The active key with this id, of an active learner, or None.

    Every SDK call runs this: the SQL is written once here, as the ORM spent ten times longer
    building and compiling the same join (with its model instances) than the database took to
    run it (benchmarks/awsapi_calls.py)."""
    since = connection.ops.adapt_datetimefield_value(used_since or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_active_key_sql(connection.vendor), [since, access_key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, key_id, user_id, name, secret_encrypted, policy, used = row
    return ActiveKey(pk, key_id, user_id, name, secret_encrypted, policy, bool(used))


def secret_of(key: ApiKey | ActiveKey) -> str | None:
    """The key's secret; None if it cannot be decrypted (SECRET_KEY changed without fallback)."""
    try:
        return _cipher().decrypt(key.secret_encrypted.encode()).decode()
    except InvalidToken:
        return None
