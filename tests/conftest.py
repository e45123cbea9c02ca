"""Shared fixtures: the cast of users and the real content, loaded once per test session."""

import os

import pytest

# Django is imported inside the fixtures, so that the engine tests (tests/engines) also run
# without Django: `python -m pytest -p no:django tests/engines`.

PASSWORD = "correct-horse-battery-staple"

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_collection_modifyitems(config, items):
    """With ONLY_DATABASE_TESTS=1 (the PostgreSQL run of `make test`), leave out the tests that
    never touch the database: they ran on SQLite already and would only repeat themselves."""
    if os.environ.get("ONLY_DATABASE_TESTS") != "1":
        return
    kept, dropped = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        )
        (kept if uses_database else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load content/ once: tests read the real notes, as a learner would."""
    from django.conf import settings

    from studyapp.authoring.loader import load_content

    with django_db_blocker.unblock():
        load_content(settings.CONTENT_DIR)


@pytest.fixture(scope="session")
def content_bundle():
    """content/ read, parsed and checked once per test process (it does not change)."""
    from django.conf import settings

    from studyapp.authoring.loader import collect

    return collect(settings.CONTENT_DIR)


_SQLITE_SNAPSHOT = []  # the in-memory test database right after content/ was stored


@pytest.fixture
def loaded_content(transactional_db, content_bundle):
    """For tests that flush the database (browser tests): store content/ again. On SQLite's
    in-memory test database the first load is copied aside and later ones copied back
    (SQLite's backup API: milliseconds, where storing the content again takes seconds)."""
    import sqlite3

    from django.db import connection

    from studyapp.authoring.loader import apply

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        apply(content_bundle)
        return
    connection.ensure_connection()
    if _SQLITE_SNAPSHOT:
        _SQLITE_SNAPSHOT[0].backup(connection.connection)
        return
    apply(content_bundle)
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(snapshot)
    _SQLITE_SNAPSHOT.append(snapshot)


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("learner", "learner@example.com", PASSWORD)


@pytest.fixture
def other_learner(django_user_model):
    return django_user_model.objects.create_user("other", "other@example.com", PASSWORD)


@pytest.fixture
def instructor(django_user_model):
    from django.contrib.auth.models import Group

    from studyapp.accounts.roles import INSTRUCTOR_GROUP

    user = django_user_model.objects.create_user("teacher", "teacher@example.com", PASSWORD)
    # get_or_create: a transactional test before this one may have flushed the migration's group.
    group, _created = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing(request):
    """Tests hash with MD5: the production hasher (PBKDF2, a million rounds) takes a quarter of
    a second per user created or login tried, minutes over the suite. What the tests check
    (who may log in, throttles, locks) does not depend on the hasher."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield  # the engine tests also run without Django
        return
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page cached by one test is not another's."""
    from django.core.cache import cache

    from studyapp.live.selectors import forget_answer_keys

    cache.clear()
    forget_answer_keys()  # ids and frozen clocks repeat from test to test
