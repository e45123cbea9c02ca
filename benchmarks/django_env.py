"""Django for benchmark scripts: settings from the environment, a throwaway test database."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment


@contextmanager
def test_database(*, on_disk: bool = False):
    """A fresh test database on the DATABASE_URL server (SQLite by default), dropped after.
    SQLite's is in memory unless ``on_disk``: then a file, as the app runs (commits reach the
    disk), for benchmarks that write."""
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    with tempfile.TemporaryDirectory() as folder:
        if on_disk and connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
        try:
            yield connection
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
