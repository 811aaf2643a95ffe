"""Fill one database with every module's benchmark data together, for benchmarks/dashboard.py.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate_dashboard.py \
        [--scale 1.0] [--ppid 20000]

Runs the other generators one after the other on the same database, each at --scale times its
default size (the sizes of the other modules' benchmarks):

    generate_services.py  --applications 200,000 --citizens 50,000
    generate_reports.py   --reports 1,000,000 --citizens 20,000
    generate_opendata.py  --datasets 10,000 --resources 30,000 --rows 1,000 (the dashboard
                          reads no datastore table, so its million rows are left out)
    generate_wifi.py      --hotspots 1,000 --sessions 10,000,000 --days 90

then adds what no other generator makes and the dashboard reads: an output document for every
application finished as resolved or closed (without one an application does not count as
finished, as in services.queries.figures), SKM answers for 40% of them, --ppid PPID requests
(scaled too) over the last two years, and Wi-Fi incidents (about two per hotspot per month over
the Wi-Fi days). Last it builds the
dashboard's rollups with the worker's own code (dashboard.actions.rollups_rebuild) and prints
how long that took: the nightly rebuild, and the five-minute refresh of this month, the last
one and "now". Running it again skips what is there (each generator does) and rebuilds.
"""

import argparse
import random
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tracking import setup_django  # noqa: E402

PPID_KEY = "bench-ppid-"
INCIDENT_CAUSE = "bench: gangguan buatan"
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def run(script: str, *args: object) -> None:
    command = [sys.executable, str(HERE / script), *map(str, args)]
    print("$", " ".join(command[1:]), flush=True)
    started = time.monotonic()
    subprocess.run(command, check=True)
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)


def documents() -> int:
    """An output document (metadata, one shared file name) for each finished application."""
    from kotacerdas.accounts.models import User
    from kotacerdas.cases.models import Status
    from kotacerdas.services.models import Application, OutputDocument

    issuer = User.objects.filter(staff_membership__isnull=False).order_by("pk").first()
    if issuer is None:
        raise SystemExit("no officer: the services generator makes them")
    finished = Application.objects.filter(
        case__status__in=[Status.RESOLVED, Status.CLOSED], case__resolved_at__isnull=False, documents=None
    ).values_list("pk", "case__agency_id", "case__resolved_at", "service__product")
    made = 0
    batch: list = []
    for pk, agency_id, resolved_at, product in finished.iterator(chunk_size=5000):
        batch.append(
            OutputDocument(
                application_id=pk,
                agency_id=agency_id,
                title=product[:200],
                number=f"BENCH/{pk}",
                issued_at=resolved_at,
                issued_by=issuer,
                verification_code=f"BD{pk:012d}",
                file="private/bench/dokumen.pdf",
            )
        )
        if len(batch) == 5000:
            OutputDocument.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    OutputDocument.objects.bulk_create(batch)
    return made + len(batch)


def surveys(share: float, seed: int) -> int:
    from django.db.models import Q

    from kotacerdas.cases.models import Status
    from kotacerdas.services.models import Application, SurveyResponse

    if SurveyResponse.objects.exists():
        return SurveyResponse.objects.count()
    rng = random.Random(seed)
    finished = (
        Application.objects.filter(
            Q(case__status__in=[Status.RESOLVED, Status.CLOSED]), case__resolved_at__isnull=False
        )
        .exclude(documents=None)
        .values_list("pk", "service_id", "case__agency_id", "case__resolved_at")
    )
    rows = []
    for pk, service_id, agency_id, resolved_at in finished.iterator(chunk_size=5000):
        if rng.random() >= share:
            continue
        base = rng.choice((2, 3, 3, 4, 4, 4))
        scores = {f"u{i}": min(4, max(1, base + rng.choice((-1, 0, 0, 0, 1)))) for i in range(1, 10)}
        rows.append(
            SurveyResponse(
                application_id=pk,
                service_id=service_id,
                agency_id=agency_id,
                submitted_at=resolved_at + timedelta(hours=rng.uniform(1, 96)),
                **scores,
            )
        )
    SurveyResponse.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def ppid(total: int, seed: int) -> int:
    from django.utils import timezone

    from kotacerdas.accounts.models import User
    from kotacerdas.agencies.models import Agency
    from kotacerdas.cases.models import Case, Kind, Status
    from kotacerdas.cases.queries import holiday_dates
    from kotacerdas.information.models import InformationRequest
    from kotacerdas.lib.workdays import add_workdays

    have = InformationRequest.objects.filter(submission_key__startswith=PPID_KEY).count()
    if have >= total:
        return have
    rng = random.Random(seed)
    now = timezone.now()
    holidays = holiday_dates()
    agencies = list(Agency.objects.values_list("pk", flat=True))
    residents = User.objects.filter(email__endswith="@bench.invalid", staff_membership__isnull=True)
    citizens = list(residents.values_list("pk", flat=True)[:20000])
    if not citizens:
        raise SystemExit("no generated residents: the services generator makes them")
    batch = 2000
    for start in range(have, total, batch):
        cases, requests = [], []
        for n in range(start, min(total, start + batch)):
            submitted = now - timedelta(days=rng.uniform(0, 730))
            day = timezone.localdate(submitted)
            due = add_workdays(day, 10, holidays)
            decided_at = answer_due = None
            status = Status.SUBMITTED
            if submitted < now - timedelta(days=20) or rng.random() < 0.5:
                decided_at = submitted + timedelta(days=rng.uniform(1, 20))
                answer_due = due
                status = Status.RESOLVED
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
            cases.append(
                Case(
                    kind=Kind.INFORMATION,
                    tracking_code=code,
                    title="Permohonan data agregat",
                    agency_id=rng.choice(agencies),
                    citizen_id=rng.choice(citizens),
                    status=status,
                    sla_workdays=10,
                    submitted_at=submitted,
                    updated_at=decided_at or submitted,
                    due_date=due,
                    resolved_at=decided_at,
                )
            )
            requests.append((n, decided_at, answer_due))
        Case.objects.bulk_create(cases, batch_size=batch)
        saved = dict(
            Case.objects.filter(tracking_code__in=[c.tracking_code for c in cases]).values_list(
                "tracking_code", "pk"
            )
        )
        InformationRequest.objects.bulk_create(
            [
                InformationRequest(
                    case_id=saved[case.tracking_code],
                    requester_id=case.citizen_id,
                    information="Data agregat per kelurahan",
                    purpose="Penelitian",
                    obtain="electronic",
                    submission_key=f"{PPID_KEY}{n}",
                    decision="granted" if decided_at else "",
                    decided_at=decided_at,
                    answer_due=answer_due,
                )
                for case, (n, decided_at, answer_due) in zip(cases, requests, strict=True)
            ],
            batch_size=batch,
        )
    return total


def incidents(days: int, seed: int) -> int:
    from django.utils import timezone

    from kotacerdas.wifi.models import Hotspot, Incident

    if Incident.objects.filter(cause=INCIDENT_CAUSE).exists():
        return Incident.objects.filter(cause=INCIDENT_CAUSE).count()
    rng = random.Random(seed)
    now = timezone.now()
    rows = []
    for pk in Hotspot.objects.values_list("pk", flat=True):
        at = now - timedelta(days=days)
        while True:
            at += timedelta(days=rng.expovariate(1 / 15))  # about two a month
            length = timedelta(minutes=rng.choice((5, 10, 30, 60, 180, 360)))
            if at + length >= now:
                break
            rows.append(Incident(hotspot_id=pk, started_at=at, ended_at=at + length, cause=INCIDENT_CAUSE))
            at += length
    Incident.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="times the other benchmarks' default sizes (default 1.0)"
    )
    parser.add_argument("--ppid", type=int, default=20_000, help="PPID requests at scale 1 (default 20000)")
    parser.add_argument("--seed", type=int, default=2029)
    parser.add_argument(
        "--skip-generators",
        action="store_true",
        help="only the extras and the rollups (the other generators ran already)",
    )
    args = parser.parse_args()

    def scaled(n: int) -> int:
        return max(1, round(n * args.scale))

    days = 90
    if not args.skip_generators:
        run("generate_services.py", "--applications", scaled(200_000), "--citizens", scaled(50_000))
        run("generate_reports.py", "--reports", scaled(1_000_000), "--citizens", scaled(20_000))
        run(
            "generate_opendata.py",
            "--datasets",
            scaled(10_000),
            "--resources",
            scaled(30_000),
            "--rows",
            1000,
        )
        run("generate_wifi.py", "--hotspots", scaled(1_000), "--sessions", scaled(10_000_000), "--days", days)

    setup_django()
    from django.db import connection

    from kotacerdas.dashboard.actions import rollups_rebuild, rollups_refresh

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.monotonic()
    print(f"output documents added: {documents():,} ({time.monotonic() - started:.0f} s)", flush=True)
    started = time.monotonic()
    print(f"SKM answers: {surveys(0.4, args.seed):,} ({time.monotonic() - started:.0f} s)", flush=True)
    started = time.monotonic()
    made = ppid(scaled(args.ppid), args.seed)
    print(f"PPID requests: {made:,} ({time.monotonic() - started:.0f} s)", flush=True)
    started = time.monotonic()
    print(f"Wi-Fi incidents: {incidents(days, args.seed):,} ({time.monotonic() - started:.0f} s)", flush=True)

    started = time.monotonic()
    rollups = rollups_rebuild()
    rebuild = time.monotonic() - started
    slowest = max(rollups, key=lambda r: r.seconds)
    print(
        f"rollups: full rebuild of {len(rollups)} rollups in {rebuild:.1f} s "
        f"(slowest {slowest.period}: {slowest.seconds:.1f} s)"
    )
    started = time.monotonic()
    rollups_refresh()
    print(f"rollups: five-minute refresh (this month, last month, now) in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
