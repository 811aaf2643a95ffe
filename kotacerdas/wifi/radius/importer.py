"""Where radacct rows come from: a CSV export, or the radacct table of a running FreeRADIUS
(PostgreSQL or SQLite), read a batch at a time so a year of sessions never sits in memory;
and how one row becomes one session's values (RowParser), which touches no database, so
that a CSV import can parse its pieces in other processes (actions.sessions_import_csv)."""

import csv
import io
import ipaddress
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.views.decorators.debug import sensitive_variables

from kotacerdas.wifi.radius.hashing import mac_hash, user_hash
from kotacerdas.wifi.radius.packets import acct_unique
from kotacerdas.wifi.radius.queries import HotspotMap

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


class BadRow(ValueError):
    pass


def csv_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a `\\copy radacct to 'f.csv' csv header` export; the header names the columns
    (any case, any order, extra columns ignored)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        names = csv_names(header)
        for values in reader:
            yield dict(zip(names, values, strict=False))


def csv_names(header: Sequence[str]) -> list[str]:
    names = [name.strip().lower() for name in header]
    missing = {"acctsessionid", "acctstarttime"} - set(names)
    if missing:
        raise SourceError(f"CSV header lacks {', '.join(sorted(missing))}")
    return names


PIECE_CHARS = 2_000_000  # of a CSV, parsed at a time: about 7,500 radacct rows


class CsvPieces:
    """A CSV export's column names (None for an empty file), then, iterated, the rest of the
    file in pieces of about piece_chars characters, each ending where a record ends, so that
    each can be parsed on its own: a line break ends a record unless it lies inside quotes,
    that is after an odd number of quote characters (CSV doubles a quote inside quotes, so the
    count stays even outside them). A context manager: the file is open inside `with`."""

    def __init__(self, path: Path, *, piece_chars: int = PIECE_CHARS) -> None:
        self.path, self.piece_chars = path, piece_chars
        self.names: list[str] | None = None

    def __enter__(self) -> "CsvPieces":
        self.handle = self.path.open(newline="", encoding="utf-8")
        first = self._read(self.handle.readline)
        header = next(csv.reader([first]), None) if first else None
        self.names = None if header is None else csv_names(header)
        return self

    def __exit__(self, *exc_info) -> None:
        self.handle.close()

    def __iter__(self) -> Iterator[str]:
        carry = ""
        while text := self._read(self.handle.read, self.piece_chars):
            text = carry + text
            end = text.rfind("\n")
            while end >= 0 and text.count('"', 0, end) % 2:
                end = text.rfind("\n", 0, end)
            if end < 0:  # one record longer than a piece: read on
                carry = text
                continue
            yield text[: end + 1]
            carry = text[end + 1:]
        if carry:
            yield carry

    def _read(self, read, *args) -> str:
        try:
            return read(*args)
        except UnicodeDecodeError:
            raise SourceError(
                "Berkas bukan teks UTF-8; baris sebelum titik ini sudah tersimpan, impor ulang setelah "
                "berkas diubah ke UTF-8 tidak menggandakannya. / The file is not UTF-8 text; rows before "
                "this point were saved, and importing it again once converted to UTF-8 duplicates nothing."
            ) from None


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


# --- one row, one session ------------------------------------------------------------------

# What RowParser.session reads, in this order, as text.
FIELDS = (
    "acctsessionid", "acctuniqueid", "username", "nasipaddress", "nasidentifier", "nasportid",
    "calledstationid", "callingstationid", "acctsessiontime", "acctstarttime", "acctupdatetime",
    "acctstoptime", "acctinputoctets", "acctoutputoctets", "acctterminatecause",
)
# The Session columns a row becomes (field and column names are the same), in the order
# RowParser.session returns them.
IMPORT_FIELDS = (
    "unique_id", "session_id", "hotspot_id", "user_hash", "mac_hash", "nas_ip", "nas_identifier",
    "nas_port_id", "called_station_id", "started_at", "updated_at", "stopped_at", "session_time",
    "input_octets", "output_octets", "terminate_cause",
)
STARTED, UPDATED, STOPPED, SESSION_TIME = (IMPORT_FIELDS.index(name) for name in
                                            ("started_at", "updated_at", "stopped_at", "session_time"))
NAS_IP = IMPORT_FIELDS.index("nas_ip")
REMEMBERED = 500_000  # users, MACs and hotspot names a parser remembers at most
NOWHERE = object()


def as_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class RowParser:
    """One radacct row, its FIELDS as text (a CSV's cells; a database row's values through
    `as_text`), to one session's IMPORT_FIELDS values, user names and MACs hashed; BadRow with a
    bilingual message that never quotes the row. Whatever the source, one rule."""

    hotspots: HotspotMap
    tz: tzinfo
    # What an import has worked out already: it meets each user, MAC and hotspot again and
    # again, and hashing was a fifth of a row's parsing.
    users: dict[str, str] = field(default_factory=dict)
    macs: dict[str, str] = field(default_factory=dict)
    places: dict[tuple[str, str, str], int | None] = field(default_factory=dict)

    def session(self, values: Sequence[str]) -> tuple:
        (session_id, unique_id, username, nas_ip, nas_identifier, nas_port_id, called, calling,
         session_time, started, updated, stopped, input_octets, output_octets, cause) = values
        username, session_id = username.strip(), session_id.strip()
        nas_ip = _ip(nas_ip.strip())
        nas_identifier, nas_port_id = nas_identifier.strip()[:64], nas_port_id.strip()
        called = called.strip()[:64]
        unique_id = unique_id.strip() or acct_unique(
            username=username, session_id=session_id, nas_ip=nas_ip, nas_identifier=nas_identifier,
            nas_port_id=nas_port_id, nas_port="",
        )
        if not session_id:
            raise BadRow("acctsessionid kosong / empty acctsessionid")
        seconds = _int(session_time, "acctsessiontime")
        started_at = _datetime(started, "acctstarttime", self.tz)
        updated_at = _datetime(updated, "acctupdatetime", self.tz)
        stopped_at = _datetime(stopped, "acctstoptime", self.tz)
        if started_at is None:
            last = stopped_at or updated_at
            if last is None:
                raise BadRow("acctstarttime kosong / empty acctstarttime")
            started_at = last - timedelta(seconds=seconds)
        place = (nas_ip, called, nas_identifier)
        hotspot = self.places.get(place, NOWHERE)
        if hotspot is NOWHERE:
            hotspot = self.places[place] = self.hotspots.resolve(
                nas_ip=nas_ip, called_station_id=called, nas_identifier=nas_identifier
            )
        user = self.users.get(username)
        if user is None:
            user = self.users[username] = user_hash(username)
        calling = calling.strip()
        mac = self.macs.get(calling)
        if mac is None:
            mac = self.macs[calling] = mac_hash(calling)
        if len(self.macs) + len(self.users) + len(self.places) > REMEMBERED:
            self.users.clear()
            self.macs.clear()
            self.places.clear()
        return (
            unique_id[:64],
            session_id[:64],
            hotspot,
            user,
            mac,
            nas_ip or None,
            nas_identifier,
            nas_port_id[:32],
            called,
            started_at,
            updated_at,
            stopped_at,
            seconds,
            _int(input_octets, "acctinputoctets"),
            _int(output_octets, "acctoutputoctets"),
            cause.strip()[:32],
        )


def keep_latest(sessions: dict[str, tuple], values: tuple) -> None:
    """Adds a session to a batch keyed by unique id; of two rows of one session the one further
    on wins (PostgreSQL refuses to update one row twice in one statement)."""
    earlier = sessions.get(values[0])
    if earlier is None or (earlier[SESSION_TIME], earlier[STOPPED] is not None) <= (
        values[SESSION_TIME], values[STOPPED] is not None
    ):
        sessions[values[0]] = values


def _int(value: str, column: str) -> int:
    if not value:
        return 0
    try:
        number = int(value)
    except ValueError:
        raise BadRow(f"{column}: bukan bilangan bulat / not an integer") from None
    if number < 0:
        raise BadRow(f"{column}: negatif / negative")
    return number


@lru_cache(maxsize=4096)
def _ip_text(value: str) -> str:
    # psycopg gives inet as an ipaddress object, a CSV as "10.0.0.1" or "10.0.0.1/32".
    return str(ipaddress.ip_interface(value).ip)


def _ip(value: str) -> str:
    if not value:
        return ""
    try:
        return _ip_text(value)
    except ValueError:
        raise BadRow("nasipaddress: bukan alamat IP / not an IP address") from None


def _datetime(value: str, column: str, tz: tzinfo) -> datetime | None:
    """radacct times as text: with an offset from PostgreSQL's timestamptz, without (the
    RADIUS server's local time, taken as WIB) from timestamp columns and SQLite."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):  # MySQL's "no date"
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        raise BadRow(f"{column}: tanggal tidak dapat dibaca / unparseable date") from None
    return found.replace(tzinfo=tz) if found.tzinfo is None else found


# --- a CSV piece, parsed on its own (in a worker process) ----------------------------------


@dataclass
class Piece:
    """What one piece of a CSV gave: its records, the bad ones by their place in the piece,
    the WIB days its sessions started on, and the sessions, as COPY text for PostgreSQL or as
    value tuples."""

    records: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    bad: int = 0
    days: set = field(default_factory=set)
    sessions: int = 0
    payload: Any = None


_worker: dict[str, Any] = {}


def piece_setup(names: Sequence[str], parser: RowParser, as_copy_text: bool, max_errors: int) -> None:
    """A worker's state, set once: the columns' places in a record and the parser."""
    width = len(names)
    where = {name: index for index, name in enumerate(names)}
    # A column the file lacks reads the empty cell appended to every record.
    _worker.update(
        pick=itemgetter(*(where.get(name, width) for name in FIELDS)), width=width, parser=parser,
        as_copy_text=as_copy_text, max_errors=max_errors,
    )


@sensitive_variables()
def piece_parse(piece: str) -> Piece:
    pick, width, parser = _worker["pick"], _worker["width"], _worker["parser"]
    session, tz = parser.session, parser.tz
    found = Piece()
    sessions: dict[str, tuple] = {}
    for place, record in enumerate(csv.reader(io.StringIO(piece, newline=""))):
        found.records += 1
        if len(record) < width:
            record += [""] * (width - len(record))
        record.append("")
        try:
            values = session(pick(record))
        except BadRow as problem:
            found.bad += 1
            if len(found.errors) < _worker["max_errors"]:
                found.errors.append((place, str(problem)))
            continue
        keep_latest(sessions, values)
    return with_sessions(found, sessions, tz, as_copy_text=_worker["as_copy_text"])


def with_sessions(piece: Piece, sessions: dict[str, tuple], tz: tzinfo, *, as_copy_text: bool) -> Piece:
    """The piece with its sessions: the days they started on, and what the database is sent."""
    piece.days = {values[STARTED].astimezone(tz).date() for values in sessions.values()}
    piece.sessions = len(sessions)
    piece.payload = copy_text(sessions.values()) if as_copy_text else list(sessions.values())
    return piece


# COPY's text format: a tab between columns, \N for NULL, and these four escaped in text.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(sessions: Iterable[tuple]) -> str:
    """Sessions as lines of PostgreSQL's COPY text format, the times as microseconds since
    1970 (the import's INSERT turns them back into times): formatting an aware datetime as
    text cost as much as parsing the whole row."""
    lines = []
    for (unique_id, session_id, hotspot_id, user, mac, nas_ip, nas_identifier, nas_port_id, called,
         started_at, updated_at, stopped_at, seconds, input_octets, output_octets, cause) in sessions:
        text = unique_id + session_id + nas_identifier + nas_port_id + called + cause
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            unique_id, session_id, nas_identifier, nas_port_id, called, cause = (
                value.translate(COPY_ESCAPES)
                for value in (unique_id, session_id, nas_identifier, nas_port_id, called, cause)
            )
        lines.append("\t".join((
            unique_id, session_id, "\\N" if hotspot_id is None else str(hotspot_id), user, mac,
            nas_ip or "\\N", nas_identifier, nas_port_id, called, _microseconds(started_at),
            _microseconds(updated_at), _microseconds(stopped_at), str(seconds), str(input_octets),
            str(output_octets), cause,
        )))
    lines.append("")
    return "\n".join(lines)


def _microseconds(value: datetime | None) -> str:
    # Exact: a double holds today's epoch seconds to a quarter of a microsecond.
    return "\\N" if value is None else str(round(value.timestamp() * 1_000_000))
