"""How a loaded table is laid out in SQL, on SQLite and on PostgreSQL.

Each resource gets `resource.table_name` with `_id` (the row number, 1..n, CKAN's `_id`) and
one column per header, named c0, c1 ... so that no header ever reaches SQL as an identifier.
Full-text search lives in `_full_text` (tsvector, GIN index) on PostgreSQL, as in CKAN, and in
a contentless FTS5 table `<table>_fts` keyed by `_id` on SQLite.
"""

import re
from functools import cache

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

from kotacerdas.opendata.models import DatastoreField

Type = DatastoreField.Type

COLUMN = re.compile(r"c\d{1,4}")

SQL_TYPES: dict[str, dict[str, str]] = {
    "postgresql": {
        Type.INT: "bigint",
        Type.NUMERIC: "numeric",
        Type.DATE: "date",
        Type.TIMESTAMP: "timestamp",
        Type.BOOL: "boolean",
        Type.TEXT: "text",
    },
    # SQLite has no date type: ISO 8601 text sorts and compares in calendar order.
    "sqlite": {
        Type.INT: "INTEGER",
        Type.NUMERIC: "REAL",
        Type.DATE: "TEXT",
        Type.TIMESTAMP: "TEXT",
        Type.BOOL: "INTEGER",
        Type.TEXT: "TEXT",
    },
}


def fts_table(table: str) -> str:
    return f"{table}_fts"


@cache
def _sqlite_has_fts5(library_version: str) -> bool:
    import sqlite3

    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(t)")
    except sqlite3.OperationalError:
        return False
    return True


def uses_fts5(connection: BaseDatabaseWrapper) -> bool:
    """Whether this SQLite build has FTS5; without it `q` scans a `_full_text` column."""
    if connection.vendor != "sqlite":
        return False
    import sqlite3

    return _sqlite_has_fts5(sqlite3.sqlite_version)


def supported(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in SQL_TYPES:
        raise DatabaseError(f"The datastore supports SQLite and PostgreSQL, not {connection.vendor}.")


def quote(connection: BaseDatabaseWrapper, name: str) -> str:
    return connection.ops.quote_name(name)
