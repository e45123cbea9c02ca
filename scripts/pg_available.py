"""Exit 0 when a PostgreSQL server answers at the URL given as the only argument."""

import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=2,
    ).close()
except psycopg.Error:
    sys.exit(1)
