"""Importing FreeRADIUS radacct: a CSV export, a SQLite radacct, a PostgreSQL radacct."""

import csv
import sqlite3
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kotacerdas.wifi.models import Session, UsageDay
from kotacerdas.wifi.radius.actions import sessions_import, sessions_import_csv
from kotacerdas.wifi.radius.hashing import mac_hash, user_hash
from kotacerdas.wifi.radius.importer import COLUMNS, CsvPieces, csv_rows, database_rows
from kotacerdas.wifi.radius.packets import acct_unique
from kotacerdas.wifi.tests.radius_support import make_hotspot, stored_text

WIB = ZoneInfo("Asia/Jakarta")

pytestmark = pytest.mark.django_db

HEADER = ["radacctid", *COLUMNS, "nasidentifier", "framedipaddress"]
# As psql's \copy ... csv header writes a PostgreSQL radacct: timestamptz with an offset.
ROWS = [
    ["1", "80f00001", "u" * 32, "6281111111111", "10.20.0.1", "bridge-hotspot", "2026-11-28 08:00:00+07",
     "2026-11-28 08:30:00+07", "2026-11-28 09:00:00+07", "3600", "1000", "50000", "hotspot-rw03",
     "30:39:26:86:CC:EA", "User-Request", "rw03-sentul", "10.5.50.2"],
    ["2", "80f00002", "v" * 32, "6282222222222", "10.20.0.1", "bridge-hotspot", "2026-11-29 07:00:00+07",
     "2026-11-29 07:05:00+07", "", "300", "20", "6442450944", "hotspot-rw03", "AA-BB-CC-DD-EE-01", "",
     "rw03-sentul", ""],
    ["3", "80f00003", "w" * 32, "6283333333333", "10.30.0.1", "ether2", "not a date", "", "", "0", "0", "0",
     "hotspot-kpj", "AA:BB:CC:DD:EE:02", "", "", ""],
    # FreeRADIUS computed no unique id here (an old export): we compute acct_unique's.
    ["4", "80f00004", "", "6284444444444", "10.30.0.1", "ether2", "2026-11-29 23:30:00+07", "", "", "0", "0",
     "0", "hotspot-kpj", "aa:bb:cc:dd:ee:03", "", "rw01-kepanjen", ""],
]


def write_csv(path: Path, rows=ROWS) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_csv_import_hashes_resolves_and_reports_bad_rows_by_line(tmp_path):
    rw03 = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    summary = sessions_import(csv_rows(write_csv(tmp_path / "radacct.csv")), first_line=2)
    assert (summary.rows, summary.saved, summary.bad) == (4, 3, 1)
    assert summary.errors == [(4, "acctstarttime: tanggal tidak dapat dibaca / unparseable date")]
    assert summary.days == {date(2026, 11, 28), date(2026, 11, 29)}
    first = Session.objects.get(unique_id="u" * 32)
    assert first.hotspot == rw03
    assert first.started_at == datetime(2026, 11, 28, 8, tzinfo=WIB)
    assert first.stopped_at == datetime(2026, 11, 28, 9, tzinfo=WIB)
    assert (first.session_time, first.input_octets, first.output_octets) == (3600, 1000, 50000)
    assert first.user_hash == user_hash("6281111111111")
    assert first.mac_hash == mac_hash("30-39-26-86-cc-ea")
    assert first.nas_identifier == "rw03-sentul"
    assert Session.objects.get(unique_id="v" * 32).output_octets == 6442450944  # 6 GiB
    computed = acct_unique(username="6284444444444", session_id="80f00004", nas_ip="10.30.0.1",
                           nas_identifier="rw01-kepanjen", nas_port_id="ether2", nas_port="")
    assert Session.objects.get(unique_id=computed).hotspot is None
    text = stored_text()
    for raw in ("6281111111111", "6282222222222", "6284444444444", "30:39:26:86:CC:EA", "AA-BB-CC-DD-EE-01"):
        assert raw not in text


def test_reimport_changes_nothing_and_a_later_export_updates_to_the_latest(tmp_path):
    path = write_csv(tmp_path / "radacct.csv")
    sessions_import(csv_rows(path), first_line=2)
    before = stored_text()
    again = sessions_import(csv_rows(path), first_line=2)
    assert again.saved == 3
    assert stored_text() == before
    assert Session.objects.count() == 3
    later = [row[:] for row in ROWS[1:2]]
    later[0][7:11] = ["2026-11-29 07:45:00+07", "2026-11-29 08:00:00+07", "3600", "99"]
    later[0][14] = "Idle-Timeout"
    sessions_import(csv_rows(write_csv(tmp_path / "later.csv", later)), first_line=2)
    session = Session.objects.get(unique_id="v" * 32)
    assert (session.session_time, session.input_octets, session.terminate_cause) == (3600, 99, "Idle-Timeout")
    assert session.stopped_at == datetime(2026, 11, 29, 8, tzinfo=WIB)
    assert Session.objects.count() == 3


def test_the_same_session_twice_in_one_batch_keeps_the_latest():
    base = dict(zip(COLUMNS, ROWS[0][1:15], strict=True))
    older = {**base, "acctstoptime": "", "acctsessiontime": "600", "acctinputoctets": "10"}
    summary = sessions_import([base, older])
    assert summary.saved == 1
    assert Session.objects.get().session_time == 3600


def many_rows(count: int) -> list[list[str]]:
    """ROWS again and again as other sessions, with what a CSV must quote: a comma, a quote
    and a line break inside a cell, and a session exported twice (stopped the second time)."""
    rows = []
    for n in range(count):
        row = ROWS[n % len(ROWS)][:]
        row[1] = f"80f{n:05d}"
        row[2] = f"{row[2][:24]}{n:08d}" if row[2] else ""
        if n % 5 == 1:
            row[14] = 'Lost-Carrier, "kabel"\nputus'
        rows.append(row)
    again = rows[5][:]
    again[8:10], again[14] = ["2026-11-29 09:35:00+07", "9000"], "Idle-Timeout"
    rows.insert(30, again)
    return rows


def imported() -> list[dict]:
    return list(Session.objects.order_by("unique_id").values(*(
        f.name for f in Session._meta.fields if f.name not in ("id", "created_at", "updated")
    )))


@pytest.mark.parametrize("workers", [0, 2])
def test_csv_import_in_pieces_and_processes_saves_what_the_row_by_row_import_saves(tmp_path, workers):
    make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    path = write_csv(tmp_path / "radacct.csv", many_rows(120))
    with CsvPieces(path, piece_chars=700) as reader:
        pieces = list(reader)
    assert len(pieces) > 20  # each ending where a record does
    assert sum(len(list(csv.reader(StringIO(piece)))) for piece in pieces) == 121
    one_by_one = sessions_import(csv_rows(path), batch_size=10, first_line=2)
    expected = imported()
    Session.objects.all().delete()

    summary = sessions_import_csv(path, workers=workers, piece_chars=700)

    assert imported() == expected
    assert (summary.rows, summary.bad, summary.days) == (one_by_one.rows, one_by_one.bad, one_by_one.days)
    assert summary.errors == one_by_one.errors
    assert summary.errors[0] == (4, "acctstarttime: tanggal tidak dapat dibaca / unparseable date")
    # Every fifth row has that cause; every fourth is bad (ROWS[2]), so 120 / 5 * 3 / 4 of them.
    assert Session.objects.filter(terminate_cause='Lost-Carrier, "kabel"\nputus').count() == 18
    twice = Session.objects.get(unique_id=many_rows(6)[5][2])
    assert (twice.session_time, twice.terminate_cause) == (9000, "Idle-Timeout")


def test_an_older_export_does_not_undo_a_later_one(tmp_path):
    later = [row[:] for row in ROWS[1:2]]
    later[0][7:10] = ["2026-11-29 07:45:00+07", "2026-11-29 08:00:00+07", "3600"]
    sessions_import_csv(write_csv(tmp_path / "later.csv", later), workers=0)
    sessions_import_csv(write_csv(tmp_path / "older.csv", ROWS[1:2]), workers=0)
    session = Session.objects.get(unique_id="v" * 32)
    assert (session.session_time, session.stopped_at) == (3600, datetime(2026, 11, 29, 8, tzinfo=WIB))


def test_csv_import_reads_a_record_longer_than_a_piece(tmp_path):
    path = write_csv(tmp_path / "radacct.csv", many_rows(6))
    summary = sessions_import_csv(path, workers=0, piece_chars=40)
    # Seven records (the sixth exported again), one bad; the one exported twice saved twice.
    assert (summary.rows, summary.saved, summary.bad) == (7, 6, 1)
    assert Session.objects.count() == 5


def test_a_csv_that_is_not_utf8_is_refused_with_a_message(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"acctsessionid,acctstarttime\ns1,2026-11-29 08:00:00\ns2,caf\xe9\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("wifi_import_radacct", "--csv", str(path), stdout=StringIO())


def test_csv_import_of_a_file_with_only_a_header_or_nothing(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    assert sessions_import_csv(tmp_path / "empty.csv").rows == 0
    header_only = write_csv(tmp_path / "header.csv", [])
    assert sessions_import_csv(header_only, workers=2).rows == 0
    assert not Session.objects.exists()


def make_sqlite_radacct(path: Path) -> Path:
    """A radacct as FreeRADIUS's raddb/mods-config/sql/main/sqlite/schema.sql makes it (naive
    local times)."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE radacct (radacctid INTEGER PRIMARY KEY AUTOINCREMENT, acctsessionid TEXT NOT NULL,"
            " acctuniqueid TEXT NOT NULL UNIQUE, username TEXT, realm TEXT, nasipaddress TEXT NOT NULL,"
            " nasportid TEXT, nasporttype TEXT, acctstarttime DATETIME, acctupdatetime DATETIME,"
            " acctstoptime DATETIME, acctinterval INTEGER, acctsessiontime INTEGER, acctauthentic TEXT,"
            " connectinfo_start TEXT, connectinfo_stop TEXT, acctinputoctets BIGINT, acctoutputoctets BIGINT,"
            " calledstationid TEXT, callingstationid TEXT, acctterminatecause TEXT, servicetype TEXT,"
            " framedprotocol TEXT, framedipaddress TEXT)"
        )
        db.executemany(
            "INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, nasportid,"
            " acctstarttime, acctupdatetime, acctstoptime, acctsessiontime, acctinputoctets,"
            " acctoutputoctets, calledstationid, callingstationid, acctterminatecause)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (f"s{i}", f"{i:032x}", f"user{i % 7}", "10.20.0.1", "bridge",
                 f"2026-11-29 {8 + i % 10:02d}:00:00", None, f"2026-11-29 {8 + i % 10:02d}:30:00", 1800,
                 i * 100, i * 1000, "hotspot-rw03", f"AA:BB:CC:00:00:{i % 5:02X}", "User-Request")
                for i in range(1, 26)
            ],
        )
    return path


def test_sqlite_radacct_table_is_streamed_in(tmp_path):
    rw03 = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    path = make_sqlite_radacct(tmp_path / "radius.db")
    summary = sessions_import(database_rows(f"sqlite:///{path}"), batch_size=10)
    assert (summary.rows, summary.saved, summary.bad) == (25, 25, 0)
    assert summary.days == {date(2026, 11, 29)}
    session = Session.objects.get(session_id="s3")
    assert session.started_at == datetime(2026, 11, 29, 11, tzinfo=WIB)  # naive times are WIB
    assert session.hotspot == rw03
    assert Session.objects.values("user_hash").distinct().count() == 7


def test_command_imports_a_sqlite_table_and_rolls_up_the_days(tmp_path):
    path = make_sqlite_radacct(tmp_path / "radius.db")
    out = StringIO()
    call_command("wifi_import_radacct", "--database-url", f"sqlite:///{path}", "--table", "radacct",
                 stdout=out)
    assert "25 rows read, 25 sessions saved, 0 bad" in out.getvalue()
    assert "rows/s" in out.getvalue()
    usage = UsageDay.objects.get(day=date(2026, 11, 29))
    assert (usage.sessions, usage.unique_users, usage.median_session_seconds) == (25, 7, 1800)


def test_command_imports_a_csv_and_names_bad_lines(tmp_path):
    out, err = StringIO(), StringIO()
    path = write_csv(tmp_path / "radacct.csv")
    call_command("wifi_import_radacct", "--csv", str(path), stdout=out, stderr=err)
    assert "4 rows read, 3 sessions saved, 1 bad, 2 days rolled up" in out.getvalue()
    assert "line 4: acctstarttime" in err.getvalue()
    assert "6283333333333" not in err.getvalue() + out.getvalue()
    with pytest.raises(CommandError, match="--workers"):
        call_command("wifi_import_radacct", "--csv", str(path), "--workers", "-1")


@pytest.mark.django_db(transaction=True)
def test_postgresql_radacct_table_is_streamed_in():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings_dict = connection.settings_dict
    url = (f"postgresql://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST']}:"
           f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")
    with connection.cursor() as cursor:
        # The stock FreeRADIUS PostgreSQL radacct, trimmed to the columns we read and a few more.
        cursor.execute(
            "CREATE TABLE radacct_import_test (radacctid bigserial PRIMARY KEY, acctsessionid text NOT NULL,"
            " acctuniqueid text NOT NULL UNIQUE, username text, realm text, nasipaddress inet NOT NULL,"
            " nasportid text, acctstarttime timestamptz, acctupdatetime timestamptz,"
            " acctstoptime timestamptz, acctsessiontime bigint, acctinputoctets bigint,"
            " acctoutputoctets bigint, calledstationid text, callingstationid text, acctterminatecause text,"
            " framedipaddress inet)"
        )
        try:
            cursor.execute(
                "INSERT INTO radacct_import_test (acctsessionid, acctuniqueid, username, nasipaddress,"
                " nasportid, acctstarttime, acctstoptime, acctsessiontime, acctinputoctets, acctoutputoctets,"
                " calledstationid, callingstationid, acctterminatecause)"
                " SELECT 's' || n, md5(n::text), 'user' || (n % 9), '10.20.0.1', 'bridge',"
                " '2026-11-29 08:00+07'::timestamptz + n * interval '1 minute',"
                " '2026-11-29 08:10+07'::timestamptz + n * interval '1 minute', 600, n, 5000000000,"
                " 'hotspot-rw03', 'AA:BB:CC:00:00:' || lpad((n % 50)::text, 2, '0'), 'User-Request'"
                " FROM generate_series(1, 12000) AS n"
            )
            summary = sessions_import(database_rows(url, table="radacct_import_test"), batch_size=5000)
        finally:
            cursor.execute("DROP TABLE radacct_import_test")
    assert (summary.rows, summary.saved, summary.bad) == (12000, 12000, 0)
    session = Session.objects.get(session_id="s60")
    assert session.started_at == datetime(2026, 11, 29, 9, tzinfo=WIB)
    assert session.nas_ip == "10.20.0.1"
    assert session.output_octets == 5000000000
    assert Session.objects.values("mac_hash").distinct().count() == 50
