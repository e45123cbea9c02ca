"""The database's own text search for the search index, where the database has one.

PostgreSQL: pg_trgm for fuzzy words, and a generated, GIN-indexed tsvector column (`document`)
that PostgreSQL keeps up to date itself. SQLite: an FTS5 table over the entries (external
content: it stores no text of its own; `studyapp.notes.search` rebuilds it after each load).
Other databases, and an SQLite built without FTS5, get neither: the search then falls back to
plain substring matching (see `studyapp.notes.search`).
"""

from django.db import OperationalError, migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE notes_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(keywords, '')), 'B')
        || setweight(to_tsvector('english', coalesce(text, '')), 'C')
    ) STORED""",
    "CREATE INDEX notes_searchentry_document ON notes_searchentry USING gin (document)",
    "CREATE INDEX notes_searchterm_word_trgm ON notes_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS notes_searchterm_word_trgm",
    "DROP INDEX IF EXISTS notes_searchentry_document",
    "ALTER TABLE notes_searchentry DROP COLUMN IF EXISTS document",
]
SQLITE_FORWARD = """CREATE VIRTUAL TABLE IF NOT EXISTS notes_search_fts USING fts5(
    title, keywords, text,
    content='notes_searchentry', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)"""
SQLITE_BACKWARD = "DROP TABLE IF EXISTS notes_search_fts"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                cursor.execute(SQLITE_FORWARD)
            except OperationalError:  # an SQLite built without FTS5: the search falls back
                return


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("notes", "0004_display_and_search")]

    operations = [migrations.RunPython(forward, backward)]
