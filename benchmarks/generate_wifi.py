"""Fill a database for benchmarks/wifi.py: 1,000 hotspots and 10 million RADIUS sessions.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate_wifi.py \
        [--hotspots 1000] [--days 90] [--sessions 10000000]

The hotspots spread over Kota Blitar's 21 kelurahan and point their probes at 127.0.0.1
(ports the benchmark listens on), so nothing leaves this machine. Sessions are written by one
INSERT … SELECT in the database (a recursive CTE on SQLite, generate_series on PostgreSQL):
~200,000 distinct users, sessions of 5 minutes to 2 hours, spread over every hour of the last
--days days. The usage rollups are then computed by the worker's own code, day by day
(kotacerdas.wifi.radius.actions.usage_rollup), and the time that takes is printed: it is how
fresh the dashboard can be kept.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tracking import setup_django  # noqa: E402

USERS = 200_000
ALIVE_PORT = 18_700  # benchmarks/wifi.py listens here and on the next few ports
PORTS = 8


def hotspots(count: int) -> int:
    from django.utils import timezone

    from kotacerdas.regions.models import Region
    from kotacerdas.wifi.models import Hotspot, ProbeKind

    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).order_by("code"))
    now = timezone.now()
    rows = []
    for n in range(1, count + 1):
        place = kelurahan[n % len(kelurahan)]
        rows.append(
            Hotspot(
                code=f"BW-{n:04d}",
                name=f"Titik {n:04d} {place.name}",
                kelurahan=place,
                rw=f"{n % 12 + 1:02d}",
                rt=f"{n % 9 + 1:03d}",
                lat=(place.centroid_lat or -8.09) + (n % 7 - 3) * 0.0004,
                lon=(place.centroid_lon or 112.16) + (n % 5 - 2) * 0.0004,
                nas_ip=f"10.72.{n // 250}.{n % 250 + 1}",
                called_station_id=f"hs-{n:04d}",
                management_address="127.0.0.1",
                probe_kind=ProbeKind.TCP,
                probe_port=ALIVE_PORT + n % PORTS,
                backhaul="fiber optik",
                bandwidth_mbps=20,
                created_at=now,
                updated_at=now,
            )
        )
    Hotspot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Hotspot.objects.filter(code__startswith="BW-").count()


SQLITE = """
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %(sessions)s)
INSERT INTO wifi_session (unique_id, session_id, hotspot_id, user_hash, mac_hash, nas_ip, nas_identifier,
    nas_port_id, called_station_id, started_at, updated_at, stopped_at, session_time, input_octets,
    output_octets, terminate_cause)
SELECT printf('bench%%010d', n), printf('%%08x', n), %(first)s + (n * 7) %% %(hotspots)s,
    printf('%%032x', (n * 7919) %% %(users)s), printf('%%032x', (n * 104729) %% %(users)s), NULL, '', '', '',
    datetime(%(start)s, '+' || (n %% %(seconds)s) || ' seconds'),
    datetime(%(start)s, '+' || (n %% %(seconds)s + 300 + (n * 13) %% 7200) || ' seconds'),
    datetime(%(start)s, '+' || (n %% %(seconds)s + 300 + (n * 13) %% 7200) || ' seconds'),
    300 + (n * 13) %% 7200, (n * 7) %% 50000000, (n * 31) %% 400000000, 'User-Request'
FROM seq
"""

POSTGRES = """
INSERT INTO wifi_session (unique_id, session_id, hotspot_id, user_hash, mac_hash, nas_ip, nas_identifier,
    nas_port_id, called_station_id, started_at, updated_at, stopped_at, session_time, input_octets,
    output_octets, terminate_cause)
SELECT 'bench' || lpad(n::text, 10, '0'), to_hex(n), %(first)s + (n * 7) %% %(hotspots)s,
    lpad(to_hex((n * 7919) %% %(users)s), 32, '0'), lpad(to_hex((n * 104729) %% %(users)s), 32, '0'),
    NULL, '', '', '',
    %(start)s::timestamptz + make_interval(secs => n %% %(seconds)s),
    %(start)s::timestamptz + make_interval(secs => n %% %(seconds)s + 300 + (n * 13) %% 7200),
    %(start)s::timestamptz + make_interval(secs => n %% %(seconds)s + 300 + (n * 13) %% 7200),
    300 + (n * 13) %% 7200, (n * 7) %% 50000000, (n * 31) %% 400000000, 'User-Request'
FROM generate_series(1::bigint, %(sessions)s) AS n
"""


def sessions(count: int, days: int) -> tuple[int, float]:
    from django.db import connection
    from django.utils import timezone

    from kotacerdas.wifi.models import Hotspot, Session

    if Session.objects.filter(unique_id__startswith="bench").exists():
        return Session.objects.count(), 0.0
    ids = list(Hotspot.objects.filter(code__startswith="BW-").order_by("pk").values_list("pk", flat=True))
    # The hotspots' ids are consecutive: bulk_create made them in one go.
    assert ids == list(range(ids[0], ids[0] + len(ids))), "hotspot ids are not consecutive"
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)
    params = {
        "sessions": count,
        "first": ids[0],
        "hotspots": len(ids),
        "users": USERS,
        "seconds": days * 86400,
        "start": start.strftime("%Y-%m-%d %H:%M:%S"),
    }
    sql = POSTGRES if connection.vendor == "postgresql" else SQLITE
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wifi_session")
    return Session.objects.count(), time.perf_counter() - began


def rollups(days: int) -> tuple[int, float]:
    from django.utils import timezone

    from kotacerdas.wifi.radius.actions import usage_rollup

    today = timezone.localdate()
    began = time.perf_counter()
    rows = 0
    for back in range(days, -1, -1):
        rows += usage_rollup(day=today - timedelta(days=back))
    return rows, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hotspots", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--sessions", type=int, default=10_000_000)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from kotacerdas.agencies.actions import agencies_load_reference
    from kotacerdas.regions.actions import regions_load_reference

    regions_load_reference()
    agencies_load_reference()
    print(f"database: {connection.vendor}")
    print(f"hotspots: {hotspots(args.hotspots):,}")
    total, seconds = sessions(args.sessions, args.days)
    print(f"sessions: {total:,} ({seconds:.0f} s to insert)")
    rows, seconds = rollups(args.days)
    print(
        f"usage rollups: {rows:,} hotspot-days from {args.days + 1} days in {seconds:.0f} s "
        f"({seconds / (args.days + 1):.2f} s per day of {total // max(args.days, 1):,} sessions)"
    )


if __name__ == "__main__":
    main()
