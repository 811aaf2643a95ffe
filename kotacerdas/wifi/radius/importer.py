"""Where radacct rows come from: a CSV export, or the radacct table of a running FreeRADIUS
(PostgreSQL or SQLite), read a batch at a time so a year of sessions never sits in memory."""

import csv
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

COLUMNS = (
    "acctsessionid", "acctuniqueid", "username", "nasipaddress", "nasportid", "acctstarttime",
    "acctupdatetime", "acctstoptime", "acctsessiontime", "acctinputoctets", "acctoutputoctets",
    "calledstationid", "callingstationid", "acctterminatecause",
)
OPTIONAL_COLUMNS = ("nasidentifier",)
FETCH_SIZE = 5000
TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


class SourceError(ValueError):
    pass


def csv_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a `\\copy radacct to 'f.csv' csv header` export; the header names the columns
    (any case, any order, extra columns ignored)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        names = [name.strip().lower() for name in header]
        missing = {"acctsessionid", "acctstarttime"} - set(names)
        if missing:
            raise SourceError(f"CSV header lacks {', '.join(sorted(missing))}")
        for values in reader:
            yield dict(zip(names, values, strict=False))


def database_rows(url: str, *, table: str = "radacct") -> Iterator[dict[str, Any]]:
    """Rows of a radacct table at a database URL: postgres://... or sqlite:///path."""
    if not TABLE_NAME.match(table):
        raise SourceError(f"not a table name: {table!r}")
    scheme = urlparse(url).scheme
    if scheme in ("postgres", "postgresql"):
        yield from _postgres_rows(url, table)
    elif scheme == "sqlite":
        yield from _sqlite_rows(url, table)
    else:
        raise SourceError(f"unsupported database URL scheme {scheme!r}: use postgres:// or sqlite:///")


def _select(table: str, present: set[str]) -> str:
    wanted = [column for column in COLUMNS + OPTIONAL_COLUMNS if column in present]
    # The table name was checked against TABLE_NAME and the columns come from our own list.
    return f"SELECT {', '.join(wanted)} FROM {table}"  # noqa: S608


def _postgres_rows(url: str, table: str) -> Iterator[dict[str, Any]]:
    import psycopg

    with psycopg.connect(url, autocommit=False) as connection:
        schema, _, name = table.rpartition(".")
        with connection.cursor() as probe:
            probe.execute(
                "SELECT lower(column_name) FROM information_schema.columns WHERE table_name = %s"
                " AND (%s = '' OR table_schema = %s)",
                (name, schema, schema),
            )
            present = {row[0] for row in probe.fetchall()}
        if not present:
            raise SourceError(f"table {table} not found")
        # A named cursor is a server-side one: PostgreSQL hands the rows over FETCH_SIZE at a time.
        with connection.cursor(name="kotacerdas_radacct") as cursor:
            cursor.itersize = FETCH_SIZE
            cursor.execute(_select(table, present))
            names = [column.name for column in cursor.description or []]
            for values in cursor:
                yield dict(zip(names, values, strict=True))


def _sqlite_rows(url: str, table: str) -> Iterator[dict[str, Any]]:
    path = unquote(urlparse(url).path)
    if url.startswith("sqlite:////"):
        path = "/" + path.lstrip("/")
    elif url.startswith("sqlite:///"):
        path = path[1:]
    if not Path(path).exists():
        raise SourceError(f"no SQLite database at {path}")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        present = {row[1].lower() for row in connection.execute(f"PRAGMA table_info({table})")}
        if not present:
            raise SourceError(f"table {table} not found")
        cursor = connection.execute(_select(table, present))
        names = [column[0] for column in cursor.description]
        while batch := cursor.fetchmany(FETCH_SIZE):
            for values in batch:
                yield dict(zip(names, values, strict=True))
