"""Latency of the executive dashboard and the public transparency page, and how fresh they are.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/dashboard.py [options]

Fill the database first with benchmarks/generate_dashboard.py (every module's benchmark data
together, and the rollups). Like services.py (whose helpers from tracking.py it uses), this
starts `kotacerdas serve` with DEBUG off and KOTACERDAS_BENCHMARK=1 and loads each URL with wrk
for the same time, alternating the order over --rounds:

- GET /dasbor/                      the executive dashboard, this month, every OPD and kelurahan
- GET /dasbor/?periode=…            the same over a year and with filters, rotating over
                                    this year, last year, this year for the busiest OPD, last
                                    month in one kelurahan, and this year on the big screen
- GET /dasbor/perkara/?keadaan=…    the cases behind a figure: overdue now, first page
- GET /transparansi/                the public page, this year and last year (anonymous)
- GET /bench/bare                   the ceiling: no database, same middleware, same workers

The staff pages need a signed-in head whose second factor is verified: the script makes one
(`kepala.dasbor@staf.bench.invalid`, head of Setda) and a session for it, and deletes both at
the end. Before the load each URL is also requested in-process: queries per request and time.

Freshness: the dashboard shows figures the worker rolled up. The script times the worker's
five-minute refresh (this month, last month and "now") and reads how long the last full
rebuild took (the sum of each rollup's computing time) and how old the rollups are.
Goal (issue 8 §4): p95 under 200 ms for the dashboard and the transparency page.
"""

import argparse
import http.client
import json
import os
import platform
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tracking import (  # noqa: E402
    LUA_TEMPLATE,
    RESULTS,
    alternate_rounds,
    database_identity,
    free_port,
    measured_wrk,
    report_server_log,
    setup_django,
    start_server,
    stop_server,
    wait_until_idle,
)

P95_MS = 200
# The goal is for the dashboard and the public page; the drill-down list is reported.
GOAL_ENDPOINTS = ("dashboard", "filtered", "transparency")
HEAD = "kepala.dasbor@staf.bench.invalid"


class Endpoint:
    def __init__(self, name: str, label: str, paths: list[str], staff: bool, expect: bytes):
        self.name, self.label, self.paths, self.staff, self.expect = name, label, paths, staff, expect
        self.headers: tuple[str, ...] = ()


def database_facts() -> dict:

    from kotacerdas.cases.models import Case
    from kotacerdas.dashboard.queries import rollup_status
    from kotacerdas.information.models import InformationRequest
    from kotacerdas.opendata.models import Dataset
    from kotacerdas.reports.models import Report
    from kotacerdas.services.models import Application, SurveyResponse
    from kotacerdas.wifi.models import Hotspot, Incident, UsageDay

    return {
        **database_identity(),
        "cases": Case.objects.count(),
        "applications": Application.objects.count(),
        "surveys": SurveyResponse.objects.count(),
        "reports": Report.objects.count(),
        "ppid": InformationRequest.objects.count(),
        "datasets": Dataset.objects.count(),
        "hotspots": Hotspot.objects.count(),
        "incidents": Incident.objects.count(),
        "usage_days": UsageDay.objects.count(),
        "rollups": rollup_status(),
    }


def credentials() -> tuple[str, list]:
    """A head of Setda (who may see the dashboard) with a verified second factor, and a session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kotacerdas.accounts.models import Membership, User
    from kotacerdas.agencies.models import Agency

    User.objects.filter(email=HEAD).delete()
    head = User.objects.create_user(email=HEAD, password=None, name="Kepala Dasbor", email_verified=True)
    Membership.objects.create(user=head, agency=Agency.objects.get(code="setda"), role=Membership.Role.KEPALA)
    device = TOTPDevice.objects.create(user=head, name="benchmark", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(head.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = head.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", [session, head]


def endpoints(cookie: str) -> list[Endpoint]:
    from django.db.models import Count
    from django.utils import timezone

    from kotacerdas.cases.models import Case
    from kotacerdas.regions.models import Region

    today = timezone.localdate()
    busiest = (
        Case.objects.values("agency__code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("agency__code", flat=True)
        .first()
    )
    kelurahan = (
        Region.objects.filter(level="kelurahan").order_by("code").values_list("code", flat=True).first()
    )
    targets = [
        Endpoint("dashboard", "GET /dasbor/ (this month)", ["/dasbor/"], True, b"dash-tiles"),
        Endpoint(
            "filtered",
            "GET /dasbor/?periode=… (year, filters)",
            [
                "/dasbor/?periode=tahun-ini",
                f"/dasbor/?periode={today.year - 1}",
                f"/dasbor/?periode=tahun-ini&opd={busiest}",
                f"/dasbor/?periode=bulan-lalu&kelurahan={kelurahan}",
                "/dasbor/?periode=tahun-ini&layar=besar",
            ],
            True,
            b"dash-tiles",
        ),
        Endpoint(
            "cases",
            "GET /dasbor/perkara/?keadaan=terlambat",
            ["/dasbor/perkara/?keadaan=terlambat"],
            True,
            b'href="/staf/perkara/',
        ),
        Endpoint(
            "transparency",
            "GET /transparansi/",
            ["/transparansi/", f"/transparansi/?tahun={today.year - 1}"],
            False,
            b"dash-tiles",
        ),
        Endpoint("bare", "GET /bench/bare (no database)", ["/bench/bare"], False, b"ok"),
    ]
    for target in targets:
        if target.staff:
            target.headers = (f"Cookie: {cookie}",)
    return targets


def check_answers(port: int, targets: list[Endpoint]) -> None:
    for target in targets:
        for path in target.paths:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers=dict(h.split(": ", 1) for h in target.headers))
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status != 200 or target.expect not in body:
                raise SystemExit(f"unexpected answer from {path}: {response.status} {body[:300]!r}")


def profile_in_process(targets: list[Endpoint], cookie: str, repeat: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", interactive=False, verbosity=0)
    anonymous, staff = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    staff.cookies.load(cookie)
    profile = {}
    for target in targets:
        client = staff if target.staff else anonymous
        for path in target.paths:
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(target.paths[0])
        queries = len(captured.captured_queries)
        started = time.perf_counter()
        for index in range(repeat):
            client.get(target.paths[index % len(target.paths)])
        profile[target.name] = {
            "queries": queries,
            "ms": round((time.perf_counter() - started) / repeat * 1000, 2),
        }
    connection.close()
    return profile


def freshness() -> dict:
    """How long the worker's refresh takes now, and the last full rebuild's cost."""
    from django.utils import timezone

    from kotacerdas.dashboard.actions import rollups_refresh
    from kotacerdas.dashboard.queries import rollup_status

    before = rollup_status()
    started = time.monotonic()
    rollups_refresh()
    refresh = time.monotonic() - started
    return {
        "refresh_s": round(refresh, 2),
        "rebuild_s": round(before["seconds"], 1),
        "rollups": before["rollups"],
        "oldest_age_s": round((timezone.now() - before["oldest"]).total_seconds())
        if before["oldest"]
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds of load per URL per round (default 10)"
    )
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds over all URLs, order rotated (default 3)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load per URL first")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="LOAD",
        help="first wait (up to 15 min) until the 1-minute load average is below LOAD",
    )
    parser.add_argument("--repeat", type=int, default=30, help="in-process requests per URL for the timing")
    parser.add_argument("--only", default="", help="comma-separated endpoint names (bare is always run)")
    parser.add_argument("--label", default="", help="added to the result file name")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    os.environ["DEBUG"] = ""
    os.environ["KOTACERDAS_BENCHMARK"] = "1"
    os.environ.setdefault("KOTACERDAS_ENV", "local")
    setup_django()

    facts = database_facts()
    if not facts["rollups"]["rollups"]:
        raise SystemExit("no rollups in this database: run benchmarks/generate_dashboard.py first")
    fresh = freshness()
    print(
        f"database: {facts['version']} ({facts['name']}): {facts['cases']:,} cases "
        f"({facts['applications']:,} applications, {facts['reports']:,} reports, {facts['ppid']:,} PPID), "
        f"{facts['surveys']:,} SKM answers, {facts['datasets']:,} datasets, {facts['hotspots']:,} hotspots "
        f"({facts['incidents']:,} incidents, {facts['usage_days']:,} usage days)"
    )
    print(
        f"rollups: {fresh['rollups']}; last full rebuild {fresh['rebuild_s']} s of computing; "
        f"five-minute refresh {fresh['refresh_s']} s; oldest rollup {fresh['oldest_age_s']} s old"
    )
    cookie, cleanup = credentials()
    targets = endpoints(cookie)
    if args.only:
        wanted = set(args.only.split(",")) | {"bare"}
        targets = [t for t in targets if t.name in wanted]
    work = Path(tempfile.mkdtemp(prefix="kcbench-dash-"))
    runs: dict[str, list[dict]] = {t.name: [] for t in targets}
    commands: dict[str, str] = {}
    if args.wait_idle:
        wait_until_idle(args.wait_idle)
    try:
        profile = profile_in_process(targets, cookie, args.repeat)
        for target in targets:
            print(
                f"  in-process {target.name:12} {profile[target.name]['queries']} queries, "
                f"{profile[target.name]['ms']:.2f} ms per request",
                flush=True,
            )
        RESULTS.mkdir(exist_ok=True)
        scripts = {}
        for target in targets:
            scripts[target.name] = work / f"{target.name}.lua"
            scripts[target.name].write_text(
                LUA_TEMPLATE % {"paths": ", ".join(f'"{p}"' for p in target.paths)}
            )
        load_before = [round(x, 2) for x in os.getloadavg()]
        port = free_port()
        server = start_server(port, args.workers, work / "server.log")
        try:
            check_answers(port, targets)

            def load(target: Endpoint, seconds: int) -> dict:
                result, command = measured_wrk(
                    server,
                    port,
                    scripts[target.name],
                    seconds,
                    args.connections,
                    args.threads,
                    target.headers,
                )
                for header in target.headers:
                    command = command.replace(shlex.quote(header), shlex.quote("Cookie: <session>"))
                commands[target.name] = command
                return result

            alternate_rounds(
                targets, load, rounds=args.rounds, duration=args.duration, warmup=args.warmup, runs=runs
            )
        finally:
            stop_server(server)
        load_after = [round(x, 2) for x in os.getloadavg()]
    finally:
        for thing in cleanup:
            thing.delete()

    summary = {}
    for name, results in runs.items():
        summary[name] = {
            key: round(statistics.median(r[key] for r in results), 2)
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "server_cpu_ms", "db_cpu_ms")
        }
        summary[name]["errors"] = sum(r["errors"] for r in results)

    print()
    print("command:    ", shlex.join([sys.executable, *sys.argv]))
    for target in targets:
        print(f"load {target.name + ':':13} {commands.get(target.name, '')}")
    print(
        f"data:        {facts['cases']:,} cases: {facts['applications']:,} applications, "
        f"{facts['reports']:,} reports, {facts['ppid']:,} PPID requests; {facts['surveys']:,} SKM answers; "
        f"{facts['datasets']:,} datasets; {facts['hotspots']:,} hotspots, {facts['incidents']:,} incidents, "
        f"{facts['usage_days']:,} hotspot-days of usage"
    )
    print(f"engine:      {facts['version']}")
    print(f"machine:     {os.cpu_count()} CPUs, load average {load_before[0]} before, {load_after[0]} after")
    print(f"server:      kotacerdas serve (gunicorn sync), {args.workers} workers")
    print(
        f"load:        wrk, {args.connections} connections, {args.duration}s per URL x {args.rounds} rounds "
        f"(medians), {args.warmup}s warm-up"
    )
    print(
        f"freshness:   refresh every 5 min takes {fresh['refresh_s']} s; full rebuild (nightly) "
        f"{fresh['rebuild_s']} s over {fresh['rollups']} rollups"
    )
    print()
    header = ("endpoint", "req/s", "p50 ms", "p95 ms", "CPU ms/req", "queries")
    print(f"| {header[0]:40} | " + " | ".join(f"{h:>{max(len(h), 7)}}" for h in header[1:]) + " |")
    print(f"| {'-' * 40} | {'-' * 6}: | {'-' * 5}: | {'-' * 5}: | {'-' * 9}: | {'-' * 6}: |")
    for target in targets:
        row = summary[target.name]
        cpu = row["server_cpu_ms"] + row["db_cpu_ms"]
        print(
            f"| {target.label:40} | {row['rps']:7.0f} | {row['p50_ms']:6.2f} | {row['p95_ms']:6.2f} "
            f"| {cpu:10.2f} | {profile[target.name]['queries']:7} |"
        )
    print()
    misses = [
        f"{t.label}: p95 {summary[t.name]['p95_ms']:.0f} ms, goal < {P95_MS} ms"
        for t in targets
        if t.name in GOAL_ENDPOINTS and summary[t.name]["p95_ms"] >= P95_MS
    ]
    misses += [f"{t.label}: {summary[t.name]['errors']} errors" for t in targets if summary[t.name]["errors"]]
    print("goals: " + ("all met" if not misses else "missed:\n  " + "\n  ".join(misses)))

    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"dashboard-{facts['engine']}{'-' + args.label if args.label else ''}-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().astimezone().isoformat(timespec="seconds"),
                "command": shlex.join([sys.executable, *sys.argv]),
                "load_commands": commands,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_before": load_before,
                    "load_after": load_after,
                },
                "database": facts,
                "freshness": fresh,
                "workers": args.workers,
                "duration_s": args.duration,
                "rounds": args.rounds,
                "warmup_s": args.warmup,
                "connections": args.connections,
                "profile": profile,
                "summary": summary,
                "goals_missed": misses,
                "runs": runs,
            },
            indent=2,
            default=str,
        )
    )
    print(f"written to {out.relative_to(Path(__file__).resolve().parent.parent)}")
    report_server_log(work)


if __name__ == "__main__":
    main()
