"""Fill a database with service applications for benchmarks/services.py.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate_services.py \
        [--applications 200000] [--citizens 50000]

Uses whatever database the environment points at, like generate.py (whose set-up and
residents it reuses): migrates it, runs `kotacerdas seed` (reference data, the 24 sample
services), then bulk-creates service applications until there are N, each an Application
with its Case (kind "service") and the case's timeline. Running it again does nothing.

The mix is meant to load the officers' pages the way a real city would:

- services are weighted by demand: the nine Dispendukcapil services (KTP-el, KK, akta, KIA,
  pindah) take about 45% of all applications, the two kelurahan letters about 18%, and the
  other OPD share the rest;
- submission dates cover the last two years, more of them recent (use grows);
- each case follows the service workflow (kotacerdas.cases.workflow.SERVICE_TRANSITIONS):
  checked, worked on, finished in a spread of working days around its standard time, so
  old cases are mostly resolved or closed and the recent ones open; about 4% are rejected,
  about 15% went through a revision (the SLA clock paused, the due date moved), some of
  those were never resubmitted, and 1.5% got stuck in progress: the overdue backlog;
- in-progress cases are assigned to one of the agency's officers.

It also creates the accounts the benchmark logs in as: the officer
`petugas.benchmark@staf.bench.invalid` (Dispendukcapil operator with a confirmed TOTP
device) and the resident `warga.benchmark@bench.invalid` with 30 applications. Neither can
log in with a password (unusable passwords): services.py makes a session and an API token.
No audit rows, outbox messages, uploads or output documents are written: the generator does
not go through the actions, on purpose.
"""

import argparse
import random
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import CITIZEN_DOMAIN, ensure_citizens, setup_django  # noqa: E402

BATCH = 5_000
SPAN_DAYS = 730
STAFF_DOMAIN = "staf.bench.invalid"
BENCH_OFFICER = f"petugas.benchmark@{STAFF_DOMAIN}"
BENCH_RESIDENT = f"warga.benchmark@{CITIZEN_DOMAIN}"
BENCH_RESIDENT_CASES = 30
BENCH_AGENCY = "dispendukcapil"

# Relative demand per service (the catalog in kotacerdas/data/services.json).
DEMAND = {
    "ktp-el-baru": 8, "ktp-el-hilang-rusak": 5, "kk-baru": 6, "kk-perubahan": 7,
    "kartu-identitas-anak": 4, "akta-kelahiran": 7, "akta-kematian": 3, "surat-pindah-skpwni": 3,
    "pindah-datang": 3, "surat-keterangan-tidak-mampu": 8, "surat-pengantar-kelurahan": 10,
    "nib-usaha-mikro": 7, "pendampingan-pbg": 2, "sedot-tinja-sidoti": 2,
    "permohonan-informasi-publik": 2, "surat-keterangan-sehat": 5, "rekomendasi-pindah-sekolah": 3,
    "kartu-pencari-kerja-ak1": 6, "usulan-data-kesejahteraan-sosial": 4,
    "penggunaan-fasilitas-olahraga": 1, "perbaikan-lampu-pju": 2, "anggota-perpustakaan": 1.5,
    "akses-arsip-statis": 0.5, "surat-keterangan-penelitian": 1.5,
}
# Officers per agency (the Dispendukcapil front office is the biggest).
OFFICERS = {BENCH_AGENCY: 8}
OFFICERS_DEFAULT = 2
OFFICERS_KELURAHAN = 1

REPLIES = [
    "Berkas Anda sudah kami terima dan sedang diperiksa.",
    "Dokumen sedang dalam proses pencetakan.",
    "Mohon menunggu, permohonan sedang diproses petugas.",
]
REVISION_NOTES = [
    "Foto KK kurang jelas, mohon unggah ulang.",
    "Surat pengantar RT/RW belum ditandatangani.",
    "NIK pada formulir tidak sesuai dengan KK.",
]
REJECT_NOTES = ["Pemohon bukan penduduk Kota Blitar.", "Permohonan ganda, sudah diproses sebelumnya."]
STREETS = ["Jl. Merdeka", "Jl. Kalimantan", "Jl. Sudanco Supriyadi", "Jl. Anjasmoro", "Jl. Mastrip"]


@dataclass
class Timeline:
    """A case's state while its planned steps are applied, oldest first."""

    status: str
    at: datetime
    due: object
    events: list[dict] = field(default_factory=list)
    paused_since: datetime | None = None
    resolved_at: datetime | None = None
    assignee_id: int | None = None
    revisions: int = 0
    revision_note: str = ""


def answers_for(rng: random.Random, fields: list[dict], kelurahan_code: str) -> dict:
    """Plausible answers for a service's form (files are left out: no uploads are made)."""
    values: dict = {}
    for item in fields:
        kind = item["type"]
        if kind == "file":
            continue
        if kind == "nik":
            values[item["name"]] = f"3572{rng.randrange(10**11, 10**12)}"
        elif kind == "phone":
            values[item["name"]] = f"+628{rng.randrange(10**9, 10**10)}"
        elif kind == "address":
            values[item["name"]] = {"kelurahan": kelurahan_code, "rw": f"{rng.randint(1, 12):03d}",
                                    "rt": f"{rng.randint(1, 8):03d}",
                                    "street": f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}"}
        elif kind in ("choice", "multichoice") and item["choices"]:
            first = item["choices"][rng.randrange(len(item["choices"]))]
            value = first[0] if isinstance(first, list) else first
            values[item["name"]] = [value] if kind == "multichoice" else value
        elif kind == "date":
            year, month, day = rng.randint(1960, 2024), rng.randint(1, 12), rng.randint(1, 28)
            values[item["name"]] = f"{year}-{month:02d}-{day:02d}"
        elif kind == "number":
            values[item["name"]] = rng.randint(1, 10)
        else:
            values[item["name"]] = "Untuk keperluan administrasi."
    return values


def plan_application(rng: random.Random, ctx: dict, now: datetime) -> tuple[dict, list[dict], dict]:
    """One application: the case's fields, its timeline, and the application's own fields."""
    from django.utils import timezone

    from kotacerdas.cases.models import CaseEvent, Status
    from kotacerdas.lib.workdays import add_workdays, workdays_between

    service = rng.choices(ctx["services"], cum_weights=ctx["service_weights"])[0]
    kelurahan = rng.choice(ctx["kelurahan"])
    agency_id = service["agency_id"] or ctx["kelurahan_agency"][kelurahan["id"]]
    officers = ctx["officers"][agency_id]
    citizen_id = rng.choice(ctx["citizens"])
    holidays = ctx["holidays"]
    # More recent applications are more frequent: density grows linearly over the span.
    submitted = now - timedelta(days=SPAN_DAYS * (1 - rng.random() ** 0.5))
    sla = service["sla"]
    line = Timeline(status=Status.SUBMITTED, at=submitted,
                    due=add_workdays(timezone.localdate(submitted), sla, holidays))
    line.events.append({"type": CaseEvent.Type.STATUS, "is_public": True, "at": submitted,
                        "actor_id": citizen_id, "from_status": "", "to_status": Status.SUBMITTED})

    # The planned life of the case as (calendar days after the previous step, status, note).
    fate = rng.random()
    steps: list[tuple[float, str, str]] = [(rng.uniform(0.1, 3), Status.VERIFIED, "")]
    if fate < 0.04:
        steps.append((rng.uniform(0.1, 2), Status.REJECTED, rng.choice(REJECT_NOTES)))
        if rng.random() < 0.5:
            steps.append((rng.uniform(1, 20), Status.CLOSED, ""))
    else:
        abandoned = False
        if rng.random() < 0.15:  # the officer asks for a revision: the SLA clock stops
            steps.append((rng.uniform(0.1, 1.5), Status.WAITING_CITIZEN, rng.choice(REVISION_NOTES)))
            abandoned = rng.random() < 0.2  # never resubmitted: closed later, or still waiting
            if abandoned and rng.random() < 0.5:
                steps.append((rng.uniform(14, 60), Status.CLOSED, ""))
            elif not abandoned:
                steps.append((rng.uniform(0.5, 10), Status.SUBMITTED, ""))
                steps.append((rng.uniform(0.05, 1), Status.VERIFIED, ""))
        if not abandoned:
            steps.append((rng.uniform(0.05, 1), Status.IN_PROGRESS, ""))
            if fate >= 0.055:  # the other 1.5% stay in progress: forgotten, the overdue backlog
                # Working days to finish, around the standard (about a quarter take longer).
                factor = rng.lognormvariate(-0.3, 0.45)
                steps.append((max(sla, 1) * 1.4 * factor, Status.RESOLVED, ""))
                if rng.random() < 0.4:
                    steps.append((rng.uniform(1, 30), Status.CLOSED, ""))

    for delay, new, note in steps:
        at = line.at + timedelta(days=delay)
        if at > now:
            break
        officer = line.assignee_id or (rng.choice(officers) if officers else None)
        by_citizen = line.status == Status.WAITING_CITIZEN and new == Status.SUBMITTED
        if new == Status.IN_PROGRESS and officers and rng.random() < 0.8:
            line.assignee_id = rng.choice(officers)
            line.events.append({"type": CaseEvent.Type.ASSIGN, "is_public": False, "at": at,
                                "actor_id": officer, "data": {"assignee": line.assignee_id}})
        line.events.append({"type": CaseEvent.Type.STATUS, "is_public": True, "at": at,
                            "actor_id": citizen_id if by_citizen else officer,
                            "from_status": line.status, "to_status": new, "text": note,
                            "data": {"resubmitted": True} if by_citizen else {}})
        # The same bookkeeping as kotacerdas.cases.actions.case_transition.
        if new == Status.WAITING_CITIZEN:
            line.paused_since, line.revision_note = at, note
        elif line.paused_since is not None:
            start = timezone.localdate(line.paused_since)
            waited = workdays_between(start, timezone.localdate(at), holidays)
            line.due = add_workdays(line.due, waited, holidays)
            line.paused_since = None
            line.revisions += by_citizen
        if new in ctx["final"]:
            line.resolved_at = line.resolved_at or at
        else:
            line.resolved_at = None
        line.status, line.at = new, at
        if new == Status.IN_PROGRESS and rng.random() < 0.25:
            reply_at = at + timedelta(hours=rng.uniform(1, 30))
            if reply_at <= now:
                line.events.append({"type": CaseEvent.Type.REPLY, "is_public": True, "at": reply_at,
                                    "actor_id": officer, "text": rng.choice(REPLIES)})

    case = {
        "kind": "service", "title": service["name"], "agency_id": agency_id, "citizen_id": citizen_id,
        "assignee_id": line.assignee_id, "status": line.status,
        "priority": rng.choices(("normal", "high", "urgent"), weights=(92, 7, 1))[0],
        "kelurahan_id": kelurahan["id"], "sla_workdays": sla, "submitted_at": submitted,
        "due_date": line.due, "paused_since": line.paused_since, "resolved_at": line.resolved_at,
        "updated_at": max(event["at"] for event in line.events),
    }
    waiting = line.status == Status.WAITING_CITIZEN
    application = {
        "service_id": service["id"], "applicant_id": citizen_id, "submitted_at": submitted,
        "data": answers_for(rng, service["fields"], kelurahan["code"]),
        "submission_key": secrets.token_urlsafe(18), "revisions": line.revisions,
        "revision_fields": service["revisable"][:1] if waiting else [],
        "revision_note": line.revision_note if waiting else "",
    }
    return case, line.events, application


def ensure_staff(agency_ids: dict[str, int]) -> dict[int, list[int]]:
    """A few officers per agency that offers services, and the benchmark officer."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kotacerdas.accounts.models import Membership, User

    unusable = make_password(None)
    wanted = {}
    for code, agency_id in agency_ids.items():
        count = OFFICERS.get(code, OFFICERS_KELURAHAN if code.startswith("kel-") else OFFICERS_DEFAULT)
        for index in range(count):
            wanted[f"petugas{index + 1}.{code}@{STAFF_DOMAIN}"] = (agency_id, "operator")
    wanted[BENCH_OFFICER] = (agency_ids[BENCH_AGENCY], "operator")
    have = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    for email, (agency_id, role) in wanted.items():
        if email in have:
            continue
        name = "Petugas Benchmark" if email == BENCH_OFFICER else f"Petugas {email.split('@')[0]}"
        user = User.objects.create(name=name, email=email, password=unusable, email_verified=True,
                                   channels=["email"])
        Membership.objects.create(user=user, agency_id=agency_id, role=role)
        TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    officers: dict[int, list[int]] = {}
    for user_id, agency_id in Membership.objects.filter(user__email__in=wanted).values_list(
        "user_id", "agency_id"
    ):
        officers.setdefault(agency_id, []).append(user_id)
    return officers


def ensure_bench_resident() -> int:
    from django.contrib.auth.hashers import make_password

    from kotacerdas.accounts.models import User

    user, _made = User.objects.get_or_create(
        email=BENCH_RESIDENT,
        defaults={"name": "Warga Benchmark", "password": make_password(None), "email_verified": True,
                  "channels": ["email"]},
    )
    return user.pk


def generate(total: int, citizens: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from kotacerdas.agencies.models import Agency
    from kotacerdas.cases.models import FINAL_STATUSES, Case, CaseEvent, Status
    from kotacerdas.cases.queries import holiday_dates
    from kotacerdas.lib.trackcode import new_code
    from kotacerdas.regions.models import Region
    from kotacerdas.services.models import Application, FormField, Service

    started = time.perf_counter()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed")
    existing = Application.objects.count()
    if existing >= total:
        print(f"{existing} applications already there (wanted {total}): nothing to do")
        describe()
        return

    citizen_ids = ensure_citizens(citizens)
    bench_resident = ensure_bench_resident()
    agencies = dict(Agency.objects.values_list("code", "id"))
    services = []
    for service in Service.objects.filter(is_published=True).order_by("slug"):
        fields = list(FormField.objects.filter(service=service).order_by("order", "id")
                      .values("name", "type", "choices"))
        services.append({
            "id": service.pk, "slug": service.slug, "name": service.name, "agency_id": service.agency_id,
            "sla": service.sla_workdays, "fields": fields,
            "revisable": [f["name"] for f in fields if f["type"] == FormField.Type.FILE]
            or [f["name"] for f in fields][:1],
        })
    missing = [s["slug"] for s in services if s["slug"] not in DEMAND]
    weights, running = [], 0.0
    for service in services:
        running += DEMAND.get(service["slug"], 1)
        weights.append(running)
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).values("id", "code"))
    kelurahan_agency = dict(Agency.objects.filter(kind=Agency.Kind.KELURAHAN).values_list("region_id", "id"))
    serving = {code: pk for code, pk in agencies.items()
               if code.startswith("kel-") or any(s["agency_id"] == pk for s in services)}
    ctx = {
        "services": services, "service_weights": weights, "kelurahan": kelurahan,
        "kelurahan_agency": kelurahan_agency, "officers": ensure_staff(serving),
        "citizens": citizen_ids, "holidays": holiday_dates(), "final": set(FINAL_STATUSES),
    }
    codes = set(Case.objects.values_list("tracking_code", flat=True))
    rng = random.Random(seed + existing)
    now = timezone.now()
    todo = total - existing
    bench_has = Case.objects.filter(citizen_id=bench_resident).count()
    give_bench_resident = max(BENCH_RESIDENT_CASES - bench_has, 0)
    print(f"creating {todo} applications (already {existing}) for {len(services)} services, "
          f"{len(citizen_ids)} residents, {sum(len(v) for v in ctx['officers'].values())} officers"
          + (f"; services without a demand weight (1 used): {', '.join(missing)}" if missing else ""))
    made = made_events = 0
    while made < todo:
        size = min(BATCH, todo - made)
        cases, timelines, applications = [], [], []
        for _ in range(size):
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            fields, events, application = plan_application(rng, ctx, now)
            if give_bench_resident:
                fields["citizen_id"] = application["applicant_id"] = bench_resident
                for event in events:
                    if event["type"] == CaseEvent.Type.STATUS and event["to_status"] == Status.SUBMITTED:
                        event["actor_id"] = bench_resident
                give_bench_resident -= 1
            cases.append(Case(tracking_code=code, **fields))
            timelines.append(events)
            applications.append(application)
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            if cases[0].pk is None:  # a backend without RETURNING: look the ids up
                ids = dict(Case.objects.filter(tracking_code__in=[c.tracking_code for c in cases])
                           .values_list("tracking_code", "id"))
                for case in cases:
                    case.pk = ids[case.tracking_code]
            Application.objects.bulk_create(
                [Application(case_id=case.pk, **values)
                 for case, values in zip(cases, applications, strict=True)],
                batch_size=BATCH,
            )
            rows = [CaseEvent(case_id=case.pk, **event)
                    for case, events in zip(cases, timelines, strict=True) for event in events]
            CaseEvent.objects.bulk_create(rows, batch_size=BATCH)
        made += size
        made_events += len(rows)
        print(f"  {existing + made:>8} applications  {time.perf_counter() - started:6.1f}s", flush=True)
    with connection.cursor() as cursor:  # fresh planner statistics on both engines
        cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"created {made} applications and {made_events} events in {elapsed:.1f}s "
          f"({made / elapsed:,.0f} applications/s)")
    describe()


def describe() -> None:
    """What the benchmark pages will see: sizes, the busiest agency, its open and overdue cases."""
    from django.db.models import Count
    from django.utils import timezone

    from kotacerdas.accounts.models import User
    from kotacerdas.agencies.models import Agency
    from kotacerdas.cases.models import FINAL_STATUSES, Case, CaseEvent
    from kotacerdas.services.models import Application

    total = Application.objects.count()
    agency = Agency.objects.get(code=BENCH_AGENCY)
    mine = Case.objects.filter(kind="service", agency=agency)
    open_ = mine.exclude(status__in=FINAL_STATUSES)
    overdue = open_.filter(due_date__lt=timezone.localdate(), paused_since__isnull=True)
    statuses = dict(Case.objects.filter(kind="service").values_list("status").annotate(n=Count("id")))
    print(f"applications {total:,}, cases {Case.objects.count():,}, events {CaseEvent.objects.count():,}, "
          f"users {User.objects.count():,}")
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items(), key=lambda x: -x[1])))
    print(f"{agency.short_name}: {mine.count():,} applications ({mine.count() / max(total, 1):.0%}), "
          f"{open_.count():,} open, {overdue.count():,} overdue, "
          f"{open_.filter(paused_since__isnull=False).count():,} paused")
    residents = Case.objects.filter(kind="service").values("citizen").distinct().count()
    bench = Case.objects.filter(citizen__email=BENCH_RESIDENT).count()
    print(f"residents with applications: {residents:,}; {BENCH_RESIDENT}: {bench} cases")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=200_000,
                        help="service applications wanted in all (default 200000)")
    parser.add_argument("--citizens", type=int, default=50_000, help="generated residents (default 50000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the mix (codes are random)")
    args = parser.parse_args()
    setup_django()
    generate(args.applications, args.citizens, args.seed)


if __name__ == "__main__":
    main()
