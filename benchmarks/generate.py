"""Fill a database with benchmark data: reference data plus N cases with their timelines.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate.py [--cases 100000]

Uses whatever database the environment points at (DATABASE_URL, else SQLite under
KOTACERDAS_DATA_DIR): migrates it, runs `kotacerdas seed` (reference data only), then
bulk-creates cases until there are N. Running it again with the same N does nothing.

Each case gets a unique, valid tracking code from kotacerdas.lib.trackcode.new_code, a mix of
kinds, agencies, kelurahan, statuses and priorities, a due date in working days (the real
holiday calendar), and a timeline of 2-4 events that follows the workflow table: the public
"submitted" entry, then status changes, public replies, handovers (public) and internal
notes or assignments (not public). About 60% of cases belong to one of the generated
citizens (`@bench.invalid` addresses, unusable passwords). No audit rows, outbox messages or
Handover rows are written: the generator does not go through the actions, on purpose.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta

CASE_BATCH = 5_000
CITIZEN_DOMAIN = "bench.invalid"

TITLES = {
    "service": [
        "Permohonan KTP-el baru", "Perubahan data Kartu Keluarga", "Akta kelahiran",
        "Akta kematian", "Surat pindah domisili", "Izin usaha mikro (NIB)",
        "Persetujuan bangunan gedung (PBG)", "Surat keterangan tidak mampu",
        "Legalisir dokumen kependudukan", "Izin reklame",
    ],
    "report": [
        "Jalan berlubang", "Lampu penerangan jalan mati", "Saluran air tersumbat",
        "Sampah menumpuk di pinggir jalan", "Pohon tumbang", "Genangan air setelah hujan",
        "Trotoar rusak", "Pedagang kaki lima menutup jalan", "Wi-Fi publik tidak dapat diakses",
        "Parkir liar",
    ],
    "information": [
        "Permohonan data APBD", "Salinan dokumen RTRW", "Data penerima bantuan sosial",
        "Laporan realisasi anggaran", "Daftar proyek infrastruktur tahun berjalan",
        "Data kependudukan agregat per kelurahan",
    ],
}
REPLIES = [
    "Terima kasih, laporan Anda sedang kami tindak lanjuti.",
    "Petugas akan meninjau lokasi dalam 2 hari kerja.",
    "Mohon lengkapi dokumen persyaratan melalui halaman perkara.",
    "Dokumen Anda sudah dapat diambil di kantor pelayanan.",
]
NOTES = ["Cek lapangan dijadwalkan.", "Menunggu tanda tangan kepala dinas.", "Koordinasi dengan DPUPR."]


def setup_django() -> None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()


def ensure_citizens(count: int) -> list[int]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from kotacerdas.accounts.models import User

    existing = User.objects.filter(email__endswith=f"@{CITIZEN_DOMAIN}")
    have = set(existing.values_list("email", flat=True))
    now = timezone.now()
    new = [
        User(name=f"Warga Uji {index:05d}", email=email, password=make_password(None),
             email_verified=True, channels=["email"], date_joined=now)
        for index in range(count)
        if (email := f"warga{index:05d}@{CITIZEN_DOMAIN}") not in have
    ]
    User.objects.bulk_create(new, batch_size=2_000)
    return list(existing.values_list("pk", flat=True))


def plan_case(rng: random.Random, ctx: dict, now: datetime) -> tuple[dict, list[dict]]:
    """One case's fields and its timeline, following the workflow table."""
    from django.utils import timezone

    from kotacerdas.cases.models import FINAL_STATUSES, PAUSED_STATUSES, CaseEvent, Status
    from kotacerdas.cases.workflow import DEFAULT_TRANSITIONS
    from kotacerdas.lib.workdays import add_workdays

    kind = rng.choices(("service", "report", "information"), weights=(50, 35, 15))[0]
    agency = rng.choice(ctx["agencies"])
    kelurahan = rng.choice(ctx["kelurahan"]) if kind != "information" else None
    lat = lon = None
    if kind == "report" and kelurahan["lat"] is not None:
        lat = kelurahan["lat"] + rng.uniform(-0.004, 0.004)
        lon = kelurahan["lon"] + rng.uniform(-0.004, 0.004)
    submitted = now - timedelta(days=rng.uniform(0, 540))
    sla = {"service": rng.choice((3, 5, 7, 14)), "report": 10, "information": 10}[kind]
    due = add_workdays(timezone.localdate(submitted), sla, ctx["holidays"])

    at = submitted
    status = Status.SUBMITTED
    events = [{"type": CaseEvent.Type.STATUS, "is_public": True, "at": at,
               "from_status": "", "to_status": Status.SUBMITTED}]
    paused_since = resolved_at = None
    for _ in range(rng.choice((1, 2, 2, 3))):  # 2-4 events in all
        at = at + timedelta(hours=rng.uniform(1, 72))
        if at > now:
            at = now
        roll = rng.random()
        choices = sorted(DEFAULT_TRANSITIONS[status])
        if Status.REJECTED in choices and rng.random() < 0.75:  # most cases are not rejected
            choices.remove(Status.REJECTED)
        if roll < 0.55 and choices:
            new = rng.choice(choices)
            events.append({"type": CaseEvent.Type.STATUS, "is_public": rng.random() < 0.9, "at": at,
                           "from_status": status, "to_status": new,
                           "text": rng.choice(REPLIES) if rng.random() < 0.3 else ""})
            status = new
            paused_since = at if new in PAUSED_STATUSES else None
            resolved_at = at if new in FINAL_STATUSES else None
        elif roll < 0.75:
            events.append({"type": CaseEvent.Type.REPLY, "is_public": True, "at": at,
                           "text": rng.choice(REPLIES)})
        elif roll < 0.82 and status not in FINAL_STATUSES:
            target = rng.choice(ctx["agencies"])
            if target["id"] != agency["id"]:
                events.append({"type": CaseEvent.Type.HANDOVER, "is_public": True, "at": at,
                               "data": {"from": agency["short_name"], "to": target["short_name"]}})
                agency = target
        elif roll < 0.92:
            events.append({"type": CaseEvent.Type.NOTE, "is_public": False, "at": at,
                           "text": rng.choice(NOTES)})
        else:
            events.append({"type": CaseEvent.Type.ASSIGN, "is_public": False, "at": at,
                           "data": {"assignee": "Petugas Uji"}})
    if len(events) == 1:  # a handover to the same agency was dropped: keep at least two entries
        events.append({"type": CaseEvent.Type.REPLY, "is_public": True,
                       "at": min(at + timedelta(hours=2), now), "text": rng.choice(REPLIES)})
    case = {
        "kind": kind, "title": rng.choice(TITLES[kind]), "agency_id": agency["id"],
        "citizen_id": rng.choice(ctx["citizens"]) if ctx["citizens"] and rng.random() < 0.6 else None,
        "status": status, "priority": rng.choices(("normal", "high", "urgent"), weights=(85, 12, 3))[0],
        "kelurahan_id": kelurahan["id"] if kelurahan else None, "lat": lat, "lon": lon,
        "sla_workdays": sla, "submitted_at": submitted, "due_date": due,
        "paused_since": paused_since, "resolved_at": resolved_at, "updated_at": events[-1]["at"],
    }
    return case, events


def generate(total: int, citizens: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from kotacerdas.accounts.models import User
    from kotacerdas.agencies.models import Agency
    from kotacerdas.cases.models import Case, CaseEvent
    from kotacerdas.cases.queries import holiday_dates
    from kotacerdas.lib.trackcode import new_code
    from kotacerdas.regions.models import Region

    started = time.perf_counter()
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed")
    existing = Case.objects.count()
    if existing >= total:
        print(f"{existing} cases already there (wanted {total}): nothing to do")
        print(f"cases {existing}, events {CaseEvent.objects.count()}, users {User.objects.count()}")
        return

    citizen_ids = ensure_citizens(citizens)
    ctx = {
        "agencies": list(Agency.objects.filter(is_active=True).values("id", "short_name")),
        "kelurahan": [
            {"id": pk, "lat": lat, "lon": lon}
            for pk, lat, lon in Region.objects.filter(level=Region.Level.KELURAHAN)
            .values_list("id", "centroid_lat", "centroid_lon")
        ],
        "holidays": holiday_dates(),
        "citizens": citizen_ids,
    }
    codes = set(Case.objects.values_list("tracking_code", flat=True))
    rng = random.Random(seed + existing)
    now = timezone.now()
    todo = total - existing
    made_cases = made_events = 0
    print(f"creating {todo} cases (already {existing}), {len(citizen_ids)} citizens, "
          f"{len(ctx['agencies'])} agencies, {len(ctx['kelurahan'])} kelurahan")
    while made_cases < todo:
        size = min(CASE_BATCH, todo - made_cases)
        cases, timelines = [], []
        for _ in range(size):
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            fields, events = plan_case(rng, ctx, now)
            cases.append(Case(tracking_code=code, **fields))
            timelines.append(events)
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            if cases[0].pk is None:  # a backend without RETURNING: look the ids up
                ids = dict(Case.objects.filter(tracking_code__in=[c.tracking_code for c in cases])
                           .values_list("tracking_code", "id"))
                for case in cases:
                    case.pk = ids[case.tracking_code]
            rows = [CaseEvent(case_id=case.pk, **event)
                    for case, events in zip(cases, timelines, strict=True) for event in events]
            CaseEvent.objects.bulk_create(rows, batch_size=CASE_BATCH)
        made_cases += size
        made_events += len(rows)
        print(f"  {existing + made_cases:>8} cases  {time.perf_counter() - started:6.1f}s", flush=True)
    with connection.cursor() as cursor:  # fresh planner statistics on both engines
        cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"created {made_cases} cases and {made_events} events in {elapsed:.1f}s "
          f"({made_cases / elapsed:,.0f} cases/s)")
    print(f"cases {Case.objects.count()}, events {CaseEvent.objects.count()}, "
          f"public events {CaseEvent.objects.filter(is_public=True).count()}, users {User.objects.count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases wanted in all (default 100000)")
    parser.add_argument("--citizens", type=int, default=5_000, help="generated residents (default 5000)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed for the mix (codes are random)")
    args = parser.parse_args()
    setup_django()
    generate(args.cases, args.citizens, args.seed)


if __name__ == "__main__":
    main()
