"""Writes of RADIUS accounting: one packet at a time from FreeRADIUS, a radacct table in bulk,
and the daily rollups the dashboards read.

Accounting follows FreeRADIUS's own SQL semantics (raddb/mods-config/sql/main/postgresql/
queries.conf, summarised in wifi.md §2.1) so the rows mean what a radacct row means. It writes
no audit row: a session is itself the record, and the endpoint must keep up with thousands of
packets a second.
"""

import multiprocessing
import os
import statistics
import time as clock
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from kotacerdas.wifi.models import Hotspot, Session, UsageDay
from kotacerdas.wifi.radius.hashing import mac_hash, user_hash
from kotacerdas.wifi.radius.importer import (
    FIELDS,
    IMPORT_FIELDS,
    NAS_IP,
    PIECE_CHARS,
    STARTED,
    STOPPED,
    UPDATED,
    BadRow,
    CsvPieces,
    Piece,
    RowParser,
    as_text,
    keep_latest,
    piece_parse,
    piece_setup,
    with_sessions,
)
from kotacerdas.wifi.radius.packets import octets
from kotacerdas.wifi.radius.queries import hotspot_for_packet, hotspot_map

WRAP = 1 << 32
TIME_COLUMNS = frozenset({"started_at", "updated_at", "stopped_at"})
NAS_REBOOT = "NAS-Reboot"
# A session nobody has heard of for a while is closed as if the service was lost: the router
# went away without a Stop or an Accounting-On (openwisp-radius #617, cleanup_stale_radacct).
STALE_CAUSE = "Lost-Service"
# How far back a day's rollup looks for sessions still running when the day began. Hotspot
# sessions end by Session-Timeout within hours; the rare longer one is missed in the peak only.
ROLLUP_LOOKBACK = timedelta(days=1)


@sensitive_variables("packet")
def session_account(*, packet: dict[str, Any], now: datetime | None = None) -> str:
    """Account one packet from packets.packet_from_json. Returns what happened: "created",
    "updated", "ignored" or "closed N" (Accounting-On/Off).

    Idempotent on the unique session id, whatever order or how many times packets come: a
    repeated Start or Stop changes nothing, an Interim older than the row (smaller session
    time) or after the Stop is ignored, and an Interim or Stop without its Start creates the
    row, dated Event-Timestamp - Acct-Session-Time as FreeRADIUS does."""
    now = now or timezone.now()
    at = packet.get("event_timestamp") or now - timedelta(seconds=packet.get("delay_time") or 0)
    status = packet["status_type"]
    if status in ("Accounting-On", "Accounting-Off"):
        return f"closed {_nas_close(packet, at)}"
    if status == "Start":
        return _start(packet, at)
    if status in ("Interim-Update", "Stop"):
        return _update(packet, at, stop=status == "Stop")
    return "ignored"  # Failed: nothing was used


def _nas_close(packet: dict[str, Any], at: datetime) -> int:
    """A NAS that (re)boots has lost every session it had: close them, as FreeRADIUS's
    accounting_onoff_query does, and only those that began before the reboot."""
    sessions = Session.objects.filter(stopped_at__isnull=True, started_at__lte=at)
    if packet.get("nas_ip"):
        sessions = sessions.filter(nas_ip=packet["nas_ip"])
    elif packet.get("nas_identifier"):
        sessions = sessions.filter(nas_identifier=packet["nas_identifier"])
    else:
        return 0
    return sessions.update(stopped_at=at, terminate_cause=NAS_REBOOT)


# Sent in the same message as the statement: PostgreSQL runs the two as one implicit
# transaction, so the setting holds for this statement's commit only.
ASYNC_COMMIT = "SET LOCAL synchronous_commit TO OFF; "


def _write(sql: str, params: list[Any]) -> int:
    """Run one accounting statement in its own transaction; the rows it touched.

    On PostgreSQL the commit does not wait for the WAL to reach the disk
    (WIFI_ACCOUNTING_ASYNC_COMMIT): waiting was most of an accounting request's time. A crash
    of the database server may then lose the last fraction of a second of packets — never
    half of one — which the router's next Interim-Update, carrying the session's totals,
    makes good; SQLite runs with synchronous=NORMAL, the same bargain. Anything else the
    platform writes keeps waiting for the disk. Inside a caller's transaction the setting
    would reach the caller's other writes too, so there the statement runs as usual."""
    if (connection.vendor == "postgresql" and settings.WIFI_ACCOUNTING_ASYNC_COMMIT
            and not connection.in_atomic_block):
        from psycopg import ClientCursor

        # Two statements in one message need client-side binding; Django's cursors bind
        # on the server (prepared statements). Errors are still Django's, and mark the
        # connection for closing as Django's own cursors would.
        connection.ensure_connection()
        with connection.wrap_database_errors, ClientCursor(connection.connection) as cursor:
            cursor.execute(ASYNC_COMMIT + sql, params)
            cursor.nextset()
            return cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _start(packet: dict[str, Any], at: datetime) -> str:
    return "created" if _insert(_new_session(packet, at, stop=False)) else "ignored"


def _insert(session: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT (unique_id) DO NOTHING; False when the session was there. A
    duplicate racing this one raises no IntegrityError, so there is no savepoint to pay for
    and the caller's transaction, if any, stays usable."""
    quote = connection.ops.quote_name
    adapt_time, adapt_ip = connection.ops.adapt_datetimefield_value, connection.ops.adapt_ipaddressfield_value
    params = [
        adapt_time(value) if column in TIME_COLUMNS else adapt_ip(value) if column == "nas_ip" else value
        for column, value in session.items()
    ]
    # The hotspot id may come from a map a minute old: checked in the same statement, so a
    # hotspot deleted meanwhile leaves the session unassigned instead of failing it.
    known_hotspot = f"(SELECT {quote('id')} FROM {quote(Hotspot._meta.db_table)} WHERE {quote('id')} = %s)"  # noqa: S608
    values = [known_hotspot if column == "hotspot_id" else "%s" for column in session]
    sql = (
        f"INSERT INTO {quote(Session._meta.db_table)} ({', '.join(map(quote, session))}) "  # noqa: S608
        f"VALUES ({', '.join(values)}) ON CONFLICT ({quote('unique_id')}) DO NOTHING"
    )
    return _write(sql, params) == 1


def _update(packet: dict[str, Any], at: datetime, *, stop: bool) -> str:
    if _update_row(packet, at, stop=stop):
        return "updated"
    if Session.objects.filter(unique_id=packet["unique_id"]).exists():
        return "ignored"  # stopped already, or an Interim older than the one stored
    if _insert(_new_session(packet, at, stop=stop)):
        return "created"
    # The same packet, retransmitted, got there first: update what it made.
    return "updated" if _update_row(packet, at, stop=stop) else "ignored"


def _update_row(packet: dict[str, Any], at: datetime, *, stop: bool) -> bool:
    """Apply an Interim or a Stop to its open session in one UPDATE, the rules in its WHERE and
    SET, and say whether there was such a row. One statement in autocommit, rather than SELECT
    FOR UPDATE, UPDATE and COMMIT, is what lets one core answer well over a thousand packets a
    second; it is as safe, since PostgreSQL re-checks the WHERE of an UPDATE that waited for a
    row lock, and every SET expression reads the row as it was before this UPDATE."""
    quote = connection.ops.quote_name
    given_time = packet.get("session_time")
    sets: list[str] = []
    params: list[Any] = []
    if given_time is not None:
        sets.append("{t} = CASE WHEN %s > {t} THEN %s ELSE {t} END")
        params += [given_time, given_time]
    for column, low, gigawords in (
        ("input_octets", packet.get("input_octets"), packet.get("input_gigawords")),
        ("output_octets", packet.get("output_octets"), packet.get("output_gigawords")),
    ):
        counter = _counter_sql(quote(column), low, gigawords, given_time)
        if counter is not None:
            sets.append(f"{quote(column)} = {counter[0]}")
            params += counter[1]
    adapt = connection.ops.adapt_datetimefield_value
    sets.append(f"{quote('updated_at')} = %s")
    params.append(adapt(at))
    if stop:
        sets += [f"{quote('stopped_at')} = %s", f"{quote('terminate_cause')} = %s"]
        params += [adapt(at), packet.get("terminate_cause", "")]
    where = f"{quote('unique_id')} = %s AND {quote('stopped_at')} IS NULL"
    params.append(packet["unique_id"])
    if not stop and given_time is not None:
        where += " AND {t} <= %s"  # an Interim older than the stored one changes nothing
        params.append(given_time)
    sql = f"UPDATE {quote(Session._meta.db_table)} SET {', '.join(sets)} WHERE {where}"  # noqa: S608
    return _write(sql.replace("{t}", quote("session_time")), params) > 0


def _counter_sql(column: str, low: int | None, gigawords: int | None,
                 given_time: int | None) -> tuple[str, list[Any]] | None:
    """A session's byte count, never going down. A router that sends Gigawords gives the full
    count: (Gigawords << 32) + Octets. One that does not sends only a 32-bit counter, which
    wraps after 4 GiB: lower than the low 32 bits we have while the session went on, it went
    round once more. (``%%`` is SQL's modulo, doubled for the driver's parameter style; {t}
    stands for the session_time column.)"""
    if low is None and gigawords is None:
        return None
    if gigawords is not None:
        full = (gigawords << 32) + (low or 0)
        return f"CASE WHEN %s > {column} THEN %s ELSE {column} END", [full, full]
    same_lap = f"{column} - {column} %% {WRAP} + %s"
    if given_time is None:
        return f"CASE WHEN %s >= {column} %% {WRAP} THEN {same_lap} ELSE {column} END", [low, low]
    return (
        f"CASE WHEN %s >= {column} %% {WRAP} THEN {same_lap}"
        f" WHEN %s > {{t}} THEN {same_lap} + {WRAP} ELSE {column} END",
        [low, low, given_time, low],
    )


@sensitive_variables("packet")
def _new_session(packet: dict[str, Any], at: datetime, *, stop: bool) -> dict[str, Any]:
    session_time = packet.get("session_time") or 0
    started_at = at if packet["status_type"] == "Start" else at - timedelta(seconds=session_time)
    return {
        "unique_id": packet["unique_id"],
        "session_id": packet["session_id"],
        "hotspot_id": hotspot_for_packet(
            wispr_location_id=packet.get("wispr_location_id", ""), nas_ip=packet.get("nas_ip", ""),
            called_station_id=packet.get("called_station_id", ""),
            nas_identifier=packet.get("nas_identifier", ""),
        ),
        "user_hash": user_hash(packet.get("username")),
        "mac_hash": mac_hash(packet.get("calling_station_id")),
        "nas_ip": packet.get("nas_ip") or None,
        "nas_identifier": packet.get("nas_identifier", ""),
        # radacct's nasportid is NAS-Port-Id, falling back to NAS-Port.
        "nas_port_id": (packet.get("nas_port_id") or packet.get("nas_port") or "")[:32],
        "called_station_id": packet.get("called_station_id", ""),
        "started_at": started_at,
        "updated_at": None if packet["status_type"] == "Start" else at,
        "stopped_at": at if stop else None,
        "session_time": session_time,
        "input_octets": octets(packet.get("input_octets"), packet.get("input_gigawords")) or 0,
        "output_octets": octets(packet.get("output_octets"), packet.get("output_gigawords")) or 0,
        "terminate_cause": packet.get("terminate_cause", "") if stop else "",
    }


# --- radacct import ------------------------------------------------------------------------

# What a re-import overwrites: everything but the key and the hotspot, which the live endpoint
# may have known from WISPr-Location-ID, a column radacct does not have.
IMPORT_UPDATE_FIELDS = tuple(name for name in IMPORT_FIELDS if name not in ("unique_id", "hotspot_id"))
MAX_REPORTED_ERRORS = 100
ROWS_PER_STATEMENT = 500


@dataclass
class ImportSummary:
    rows: int = 0  # read
    saved: int = 0  # inserted, updated, or found the same (a re-import writes nothing)
    bad: int = 0  # skipped, with their line numbers in errors
    errors: list[tuple[int, str]] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS
    days: set[date] = field(default_factory=set)  # WIB days the saved sessions started on
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add_error(self, line: int, message: str) -> None:
        self.bad += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, message))


def sessions_import(rows: Iterable[dict[str, Any]], *, batch_size: int = 5000,
                    first_line: int = 1) -> ImportSummary:
    """Import FreeRADIUS radacct rows (dicts keyed by its column names, values as a CSV or a
    database cursor gives them), a batch per transaction, hotspots resolved from one read of
    the registry. Importing the same rows again changes nothing; a later export of the same
    sessions updates them to it. A row that cannot be read is counted and reported by line
    (first_line is the first row's), never with its values, which hold user names."""
    summary = ImportSummary()
    began = clock.perf_counter()
    parser = RowParser(hotspot_map(), timezone.get_default_timezone())
    batch: dict[str, tuple] = {}
    for line, row in enumerate(rows, start=first_line):
        summary.rows += 1
        try:
            values = parser.session([as_text(row.get(name)) for name in FIELDS])
        except BadRow as problem:
            summary.add_error(line, str(problem))
            continue
        keep_latest(batch, values)
        if len(batch) >= batch_size:
            _save_batch(batch, summary)
    _save_batch(batch, summary)
    summary.seconds = clock.perf_counter() - began
    return summary


def sessions_import_csv(path: Path, *, workers: int | None = None,
                        piece_chars: int = PIECE_CHARS) -> ImportSummary:
    """sessions_import for a radacct CSV export (`\\copy radacct to 'f.csv' csv header`), read
    a piece at a time, each piece parsed in one of `workers` other processes while this one
    writes the pieces already parsed, in order, a piece per transaction: parsing and hashing
    took as long as the database's work. workers=0 parses here, as does a system without
    fork; None takes one per CPU but one. Same sessions, same errors by line (the header is
    line 1) as sessions_import."""
    summary = ImportSummary()
    began = clock.perf_counter()
    with CsvPieces(path, piece_chars=piece_chars) as pieces:
        if pieces.names is None:
            return summary
        setup = (pieces.names, RowParser(hotspot_map(), timezone.get_default_timezone()),
                 connection.vendor == "postgresql", MAX_REPORTED_ERRORS)
        if workers is None:
            workers = max(0, min(4, (os.cpu_count() or 1) - 1))
        context = _fork_context() if workers else None
        if context is None:
            piece_setup(*setup)
            for piece in pieces:
                _save_piece(piece_parse(piece), summary)
        else:
            # Forked after the hotspots were read: the workers never use this process's
            # database connection. At most two pieces per worker wait, so memory holds a few
            # pieces, never the file.
            with context.Pool(workers, initializer=piece_setup, initargs=setup) as pool:
                waiting: deque = deque()
                for piece in pieces:
                    waiting.append(pool.apply_async(piece_parse, (piece,)))
                    if len(waiting) > 2 * workers:
                        _save_piece(waiting.popleft().get(), summary)
                while waiting:
                    _save_piece(waiting.popleft().get(), summary)
    summary.seconds = clock.perf_counter() - began
    return summary


def _fork_context():
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return None  # no fork (Windows), or inside a daemonic worker, which may have no children
    return multiprocessing.get_context("fork")


def _save_piece(piece: Piece, summary: ImportSummary) -> None:
    first = 2 + summary.rows  # the header is line 1
    for place, message in piece.errors:
        summary.add_error(first + place, message)
    summary.bad += piece.bad - len(piece.errors)
    summary.rows += piece.records
    _write_piece(piece, summary)


def _write_piece(piece: Piece, summary: ImportSummary) -> None:
    summary.days |= piece.days
    if piece.sessions:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                _copy_into(cursor.cursor, piece.payload, _copy_statements())
            else:
                _insert_batch(cursor, piece.payload)
    summary.saved += piece.sessions


def _on_conflict() -> str:
    """What an imported row does to the session already there: takes its values if it is as
    far on (as many seconds, stopped if that one is) and not all the same, so that importing a
    file again writes nothing, and an older export never undoes a later one or what the live
    endpoint has written since."""
    quote = connection.ops.quote_name
    table = quote(Session._meta.db_table)
    updates = [quote(column) for column in IMPORT_UPDATE_FIELDS]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # SQLite's spelling
    def progress(row: str) -> str:
        return f"({row}.{quote('session_time')}, {row}.{quote('stopped_at')} IS NOT NULL)"

    return (
        f" ON CONFLICT ({quote('unique_id')}) DO UPDATE SET "
        + ", ".join(f"{column} = EXCLUDED.{column}" for column in updates)
        + f" WHERE {progress('EXCLUDED')} >= {progress(table)}"
        + f" AND ({', '.join(f'{table}.{column}' for column in updates)}) {differs}"
        + f" ({', '.join(f'EXCLUDED.{column}' for column in updates)})"
    )


def _upsert_sql(rows: int) -> str:
    """INSERT ... VALUES (...), (...) ON CONFLICT (unique_id) DO UPDATE, for `rows` rows: the
    statement bulk_create(update_conflicts=True) makes, written once rather than compiled per
    field and row by the ORM, which took four fifths of an import's time."""
    quote = connection.ops.quote_name
    one_row = "(" + ", ".join(["%s"] * len(IMPORT_FIELDS)) + ")"
    return (
        f"INSERT INTO {quote(Session._meta.db_table)} ({', '.join(map(quote, IMPORT_FIELDS))}) "  # noqa: S608
        f"VALUES {', '.join([one_row] * rows)}" + _on_conflict()
    )


def _save_batch(batch: dict[str, tuple], summary: ImportSummary) -> None:
    if not batch:
        return
    piece = with_sessions(Piece(), batch, timezone.get_default_timezone(),
                          as_copy_text=connection.vendor == "postgresql")
    _write_piece(piece, summary)
    batch.clear()


IMPORT_TABLE = "wifi_session_import"
TIME_FIELDS = ("started_at", "updated_at", "stopped_at")


def _copy_statements() -> tuple[str, str, str, str]:
    """PostgreSQL: the sessions (as importer.copy_text writes them) are COPYed into a
    temporary table and upserted from there. Sending sixteen bound parameters per row cost
    more than the server's work; COPY takes the text as it is. The times arrive as
    microseconds since 1970."""
    quote = connection.ops.quote_name
    columns = ", ".join(map(quote, IMPORT_FIELDS))
    arriving = [f"0::bigint AS {quote(name)}" if name in TIME_FIELDS else quote(name)
                for name in IMPORT_FIELDS]
    values = ", ".join(
        f"TIMESTAMPTZ 'epoch' + {quote(name)} * INTERVAL '1 microsecond'" if name in TIME_FIELDS
        else quote(name) for name in IMPORT_FIELDS
    )
    return (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {IMPORT_TABLE} ON COMMIT DELETE ROWS AS "  # noqa: S608
        f"SELECT {', '.join(arriving)} FROM {quote(Session._meta.db_table)} WITH NO DATA",
        f"TRUNCATE {IMPORT_TABLE}",  # in a caller's transaction, no commit has emptied it
        f"COPY {IMPORT_TABLE} ({columns}) FROM STDIN",
        f"INSERT INTO {quote(Session._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {values} FROM {IMPORT_TABLE}" + _on_conflict(),
    )


def _copy_into(cursor, lines: str, statements: tuple[str, str, str, str]) -> None:
    """With a psycopg cursor, inside a transaction."""
    create, truncate, copy_from, upsert = statements
    cursor.execute(create)
    cursor.execute(truncate)
    with cursor.copy(copy_from) as copy:
        copy.write(lines)
    cursor.execute(upsert)


def _insert_batch(cursor, rows: Iterable[tuple]) -> None:
    adapt_time, adapt_ip = _adapt_datetime(), connection.ops.adapt_ipaddressfield_value
    limit = connection.features.max_query_params or 65535
    per_statement = max(1, min(ROWS_PER_STATEMENT, limit // len(IMPORT_FIELDS)))
    params = []
    for values in rows:
        row = list(values)
        row[STARTED], row[UPDATED], row[STOPPED] = (adapt_time(row[STARTED]), adapt_time(row[UPDATED]),
                                                   adapt_time(row[STOPPED]))
        row[NAS_IP] = adapt_ip(row[NAS_IP])
        params.append(row)
    full, rest = divmod(len(params), per_statement)
    if full:
        cursor.executemany(_upsert_sql(per_statement), [
            [value for row in params[i * per_statement:(i + 1) * per_statement] for value in row]
            for i in range(full)
        ])
    if rest:
        tail = params[full * per_statement:]
        cursor.execute(_upsert_sql(rest), [value for row in tail for value in row])


def _adapt_datetime():
    """Django's SQLite adapter costs more than parsing the row did; with the connection in
    UTC (Django's default) the same text is had directly."""
    if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
        return lambda value: None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value


# --- rollups and retention -----------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def usage_rollup(*, day: date, now: datetime | None = None) -> int:
    """Recompute the UsageDay rows of one WIB day, for every hotspot with sessions that day
    (and for the sessions no hotspot claimed), from one read of the sessions; returns how
    many rows it wrote.

    Sessions, unique users, bytes and the median length count the sessions that started that
    day. The peak of concurrent users sweeps every session overlapping the day, an open session
    lasting until it was last heard of (its last Interim) or, never updated, until now."""
    now = now or timezone.now()
    start, end = _day_bounds(day)
    overlapping = Session.objects.filter(started_at__gte=start - ROLLUP_LOOKBACK, started_at__lt=end)
    sessions = overlapping.values_list(
        "hotspot_id", "started_at", "stopped_at", "updated_at", "session_time", "input_octets",
        "output_octets", "user_hash", "mac_hash",
    )
    per_hotspot: dict[int | None, list[tuple]] = defaultdict(list)
    for row in sessions.iterator(chunk_size=5000):
        per_hotspot[row[0]].append(row)
    usage = []
    for hotspot_id, rows in per_hotspot.items():
        figures = _day_figures(rows, start, end, now)
        if figures is not None:
            usage.append(UsageDay(hotspot_id=hotspot_id, day=day, computed_at=now, **figures))
    with transaction.atomic():
        UsageDay.objects.filter(day=day).delete()
        UsageDay.objects.bulk_create(usage)
    return len(usage)


def _day_figures(rows: list[tuple], start: datetime, end: datetime, now: datetime) -> dict[str, int] | None:
    users = set()
    times = []
    bytes_in = bytes_out = 0
    edges = []
    for _hotspot, started, stopped, updated, session_time, inp, out, user, mac in rows:
        if started >= start:
            times.append(session_time)
            bytes_in += inp
            bytes_out += out
            if user or mac:
                users.add(("u", user) if user else ("m", mac))
        began, ended = max(started, start), min(stopped or updated or now, end)
        if ended > began:
            edges.append((began, 1))
            edges.append((ended, -1))
    if not times and not edges:
        return None
    # At one instant a session ending and another starting are not together: ends first.
    edges.sort(key=lambda edge: (edge[0], edge[1]))
    peak = current = 0
    for _moment, change in edges:
        current += change
        peak = max(peak, current)
    return {
        "sessions": len(times),
        "unique_users": len(users),
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
        "peak_concurrent": peak,
        "median_session_seconds": round(statistics.median(times)) if times else 0,
    }


def usage_rollup_recent(now: datetime | None = None) -> int:
    """Today and yesterday (WIB): yesterday's late Stops keep arriving after midnight."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return usage_rollup(day=today - timedelta(days=1), now=now) + usage_rollup(day=today, now=now)


def sessions_prune(now: datetime | None = None) -> int:
    """Delete sessions that started more than WIFI_SESSION_RETENTION_DAYS ago; the daily
    rollups stay. A day about to lose its sessions is rolled up first if it never was (an
    imported one, say), so no usage disappears with them."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WIFI_SESSION_RETENTION_DAYS)
    old = Session.objects.filter(started_at__lt=cutoff)
    days = set(
        old.annotate(day=TruncDate("started_at", tzinfo=timezone.get_default_timezone()))
        .values_list("day", flat=True)
        .distinct()
    )
    rolled_up = set(UsageDay.objects.filter(day__in=days).values_list("day", flat=True).distinct())
    for day in sorted(days - rolled_up):
        usage_rollup(day=day, now=now)
    deleted, _ = old.delete()
    return deleted


def sessions_close_stale(*, hours: int = 24, now: datetime | None = None) -> int:
    """Close open sessions not heard of for `hours`, at the last time they were: a router that
    lost power sends neither Stop nor, if it never comes back, Accounting-On."""
    now = now or timezone.now()
    last_heard = Coalesce(F("updated_at"), F("started_at"))
    return (
        Session.objects.filter(stopped_at__isnull=True)
        .alias(last_heard=last_heard)
        .filter(last_heard__lt=now - timedelta(hours=hours))
        .update(stopped_at=last_heard, terminate_cause=STALE_CAUSE)
    )
