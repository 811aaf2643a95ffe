"""Site-wide search and the home page under load, beside the bare view.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/information.py [options]

Fill the database first with benchmarks/generate_information.py (50,000 news items, 20,000
documents with text, open datasets, the search index). Like services.py (and with
tracking.py's server, wrk and CPU helpers), this starts `kotacerdas serve` with DEBUG off and
KOTACERDAS_BENCHMARK=1, and loads each URL for the same time, the order rotated each round:

- GET /cari/?q=<one word>       rotating over --queries words of the generator's vocabulary,
                                common and rare alike (each is in at least one item)
- GET /cari/?q=<three words>    rotating over --queries runs of three words taken from
                                indexed titles (a search someone would make for an item)
- GET /                         the portal home page, anonymous (with the latest news)
- GET /bench/bare               the ceiling: no database, same middleware, same workers

Before the load, each is run in-process with Django's test client (SQL queries and time per
request), and queries.search() alone is timed over every query. Goals (issue 6 §6): search
p95 under 100 ms, the home page at 50% or more of the bare view's requests/s. Prints the data
size, engine, exact commands and a results table; writes all of it as JSON to
benchmarks/results/ (gitignored).
"""

import argparse
import http.client
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_information import VOCABULARY  # noqa: E402
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

SEARCH_P95_MS = 100
HOME_SHARE_OF_BARE = 0.50
OTHER_BENCHMARKS = ("benchmarks/opendata", "benchmarks/reports", "benchmarks/datastore_load",
                    "benchmarks/services", "benchmarks/tracking")


class Endpoint:
    def __init__(self, name: str, label: str, paths: list[str]):
        self.name, self.label, self.paths = name, label, paths


def database_facts() -> dict:
    from django.db.models import Count

    from kotacerdas.information.models import Document, News
    from kotacerdas.search.models import SearchEntry

    return {
        **database_identity(),
        "news": News.objects.count(),
        "documents": Document.objects.count(),
        "index": dict(SearchEntry.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind")),
    }


def search_queries(count: int, seed: int) -> tuple[list[str], list[str]]:
    """One-word queries from the vocabulary; three consecutive words of indexed titles."""
    from kotacerdas.lib.stemmer import words
    from kotacerdas.search.models import SearchEntry

    rng = random.Random(seed)
    vocabulary = sorted({w for w in VOCABULARY if len(w) > 3})
    one = rng.sample(vocabulary, min(count, len(vocabulary)))
    ids = list(SearchEntry.objects.filter(kind__in=["news", "document"]).values_list("pk", flat=True))
    three: list[str] = []
    for pk in rng.sample(ids, min(len(ids), count * 3)):
        title_words = [w for w in words(SearchEntry.objects.get(pk=pk).title) if len(w) > 3]
        if len(title_words) >= 3:
            start = rng.randrange(len(title_words) - 2)
            three.append(" ".join(title_words[start:start + 3]))
        if len(three) == count:
            break
    return one, three


def endpoints(one: list[str], three: list[str]) -> list[Endpoint]:
    return [
        Endpoint("search1", "GET /cari/?q=<1 word>", [f"/cari/?{urlencode({'q': q})}" for q in one]),
        Endpoint("search3", "GET /cari/?q=<3 words>", [f"/cari/?{urlencode({'q': q})}" for q in three]),
        Endpoint("home", "GET / (home page)", ["/"]),
        Endpoint("bare", "GET /bench/bare (no database)", ["/bench/bare"]),
    ]


def check_answers(port: int, targets: list[Endpoint]) -> None:
    expected = {"search1": b'class="dataset-list"', "search3": b'class="dataset-list"',
                "home": b'id="news-title"', "bare": b"ok"}
    for target in targets:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", target.paths[0])
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200 or expected[target.name] not in body:
            raise SystemExit(f"unexpected answer from {target.paths[0]}: {response.status} {body[:300]!r}")


def profile_in_process(targets: list[Endpoint], one: list[str], three: list[str], repeat: int) -> dict:
    """queries.search() alone over every query, then each URL with the test client."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kotacerdas.search import queries

    call_command("collectstatic", interactive=False, verbosity=0)
    profile: dict = {}
    for name, texts in (("search1", one), ("search3", three)):
        times, hits = [], []
        for text in texts:
            started = time.perf_counter()
            found = queries.search(text)
            times.append((time.perf_counter() - started) * 1000)
            hits.append(len(found))
        times.sort()
        profile[f"{name}_function"] = {
            "queries": len(texts), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2), "max_ms": round(times[-1], 2),
            "hits_median": statistics.median(hits), "no_hits": sum(1 for h in hits if not h),
        }
    client = Client(HTTP_HOST="127.0.0.1")
    for target in targets:
        client.get(target.paths[0])  # warm: translations, templates, the suggestion vocabulary
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        # Counted at the cursor: CaptureQueriesContext reported 0 here (with DEBUG off, after
        # thousands of queries), while the test suite counts 1 for the home page.
        with connection.execute_wrapper(count):
            response = client.get(target.paths[0])
        if response.status_code != 200:
            raise SystemExit(f"{target.paths[0]} answered {response.status_code} in-process")
        started = time.perf_counter()
        for index in range(repeat):
            client.get(target.paths[index % len(target.paths)])
        profile[target.name] = {"queries": len(executed),
                                "ms": round((time.perf_counter() - started) / repeat * 1000, 2)}
    connection.close()
    return profile


def wait_for_other_benchmarks(poll: int = 30) -> None:
    """Two benchmarks on one machine measure each other: wait until no other one runs."""
    me = os.getpid()
    while True:
        running = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if int(cmdline.parent.name) == me:
                    continue
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, ValueError):
                continue
            if "python" in text and any(name in text for name in OTHER_BENCHMARKS):
                running.append(text.strip())
        if not running:
            return
        print(f"waiting for another benchmark to finish: {running[0][:100]}", flush=True)
        time.sleep(poll)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL per round")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all URLs, order rotated")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load per URL first")
    parser.add_argument("--queries", type=int, default=200, help="distinct queries per search URL")
    parser.add_argument("--repeat", type=int, default=50, help="in-process requests per URL for the timing")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="LOAD",
                        help="also wait (up to 15 min) until the 1-minute load average is below LOAD")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--label", default="", help="added to the result file name")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    os.environ["DEBUG"] = ""
    os.environ["KOTACERDAS_BENCHMARK"] = "1"
    os.environ.setdefault("KOTACERDAS_ENV", "local")
    setup_django()

    facts = database_facts()
    if not facts["news"] or not facts["index"]:
        raise SystemExit("no news or no search index: run benchmarks/generate_information.py first")
    print(f"database: {facts['version']} ({facts['name']}), {facts['news']:,} news, "
          f"{facts['documents']:,} documents; search index {facts['index']}")
    one, three = search_queries(args.queries, args.seed)
    targets = endpoints(one, three)
    work = Path(tempfile.mkdtemp(prefix="kcbench-info-"))
    wait_for_other_benchmarks()
    if args.wait_idle:
        wait_until_idle(args.wait_idle)
    profile = profile_in_process(targets, one, three, args.repeat)
    for name in ("search1", "search3"):
        entry = profile[f"{name}_function"]
        print(f"  queries.search() {name}: p50 {entry['p50_ms']} ms, p95 {entry['p95_ms']} ms, "
              f"max {entry['max_ms']} ms over {entry['queries']} queries; "
              f"median {entry['hits_median']} hits, {entry['no_hits']} without hits", flush=True)
    for target in targets:
        entry = profile[target.name]
        print(f"  in-process {target.name:8} {entry['queries']} queries, {entry['ms']:.2f} ms per request",
              flush=True)

    RESULTS.mkdir(exist_ok=True)
    scripts = {}
    for target in targets:
        scripts[target.name] = work / f"{target.name}.lua"
        paths = ", ".join(f'"{p}"' for p in target.paths)
        scripts[target.name].write_text(LUA_TEMPLATE % {"paths": paths})
    wait_for_other_benchmarks()
    load_before = [round(x, 2) for x in os.getloadavg()]
    runs: dict[str, list[dict]] = {t.name: [] for t in targets}
    commands: dict[str, str] = {}
    port = free_port()
    server = start_server(port, args.workers, work / "server.log")
    try:
        check_answers(port, targets)

        def load(target: Endpoint, seconds: int) -> dict:
            result, command = measured_wrk(server, port, scripts[target.name], seconds, args.connections,
                                           args.threads)
            commands[target.name] = command
            return result

        alternate_rounds(targets, load, rounds=args.rounds, duration=args.duration, warmup=args.warmup,
                         runs=runs)
    finally:
        stop_server(server)
    load_after = [round(x, 2) for x in os.getloadavg()]

    summary = {}
    for name, results in runs.items():
        summary[name] = {key: round(statistics.median(r[key] for r in results), 2)
                         for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "server_cpu_ms", "db_cpu_ms")}
        summary[name]["errors"] = sum(r["errors"] for r in results)
        summary[name]["best_rps"] = max(r["rps"] for r in results)
    for name in summary:
        summary[name]["share_of_bare"] = round(summary[name]["rps"] / summary["bare"]["rps"], 3)
        summary[name]["share_of_bare_best"] = round(summary[name]["best_rps"] / summary["bare"]["best_rps"],
                                                    3)

    print()
    print("command:    ", shlex.join([sys.executable, *sys.argv]))
    for target in targets:
        print(f"load {target.name + ':':8}   {commands.get(target.name, '')}")
    print(f"data:        {facts['news']:,} news, {facts['documents']:,} documents; search index "
          f"{sum(facts['index'].values()):,} entries {facts['index']}; {len(one)} one-word and "
          f"{len(three)} three-word queries")
    print(f"engine:      {facts['version']}")
    print(f"machine:     {os.cpu_count()} CPUs, load average {load_before[0]} before, {load_after[0]} after")
    print(f"server:      kotacerdas serve (gunicorn sync), {args.workers} workers")
    print(f"load:        wrk, {args.connections} connections, {args.duration}s per URL x {args.rounds} "
          f"rounds (medians), {args.warmup}s warm-up")
    print()
    print(f"| {'endpoint':30} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'% of bare':>9} "
          f"| {'CPU ms/req':>10} | {'queries':>7} |")
    print(f"| {'-' * 30} | {'-' * 6}: | {'-' * 6}: | {'-' * 6}: | {'-' * 8}: | {'-' * 9}: | {'-' * 6}: |")
    for target in targets:
        row = summary[target.name]
        cpu = row["server_cpu_ms"] + row["db_cpu_ms"]
        print(f"| {target.label:30} | {row['rps']:7.0f} | {row['p50_ms']:7.2f} | {row['p95_ms']:7.2f} "
              f"| {row['share_of_bare']:9.0%} | {cpu:10.2f} | {profile[target.name]['queries']:7d} |")
    print()
    misses = []
    for name in ("search1", "search3"):
        if summary[name]["p95_ms"] >= SEARCH_P95_MS:
            misses.append(f"{name}: p95 {summary[name]['p95_ms']:.0f} ms, goal < {SEARCH_P95_MS} ms")
    if summary["home"]["share_of_bare"] < HOME_SHARE_OF_BARE:
        misses.append(f"home: {summary['home']['share_of_bare']:.0%} of bare (best rounds "
                      f"{summary['home']['share_of_bare_best']:.0%}), goal {HOME_SHARE_OF_BARE:.0%}")
    misses += [f"{name}: {row['errors']} errors" for name, row in summary.items() if row["errors"]]
    print("goals: " + ("all met" if not misses else "missed:\n  " + "\n  ".join(misses)))

    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"information-{facts['engine']}{'-' + args.label if args.label else ''}-{stamp}.json"
    out.write_text(json.dumps({
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": shlex.join([sys.executable, *sys.argv]),
        "load_commands": commands,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_before": load_before, "load_after": load_after},
        "database": facts, "queries": {"one_word": one, "three_words": three},
        "workers": args.workers, "duration_s": args.duration, "rounds": args.rounds,
        "warmup_s": args.warmup, "connections": args.connections,
        "profile": profile, "summary": summary, "goals_missed": misses, "runs": runs,
    }, indent=2, default=str))
    print(f"written to {out.relative_to(Path(__file__).resolve().parent.parent)}")
    report_server_log(work)


if __name__ == "__main__":
    main()
