"""Throughput and latency of the service pages and the officer inbox, beside the bare view.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/services.py [options]

Fill the database first with benchmarks/generate_services.py (200,000 applications). Like
tracking.py (whose server, wrk and CPU helpers it uses), this starts `kotacerdas serve` with
DEBUG off and KOTACERDAS_BENCHMARK=1, and loads each URL for the same time, alternating the
order over --rounds:

- GET /layanan/                     the catalog, anonymous
- GET /layanan/<slug>/              a service page, rotating over every published service
- GET /staf/                        the officer inbox, first page (Dispendukcapil, the busiest)
- GET /staf/?overdue=on             the same, only cases past their due date
- GET /api/v1/me/cases              a resident's cases, with a bearer token (30 cases)
- GET /bench/bare                   the ceiling: no database, same middleware, same workers
- GET /tentang/                     not a goal: a page that only renders base.html, to show
                                    what the page template alone costs

The officer pages need a logged-in session whose second factor is verified: the script makes
one in the session store for the generated officer (what django_otp's login keeps: the
device's persistent id) and passes its cookie to wrk; the resident gets a fresh API token
through accounts.actions.token_create. Both are deleted at the end.

Before the load, each endpoint is also run in-process with Django's test client: the SQL
queries per request at two list sizes (inbox pages of 20 and 50 rows, /me/cases with
limit=20 and limit=50, the catalog filtered to one category and in full, a service with few
and with many form fields) and the time per request. The goals (issue 3 §8): inbox p95 under
100 ms, every endpoint at 40% or more of the bare view's requests/s, and no query count that
grows with the list size. Prints the data size, engine, exact commands and a results table;
writes all of it as JSON to benchmarks/results/ (gitignored).
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
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_services import BENCH_AGENCY, BENCH_OFFICER, BENCH_RESIDENT  # noqa: E402
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

INBOX_P95_MS = 100
SHARE_OF_BARE = 0.40
SECRET_HEADERS = ("Cookie", "Authorization")


class Endpoint:
    def __init__(self, name: str, label: str, paths: list[str], headers: tuple[str, ...] = ()):
        self.name, self.label, self.paths, self.headers = name, label, paths, headers

    def shown_headers(self) -> list[str]:
        return [f"{h.split(':')[0]}: <{h.split(':')[0].lower()}>" if h.split(":")[0] in SECRET_HEADERS else h
                for h in self.headers]


def database_facts() -> dict:
    from django.db import connection
    from django.utils import timezone

    from kotacerdas.agencies.models import Agency
    from kotacerdas.cases.models import FINAL_STATUSES, Case, CaseEvent
    from kotacerdas.services.models import Application

    agency = Agency.objects.get(code=BENCH_AGENCY)
    open_cases = Case.objects.filter(agency=agency).exclude(status__in=FINAL_STATUSES)
    return {
        **database_identity(),
        "conn_max_age": connection.settings_dict.get("CONN_MAX_AGE"),
        "applications": Application.objects.count(),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "agency": agency.short_name,
        "agency_cases": Case.objects.filter(agency=agency).count(),
        "agency_open": open_cases.count(),
        "agency_overdue": open_cases.filter(due_date__lt=timezone.localdate(),
                                            paused_since__isnull=True).count(),
        "resident_cases": Case.objects.filter(citizen__email=BENCH_RESIDENT).count(),
    }


def credentials() -> tuple[str, str, list]:
    """A session for the officer with the second factor verified, and a resident's token."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kotacerdas.accounts.actions import token_create
    from kotacerdas.accounts.models import ApiToken, User

    officer = User.objects.filter(email=BENCH_OFFICER).first()
    resident = User.objects.filter(email=BENCH_RESIDENT).first()
    if officer is None or resident is None:
        raise SystemExit("no benchmark accounts: run benchmarks/generate_services.py first")
    device = TOTPDevice.objects.get(user=officer, confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    raw = token_create(user=resident)
    token = ApiToken.objects.filter(user=resident).order_by("-pk").first()
    cleanup = [session, token]
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", raw, cleanup


def endpoints(cookie: str, token: str) -> list[Endpoint]:
    from kotacerdas.services.models import Service

    slugs = list(Service.objects.filter(is_published=True).order_by("slug").values_list("slug", flat=True))
    staff = (f"Cookie: {cookie}",)
    return [
        Endpoint("catalog", "GET /layanan/", ["/layanan/"]),
        Endpoint("service", "GET /layanan/<slug>/", [f"/layanan/{slug}/" for slug in slugs]),
        Endpoint("inbox", "GET /staf/", ["/staf/"], staff),
        Endpoint("overdue", "GET /staf/?overdue=on", ["/staf/?overdue=on"], staff),
        Endpoint("my_cases", "GET /api/v1/me/cases", ["/api/v1/me/cases"],
                 (f"Authorization: Bearer {token}",)),
        Endpoint("bare", "GET /bench/bare (no database)", ["/bench/bare"]),
        # Not a goal: the cost of a page that only renders base.html, for reading the others.
        Endpoint("page", "GET /tentang/ (template only)", ["/tentang/"]),
    ]


def check_answers(port: int, targets: list[Endpoint]) -> None:
    """Every URL answers 200 with what a user would see (a redirect to the login page is not)."""
    case_link = b'href="/staf/perkara/'
    expected = {"catalog": b'<li class="card">', "service": b"<h1>", "inbox": case_link, "overdue": case_link,
                "my_cases": b"tracking_code", "bare": b"ok", "page": b"<main"}
    for target in targets:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", target.paths[0], headers=dict(h.split(": ", 1) for h in target.headers))
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200 or expected[target.name] not in body:
            raise SystemExit(f"unexpected answer from {target.paths[0]}: {response.status} {body[:300]!r}")


def _count(client, path: str, headers: dict, patch=None) -> tuple[int, int, int]:
    """Queries, rows shown and response size of one request with the test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with patch or nullcontext(), CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in-process")
    body = response.content
    if path.startswith("/api/"):
        rows = len(json.loads(body))
    elif path.startswith("/staf/"):
        rows = body.count(b'href="/staf/perkara/')
    elif path == "/layanan/" or path.startswith("/layanan/?"):
        rows = body.count(b'<li class="card">')
    else:
        rows = body.split(b"Isian formulir", 1)[-1].split(b"</ul>", 1)[0].count(b"<li>")
    return len(captured.captured_queries), rows, len(body)


def profile_in_process(targets: list[Endpoint], cookie: str, token: str, repeat: int) -> dict:
    """Queries at two list sizes, and in-process time per request (no network, no gunicorn)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from kotacerdas.cases import views as case_views
    from kotacerdas.services.models import Service

    # Pages link their static files through the manifest `kotacerdas serve` builds at start.
    call_command("collectstatic", interactive=False, verbosity=0)
    anonymous, staff = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    staff.cookies.load(cookie)
    api = {"Authorization": f"Bearer {token}"}
    published = Service.objects.filter(is_published=True)
    by_fields = list(published.annotate(n=Count("fields")).order_by("n", "slug"))
    category = min(published.values_list("category", flat=True))

    def page_size(n):
        return mock.patch.object(case_views, "INBOX_PAGE_SIZE", n)

    cases = {
        "catalog": [(f"/layanan/?category={category}", {}, None), ("/layanan/", {}, None)],
        "service": [(f"/layanan/{by_fields[0].slug}/", {}, None),
                    (f"/layanan/{by_fields[-1].slug}/", {}, None)],
        "inbox": [("/staf/", {}, page_size(20)), ("/staf/", {}, page_size(50))],
        "overdue": [("/staf/?overdue=on", {}, page_size(20)), ("/staf/?overdue=on", {}, page_size(50))],
        "my_cases": [("/api/v1/me/cases?limit=20", api, None), ("/api/v1/me/cases?limit=50", api, None)],
    }
    profile = {}
    for target in targets:
        client = staff if target.name in ("inbox", "overdue") else anonymous
        entry: dict = {}
        if target.name in cases:
            (small_path, headers, small_patch), (large_path, _h, large_patch) = cases[target.name]
            _count(client, small_path, headers, small_patch)  # warm caches (translations, templates)
            entry["small"] = dict(zip(("queries", "rows", "bytes"), _count(client, small_path, headers,
                                                                            small_patch), strict=True))
            entry["large"] = dict(zip(("queries", "rows", "bytes"), _count(client, large_path, headers,
                                                                            large_patch), strict=True))
            entry["paths"] = [small_path, large_path]
        headers = dict(h.split(": ", 1) for h in target.headers)
        for path in target.paths[:5]:
            client.get(path, headers=headers)
        started = time.perf_counter()
        for index in range(repeat):
            client.get(target.paths[index % len(target.paths)], headers=headers)
        entry["ms"] = round((time.perf_counter() - started) / repeat * 1000, 2)
        profile[target.name] = entry
    connection.close()
    return profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--duration", type=int, default=10,
                        help="seconds of load per URL per round (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds over all URLs, order rotated; medians are reported (default 3)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load per URL first")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="LOAD",
                        help="first wait (up to 15 min) until the 1-minute load average is below LOAD")
    parser.add_argument("--repeat", type=int, default=100, help="in-process requests per URL for the timing")
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
    if not facts["applications"]:
        raise SystemExit("no applications in this database: run benchmarks/generate_services.py first")
    print(f"database: {facts['version']} ({facts['name']}), {facts['applications']:,} applications, "
          f"{facts['events']:,} events; {facts['agency']}: {facts['agency_cases']:,} cases, "
          f"{facts['agency_open']:,} open, {facts['agency_overdue']:,} overdue; "
          f"resident: {facts['resident_cases']} cases")
    cookie, token, cleanup = credentials()
    targets = endpoints(cookie, token)
    if args.only:
        wanted = set(args.only.split(",")) | {"bare"}
        targets = [t for t in targets if t.name in wanted]
    work = Path(tempfile.mkdtemp(prefix="kcbench-svc-"))
    runs: dict[str, list[dict]] = {t.name: [] for t in targets}
    commands: dict[str, str] = {}
    if args.wait_idle:
        wait_until_idle(args.wait_idle)
    try:
        profile = profile_in_process(targets, cookie, token, args.repeat)
        for target in targets:
            entry = profile[target.name]
            sizes = ""
            if "small" in entry:
                small, large = entry["small"], entry["large"]
                sizes = (f"{small['queries']} queries for {small['rows']} rows, "
                         f"{large['queries']} for {large['rows']}; ")
            print(f"  in-process {target.name:9} {sizes}{entry['ms']:.2f} ms per request", flush=True)

        RESULTS.mkdir(exist_ok=True)
        scripts = {}
        for target in targets:
            scripts[target.name] = work / f"{target.name}.lua"
            paths = ", ".join(f'"{p}"' for p in target.paths)
            scripts[target.name].write_text(LUA_TEMPLATE % {"paths": paths})
        load_before = [round(x, 2) for x in os.getloadavg()]
        if load_before[0] > 1.0:
            print(f"warning: load average {load_before[0]} before the run: "
                  "other processes compete for the CPUs")
        port = free_port()
        server = start_server(port, args.workers, work / "server.log")
        try:
            check_answers(port, targets)

            def load(target: Endpoint, seconds: int) -> dict:
                result, command = measured_wrk(server, port, scripts[target.name], seconds, args.connections,
                                               args.threads, target.headers)
                for header, shown in zip(target.headers, target.shown_headers(), strict=True):
                    command = command.replace(shlex.quote(header), shlex.quote(shown))
                commands[target.name] = command
                return result

            alternate_rounds(targets, load, rounds=args.rounds, duration=args.duration, warmup=args.warmup,
                             runs=runs)
        finally:
            stop_server(server)
        load_after = [round(x, 2) for x in os.getloadavg()]
    finally:
        for thing in cleanup:
            thing.delete()

    summary = {}
    for name, results in runs.items():
        summary[name] = {key: round(statistics.median(r[key] for r in results), 2)
                         for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "server_cpu_ms", "db_cpu_ms")}
        summary[name]["errors"] = sum(r["errors"] for r in results)
        summary[name]["best_rps"] = max(r["rps"] for r in results)
    bare = summary["bare"]["rps"]
    for name in summary:
        summary[name]["share_of_bare"] = round(summary[name]["rps"] / bare, 3)
        summary[name]["share_of_bare_best"] = round(
            summary[name]["best_rps"] / summary["bare"]["best_rps"], 3
        )

    print()
    print("command:    ", shlex.join([sys.executable, *sys.argv]))
    for target in targets:
        print(f"load {target.name + ':':9}  {commands.get(target.name, '')}")
    print(f"data:        {facts['applications']:,} applications ({facts['cases']:,} cases, "
          f"{facts['events']:,} events); inbox of {facts['agency']}: {facts['agency_cases']:,} cases, "
          f"{facts['agency_open']:,} open, {facts['agency_overdue']:,} overdue; "
          f"/me/cases: {facts['resident_cases']} cases")
    print(f"engine:      {facts['version']}, CONN_MAX_AGE={facts['conn_max_age']}")
    print(f"machine:     {os.cpu_count()} CPUs, load average {load_before[0]} before, {load_after[0]} after")
    print(f"server:      kotacerdas serve (gunicorn sync), {args.workers} workers")
    print(f"load:        wrk, {args.connections} connections, {args.duration}s per URL x {args.rounds} "
          f"rounds (medians), {args.warmup}s warm-up")
    print()
    print(f"| {'endpoint':30} | {'req/s':>7} | {'p50 ms':>6} | {'p95 ms':>6} | {'% of bare':>9} "
          f"| {'CPU ms/req':>10} | {'queries (rows)':>20} |")
    print(f"| {'-' * 30} | {'-' * 6}: | {'-' * 5}: | {'-' * 5}: | {'-' * 8}: | {'-' * 9}: | {'-' * 19}: |")
    for target in targets:
        row, entry = summary[target.name], profile[target.name]
        queries = (f"{entry['small']['queries']} ({entry['small']['rows']}) / {entry['large']['queries']} "
                   f"({entry['large']['rows']})" if "small" in entry else "0")
        cpu = row["server_cpu_ms"] + row["db_cpu_ms"]
        print(f"| {target.label:30} | {row['rps']:7.0f} | {row['p50_ms']:6.2f} | {row['p95_ms']:6.2f} "
              f"| {row['share_of_bare']:9.0%} | {cpu:10.2f} | {queries:>20} |")
    print()
    misses = []
    for target in targets:
        row, entry = summary[target.name], profile[target.name]
        if target.name not in ("bare", "page") and row["share_of_bare"] < SHARE_OF_BARE:
            misses.append(f"{target.label}: {row['share_of_bare']:.0%} of bare (best rounds "
                          f"{row['share_of_bare_best']:.0%}), goal {SHARE_OF_BARE:.0%}")
        if target.name in ("inbox", "overdue") and row["p95_ms"] >= INBOX_P95_MS:
            misses.append(f"{target.label}: p95 {row['p95_ms']:.0f} ms, goal < {INBOX_P95_MS} ms")
        if "small" in entry and entry["large"]["queries"] > entry["small"]["queries"]:
            small, large = entry["small"], entry["large"]
            misses.append(f"{target.label}: {small['queries']} queries for {small['rows']} rows, "
                          f"{large['queries']} for {large['rows']}")
        if row["errors"]:
            misses.append(f"{target.label}: {row['errors']} errors")
    print("goals: " + ("all met" if not misses else "missed:\n  " + "\n  ".join(misses)))

    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"services-{facts['engine']}{'-' + args.label if args.label else ''}-{stamp}.json"
    out.write_text(json.dumps({
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": shlex.join([sys.executable, *sys.argv]),
        "load_commands": commands,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_before": load_before, "load_after": load_after},
        "database": facts,
        "workers": args.workers, "duration_s": args.duration, "rounds": args.rounds,
        "warmup_s": args.warmup, "connections": args.connections,
        "profile": profile, "summary": summary, "goals_missed": misses, "runs": runs,
    }, indent=2, default=str))
    print(f"written to {out.relative_to(Path(__file__).resolve().parent.parent)}")
    report_server_log(work)


if __name__ == "__main__":
    main()
