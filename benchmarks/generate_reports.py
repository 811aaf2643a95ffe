"""Fill a database with citizen reports for benchmarks/reports.py.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate_reports.py \
        [--reports 1000000] [--citizens 20000]

Uses whatever database the environment points at, like generate.py (whose set-up and
residents it reuses): migrates it, runs `kotacerdas seed` (reference data, the 12 sample
report categories), then writes reports until there are N, each a Report with its Case
(kind "report") and the case's timeline. Running it again does nothing.

A million reports is too many for model instances and bulk_create (about 6 million rows in
all), so rows are built as tuples from the models' own field list and written with the
cursor's executemany, ids assigned here (PostgreSQL's sequences are moved past them at the
end). Columns are converted with the backend's own adapters, as the ORM would.

The mix is meant to look like a city that has used the platform for five years:

- points lie inside the real kelurahan boundaries (kotacerdas/data/blitar_wilayah.geojson,
  as seeded), denser towards the centre, from a pool of points drawn by rejection sampling
  with the same point-in-polygon test the platform uses (reports cluster on the same spots);
  each report's kelurahan is the one that contains its point;
- submission dates cover the last five years, more of them recent (use grows);
- categories are weighted (potholes, street lights and rubbish first), each routed to its
  category's agency; privacy 70% public, 22% anonymous, 8% confidential; channel web 80%,
  Open311 15%, Wi-Fi portal 5% (Open311 reports have no account behind them, or are
  anonymous when they do, as open311_request_submit makes them);
- each case follows the report workflow (SP4N-LAPOR!): verified within days (about 5%
  rejected as spam instead), some closed as not the city's responsibility, no action or
  duplicate (pointing at an earlier report of the same category), the rest answered and
  then closed by the reporter or automatically after 10 working days, a few reopened, 2%
  forgotten: old reports are closed, recent ones open.

No photos, supports, subscriptions, audit rows or outbox messages are written (the
`supporters` counter is set, its Support rows are not): the generator does not go through
the actions, on purpose.
"""

import argparse
import random
import secrets
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import ensure_citizens, setup_django  # noqa: E402

BATCH = 20_000
SPAN_DAYS = 5 * 365
POINT_POOL = 60_000

# Relative frequency per category (kotacerdas/data/report_categories.json).
DEMAND = {
    "jalan-rusak": 18, "lampu-jalan-mati": 14, "sampah-tidak-diangkut": 14, "saluran-tersumbat": 12,
    "ketertiban-umum": 8, "trotoar-rusak": 6, "fasilitas-umum": 6, "pohon-tumbang": 5, "wifi-mati": 5,
    "rambu-lalu-lintas": 4, "pencemaran": 4, "pelayanan-kantor": 4,
}
DESCRIPTIONS = [
    "Sudah sekitar seminggu, mohon segera ditangani.",
    "Berbahaya bagi pengendara motor terutama malam hari.",
    "Sudah pernah dilaporkan ke RT tapi belum ada tindak lanjut.",
    "Lokasi dekat sekolah, banyak anak-anak lewat.",
    "Kondisinya makin parah setelah hujan kemarin.",
    "Mohon dicek, warga sekitar terganggu.",
]
STREETS = ["Jl. Merdeka", "Jl. Kalimantan", "Jl. Sudanco Supriyadi", "Jl. Anjasmoro", "Jl. Mastrip",
           "Jl. Ciliwung", "Jl. Tanjung", "Jl. Kenari", "Jl. Veteran", "Jl. Cokroaminoto"]
LANDMARKS = ["depan masjid", "dekat pasar", "sebelah SD", "depan toko", "pertigaan", "dekat jembatan"]
ANSWERS = [
    "Terima kasih atas laporannya. Petugas sudah memperbaiki masalah di lokasi.",
    "Sudah kami tangani bersama petugas kelurahan. Bila belum selesai, silakan buka kembali.",
    "Perbaikan sudah dikerjakan hari ini. Terima kasih atas partisipasinya.",
]
NOT_RESPONSIBLE = ["Jalan nasional, kewenangan BBPJN Jawa Timur.", "Jaringan milik PLN, sudah kami teruskan."]
NO_ACTION = ["Lokasi tidak ditemukan saat cek lapangan.", "Masalah sudah tidak ada saat petugas datang."]
SPAM = ["Bukan pengaduan.", "Isi laporan tidak pantas."]
REOPEN = ["Belum diperbaiki, lubangnya masih ada.", "Lampunya mati lagi sejak kemarin."]


def point_pool(rng: random.Random, kelurahan: list[dict], size: int) -> list[tuple[float, float, int]]:
    """(lat, lon, kelurahan id) inside the kelurahan boundaries, denser towards the centre."""
    from kotacerdas.lib.geo import geometry_bbox, geometry_contains

    shapes = [(k["id"], geometry_bbox(k["boundary"]), k["boundary"]) for k in kelurahan if k["boundary"]]
    min_lon = min(box[0] for _pk, box, _b in shapes)
    min_lat = min(box[1] for _pk, box, _b in shapes)
    max_lon = max(box[2] for _pk, box, _b in shapes)
    max_lat = max(box[3] for _pk, box, _b in shapes)
    mid_lat, mid_lon = (min_lat + max_lat) / 2, (min_lon + max_lon) / 2
    points = []
    while len(points) < size:
        lat = rng.gauss(mid_lat, (max_lat - min_lat) / 3)
        lon = rng.gauss(mid_lon, (max_lon - min_lon) / 3)
        for pk, (x1, y1, x2, y2), boundary in shapes:
            if x1 <= lon <= x2 and y1 <= lat <= y2 and geometry_contains(boundary, lon, lat):
                points.append((round(lat, 6), round(lon, 6), pk))
                break
    return points


def _datetime_adapter(connection):
    """What ops.adapt_datetimefield_value does, without its per-value checks: every datetime
    here is aware. SQLite stores naive UTC text, PostgreSQL takes the aware value."""
    from datetime import UTC

    if connection.vendor == "sqlite":
        return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value


def _json_adapter(field, connection):
    empty = {"{}": field.get_db_prep_save({}, connection), "[]": field.get_db_prep_save([], connection)}

    def convert(value):
        if not value and isinstance(value, dict | list):
            return empty["{}" if isinstance(value, dict) else "[]"]
        return field.get_db_prep_save(value, connection)

    return convert


class Rows:
    """INSERT statements for a model, rows built from dicts of attribute values (missing ones
    take the field's default) and converted with the backend's adapters."""

    def __init__(self, model, connection):
        from django.db import models

        qn = connection.ops.quote_name
        self.fields = list(model._meta.concrete_fields)
        columns = ", ".join(qn(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Identifiers from the model's own meta, quoted by the backend; values are parameters.
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        ops = connection.ops
        self.columns: list[tuple[str, object, object]] = []
        for field in self.fields:
            convert: object = None
            if isinstance(field, models.DateTimeField):
                convert = _datetime_adapter(connection)
            elif isinstance(field, models.DateField):
                convert = ops.adapt_datefield_value
            elif isinstance(field, models.JSONField):
                convert = _json_adapter(field, connection)
            self.columns.append((field.attname, field.get_default(), convert))
        self.rows: list[tuple] = []

    def add(self, values: dict) -> None:
        row = []
        for name, default, convert in self.columns:
            value = values.get(name, default)
            row.append(convert(value) if convert is not None and value is not None else value)  # type: ignore[operator]
        self.rows.append(tuple(row))

    def write(self, cursor) -> int:
        count = len(self.rows)
        if self.rows:
            cursor.executemany(self.sql, self.rows)
        self.rows = []
        return count


class Planner:
    """One report's case, report and timeline, following the report workflow."""

    def __init__(self, rng: random.Random, ctx: dict, now: datetime):
        from django.utils import timezone

        from kotacerdas.cases.models import CaseEvent, Status
        from kotacerdas.reports.models import CloseReason, Privacy

        self.rng, self.ctx, self.now = rng, ctx, now
        self.S, self.T, self.R, self.P = Status, CaseEvent.Type, CloseReason, Privacy
        self.due_cache: dict = {}
        self.tz = timezone.get_current_timezone()
        self.recent: dict[int, list[int]] = {}  # per category: some earlier report ids

    def due(self, moment: datetime, days: int):
        from kotacerdas.lib.workdays import add_workdays

        day = moment.astimezone(self.tz).date()
        key = (day, days)
        if key not in self.due_cache:
            self.due_cache[key] = add_workdays(day, days, self.ctx["holidays"])
        return self.due_cache[key]

    def plan(self, report_id: int, case_id: int) -> tuple[dict, dict, list[dict]]:
        rng, ctx, now, S, T, R = self.rng, self.ctx, self.now, self.S, self.T, self.R
        category = rng.choices(ctx["categories"], cum_weights=ctx["category_weights"])[0]
        lat, lon, kelurahan_id = rng.choice(ctx["points"])
        created = now - timedelta(days=SPAN_DAYS * (1 - rng.random() ** 0.5))
        channel = rng.choices(("web", "open311", "wifi"), weights=(80, 15, 5))[0]
        privacy = rng.choices((self.P.PUBLIC, self.P.ANONYMOUS, self.P.CONFIDENTIAL), weights=(70, 22, 8))[0]
        reporter = rng.choice(ctx["citizens"])
        if channel == "open311":
            if rng.random() < 0.6:
                reporter = None
            elif privacy == self.P.PUBLIC:
                privacy = self.P.ANONYMOUS
        officer = None  # officers are not generated: actions by staff have no actor here

        status, at = S.SUBMITTED, created
        sla, due = category["verify"], self.due(created, category["verify"])
        resolved_at = answered_at = autoclose_on = None
        close_reason, duplicate_of = "", None
        updated = created
        events = [{"type": T.STATUS, "is_public": True, "at": created, "actor_id": reporter,
                   "from_status": "", "to_status": S.SUBMITTED}]

        def move(delay_days: float, new: str, text: str = "", data: dict | None = None,
                 by_citizen: bool = False) -> bool:
            nonlocal status, at, resolved_at, updated
            when = at + timedelta(days=delay_days)
            if when > now:
                return False
            events.append({"type": T.STATUS, "is_public": True, "at": when,
                           "actor_id": reporter if by_citizen else officer, "from_status": status,
                           "to_status": new, "text": text, "data": data or {}})
            if new in ctx["final"]:
                resolved_at = resolved_at if status in ctx["final"] and resolved_at else when
            else:
                resolved_at = None
            status, at, updated = new, when, when
            return True

        fate = rng.random()
        if fate < 0.05:  # spam, rejected at verification
            move(rng.uniform(0.05, 3), S.REJECTED, rng.choice(SPAM))
        elif move(rng.uniform(0.05, 3), S.VERIFIED):
            sla, due = category["followup"], self.due(at, category["followup"])
            if rng.random() < 0.3:
                events.append({"type": T.ASSIGN, "is_public": False,
                               "at": min(at + timedelta(minutes=5), now),
                               "data": {"assignee": "Petugas lapangan"}})
            if fate < 0.12:
                move(rng.uniform(0.5, 5), S.CLOSED, rng.choice(NOT_RESPONSIBLE),
                     {"close_reason": R.NOT_RESPONSIBLE})
                close_reason = R.NOT_RESPONSIBLE if status == S.CLOSED else ""
            elif fate < 0.16:
                move(rng.uniform(1, 10), S.CLOSED, rng.choice(NO_ACTION), {"close_reason": R.NO_ACTION})
                close_reason = R.NO_ACTION if status == S.CLOSED else ""
            elif fate < 0.19 and self.recent.get(category["id"]):
                into = rng.choice(self.recent[category["id"]])
                if move(rng.uniform(0.1, 3), S.CLOSED, "Sama dengan laporan lain yang sedang ditangani.",
                        {"close_reason": R.DUPLICATE}):
                    close_reason, duplicate_of = R.DUPLICATE, into
            elif fate < 0.21:
                if rng.random() < 0.5:
                    move(rng.uniform(0.1, 3), S.IN_PROGRESS)
                # forgotten: stays open, the overdue backlog
            else:
                for round_no in range(2):
                    if rng.random() < 0.6 and not move(rng.uniform(0.1, 3), S.IN_PROGRESS):
                        break
                    # Working days to the answer, around the follow-up standard, a long tail.
                    if not move(rng.lognormvariate(1.3, 0.7), S.RESOLVED, rng.choice(ANSWERS),
                                {"answer": True}):
                        break
                    answered_at = answered_at or at
                    autoclose_on = self.due(at, category["autoclose"])
                    roll = rng.random()
                    if reporter is not None and roll < 0.35:
                        confirmed = {"close_reason": R.FIXED}
                        if move(rng.uniform(0.2, 8), S.CLOSED, "", confirmed, by_citizen=True):
                            close_reason, autoclose_on = R.FIXED, None
                        break
                    if reporter is not None and roll < 0.40 and round_no == 0:
                        reopened = {"reopened": True}
                        if not move(rng.uniform(0.5, 9), S.IN_PROGRESS, rng.choice(REOPEN), reopened,
                                    by_citizen=True):
                            break
                        sla, autoclose_on = category["followup"], None
                        due = self.due(at, sla)
                        continue
                    closed_at = datetime.combine(autoclose_on, datetime.min.time(), tzinfo=self.tz)
                    # The worker closes it in the early morning of that day.
                    delay = (closed_at - at).total_seconds() / 86_400 + rng.uniform(0.01, 0.1)
                    if move(delay, S.CLOSED, "", {"close_reason": R.FIXED, "automatic": True}):
                        close_reason, autoclose_on = R.FIXED, None
                    break
        if status not in ctx["final"] and rng.random() < 0.15:
            events.append({"type": T.NOTE, "is_public": False, "at": min(at + timedelta(hours=3), now),
                           "text": "Cek lapangan dijadwalkan."})

        recent = self.recent.setdefault(category["id"], [])
        if privacy != self.P.CONFIDENTIAL and status != S.REJECTED and len(recent) < 50:
            recent.append(report_id)
        elif recent and rng.random() < 0.02:
            recent[rng.randrange(len(recent))] = report_id
        case = {
            "id": case_id, "kind": "report", "title": category["name"], "citizen_id": reporter,
            "agency_id": category["agency_id"], "assignee_id": None, "status": status,
            "priority": rng.choices(("normal", "high", "urgent"), weights=(90, 8, 2))[0],
            "kelurahan_id": kelurahan_id, "lat": lat, "lon": lon, "sla_workdays": sla,
            "submitted_at": created, "due_date": due, "paused_since": None, "resolved_at": resolved_at,
            "updated_at": max(e["at"] for e in events),
        }
        attributes = {}
        if category["code"] == "jalan-rusak" and rng.random() < 0.7:
            attributes["ukuran"] = rng.choice(("kecil", "sedang", "besar"))
        report = {
            "id": report_id, "case_id": case_id, "category_id": category["id"],
            "description": f"{category['name']}. {rng.choice(DESCRIPTIONS)}", "lat": lat, "lon": lon,
            "kelurahan_id": kelurahan_id,
            "address": f"{rng.choice(STREETS)} {rng.choice(LANDMARKS)}" if rng.random() < 0.7 else "",
            "privacy": privacy, "reporter_id": reporter, "attributes": attributes, "channel": channel,
            "submission_key": secrets.token_urlsafe(18) if channel == "web" else "",
            "close_reason": close_reason, "duplicate_of_id": duplicate_of,
            "supporters": min(int(rng.expovariate(1.2)), 40) if rng.random() < 0.2 else 0,
            "answered_at": answered_at, "autoclose_on": autoclose_on, "created_at": created,
            "updated_at": updated,
        }
        return case, report, events


def generate(total: int, citizens: int, seed: int) -> None:
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from kotacerdas.cases.models import FINAL_STATUSES, Case, CaseEvent
    from kotacerdas.cases.queries import holiday_dates
    from kotacerdas.lib.trackcode import new_code
    from kotacerdas.regions.models import Region
    from kotacerdas.reports.models import Category, Report

    started = time.perf_counter()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed")
    existing = Report.objects.count()
    if existing >= total:
        print(f"{existing:,} reports already there (wanted {total:,}): nothing to do")
        describe()
        return

    rng = random.Random(seed + existing)
    citizen_ids = ensure_citizens(citizens)
    categories = [
        {"id": c.pk, "code": c.code, "name": c.name, "agency_id": c.agency_id, "verify": c.verify_workdays,
         "followup": c.followup_workdays, "autoclose": c.autoclose_workdays}
        for c in Category.objects.filter(is_active=True).order_by("order", "code")
    ]
    weights, running = [], 0.0
    for category in categories:
        running += DEMAND.get(category["code"], 2)
        weights.append(running)
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).values("id", "code", "boundary"))
    points = point_pool(rng, kelurahan, min(POINT_POOL, max(total // 4, 1_000)))
    ctx = {"categories": categories, "category_weights": weights, "points": points,
           "citizens": citizen_ids, "holidays": holiday_dates(), "final": set(FINAL_STATUSES)}
    print(f"points: {len(points):,} inside {len(kelurahan)} kelurahan "
          f"({time.perf_counter() - started:.1f}s)", flush=True)

    codes = set(Case.objects.values_list("tracking_code", flat=True))
    next_case = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    next_report = (Report.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    next_event = (CaseEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    planner = Planner(rng, ctx, timezone.now())
    cases, reports, timeline = Rows(Case, connection), Rows(Report, connection), Rows(CaseEvent, connection)
    todo = total - existing
    print(f"creating {todo:,} reports (already {existing:,}), {len(categories)} categories, "
          f"{len(citizen_ids):,} residents", flush=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throwaway benchmark database: speed over safety
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    made = made_events = 0
    while made < todo:
        size = min(BATCH, todo - made)
        for _ in range(size):
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            case, report, events = planner.plan(next_report, next_case)
            case["tracking_code"] = code
            cases.add(case)
            reports.add(report)
            for event in events:
                event["id"], event["case_id"] = next_event, next_case
                timeline.add(event)
                next_event += 1
            next_case += 1
            next_report += 1
        with transaction.atomic(), connection.cursor() as cursor:
            cases.write(cursor)
            reports.write(cursor)
            made_events += timeline.write(cursor)
        made += size
        print(f"  {existing + made:>9,} reports  {time.perf_counter() - started:6.1f}s", flush=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent, Report]):
            cursor.execute(statement)  # PostgreSQL: the ids written here are taken
        cursor.execute("ANALYZE")  # fresh planner statistics on both engines
    elapsed = time.perf_counter() - started
    print(f"created {made:,} reports and {made_events:,} events in {elapsed:.1f}s "
          f"({made / elapsed:,.0f} reports/s)")
    describe()


def describe() -> None:
    """What the benchmark will see: sizes, the mix, public reports per kelurahan and in 90 days."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from kotacerdas.cases.models import Case, CaseEvent
    from kotacerdas.reports.models import Report
    from kotacerdas.reports.queries import OPEN_STATUSES, PUBLIC

    reports = Report.objects
    total = reports.count()
    statuses = dict(Case.objects.filter(kind="report").values_list("status").annotate(n=Count("id")))
    privacy = dict(reports.values_list("privacy").annotate(n=Count("id")))
    public = reports.filter(PUBLIC)
    per_kelurahan = sorted(n for _k, n in public.values_list("kelurahan").annotate(n=Count("id")))
    recent = public.filter(created_at__gte=timezone.now() - timedelta(days=90))
    recent_open = recent.filter(case__status__in=OPEN_STATUSES).count()
    first = reports.order_by("created_at").values_list("created_at", flat=True).first()
    print(f"reports {total:,} (since {first:%Y-%m-%d}), cases {Case.objects.count():,}, "
          f"events {CaseEvent.objects.count():,}")
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items(), key=lambda x: -x[1])))
    print("privacy: " + ", ".join(f"{k} {v:,}" for k, v in sorted(privacy.items(), key=lambda x: -x[1])))
    if per_kelurahan:
        print(f"public {public.count():,}; per kelurahan {per_kelurahan[0]:,} to {per_kelurahan[-1]:,} "
              f"(median {per_kelurahan[len(per_kelurahan) // 2]:,}); in the last 90 days {recent.count():,}, "
              f"{recent_open:,} of them open")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000,
                        help="reports wanted in all (default 1000000)")
    parser.add_argument("--citizens", type=int, default=20_000, help="generated residents (default 20000)")
    parser.add_argument("--seed", type=int, default=2027, help="random seed for the mix (codes are random)")
    args = parser.parse_args()
    setup_django()
    generate(args.reports, args.citizens, args.seed)


if __name__ == "__main__":
    main()
