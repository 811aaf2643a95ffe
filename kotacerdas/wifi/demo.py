"""Demo hotspots for `kotacerdas seed --demo`: two Internet RT points in each of the 21
kelurahan, added through the registry's action (so they are audited) and marked is_demo.

Their probes never leave this machine: most ask the platform's own /healthz over HTTP, so they
are "Menyala" while `make run` runs; three try TCP port 9 on 127.0.0.1, where nothing listens,
so they turn "Mati" after the tolerance and show what a dead point looks like."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kotacerdas.accounts.models import User
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import locate
from kotacerdas.wifi.actions import hotspot_save
from kotacerdas.wifi.models import Hotspot, ProbeKind

# The programme's start: Internet RT went live on Kota Blitar's Hari Jadi ke-116.
INSTALLED_ON = date(2022, 4, 1)
# Places a point stands at, (kind of place, with an RT number?).
PLACES = [("Balai RW", False), ("Pos Kamling", True), ("Musala", True), ("Taman baca RW", False),
          ("Pos Ronda", True), ("Posyandu", True), ("Lapangan voli RW", False)]
# About 70 to 170 m from the kelurahan's centre, in different directions for the two points.
OFFSETS = [(0.0012, -0.0010), (-0.0010, 0.0013), (0.0008, 0.0008), (-0.0007, -0.0009),
           (0.0006, 0.0), (-0.0006, 0.0), (0.0, 0.0007), (0.0, -0.0007)]
DEAD = {(3, 1), (10, 1), (17, 1)}  # (kelurahan index, point index): TCP to a closed port
MAINTENANCE = {(7, 1)}
ADMIN = "admin@pemkot.demo"


def _spot(kelurahan: Region, index: int, taken: set[tuple[float, float]]) -> tuple[float, float]:
    """Near the centre but inside the kelurahan (outlines are not convex), and not on top of
    the other point there."""
    lat0, lon0 = kelurahan.centroid_lat or 0.0, kelurahan.centroid_lon or 0.0
    start = index % len(OFFSETS)
    for dlat, dlon in OFFSETS[start:] + OFFSETS[:start]:
        spot = round(lat0 + dlat, 6), round(lon0 + dlon, 6)
        found = locate(*spot)
        if spot not in taken and found is not None and found.pk == kelurahan.pk:
            return spot
    return lat0, lon0


def _rows() -> list[dict]:
    rows = []
    taken: set[tuple[float, float]] = set()
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN, centroid_lat__isnull=False)
    for k, kel in enumerate(kelurahan.order_by("code")):
        for p in range(2):
            place, with_rt = PLACES[(k + p * 3) % len(PLACES)]
            rw = (k + 3 * p) % 9 + 1
            rt = (k + p) % 3 + 1
            name = f"{place} {rw:02d} {kel.name}"
            if with_rt:
                name = f"{place} RT {rt:02d} RW {rw:02d} {kel.name}"
            lat, lon = _spot(kel, k + p, taken)
            taken.add((lat, lon))
            dead = (k, p) in DEAD
            rows.append({
                "code": f"{slugify(kel.name).upper()}-RW{rw:02d}-RT{rt:03d}",
                "name": name,
                "kelurahan": kel.code,
                "rw": str(rw),
                "rt": str(rt),
                "lat": lat,
                "lon": lon,
                "address": f"{place} RW {rw:02d}",
                "nas_identifier": f"rt-{kel.code.replace('.', '')[-4:]}-{rw:02d}{rt:02d}",
                "called_station_id": f"hs-{kel.name.lower()}-rw{rw:02d}",
                "management_address": "127.0.0.1" if dead else f"{settings.SITE_URL}/healthz",
                "probe_kind": ProbeKind.TCP if dead else ProbeKind.HTTP,
                "probe_port": 9 if dead else "",  # discard: nothing listens on the demo machine
                "backhaul": "fiber optik",
                "bandwidth_mbps": 20,
                "installed_on": INSTALLED_ON.isoformat(),
                "status": Hotspot.Status.MAINTENANCE if (k, p) in MAINTENANCE else Hotspot.Status.ACTIVE,
            })
    return rows


@transaction.atomic
def demo_hotspots() -> int:
    """Add the demo hotspots that are not there yet; returns how many were added."""
    actor = User.objects.filter(email=ADMIN).first()
    existing = set(Hotspot.objects.values_list("code", flat=True))
    added = []
    for row in _rows():
        if row["code"] in existing:
            continue
        added.append(hotspot_save(actor=actor, data=row, is_demo=True))
    # The demo points probe this platform's own /healthz; `kotacerdas up --port` may have
    # moved it since they were made.
    Hotspot.objects.filter(is_demo=True, probe_kind=ProbeKind.HTTP).exclude(
        management_address=f"{settings.SITE_URL}/healthz"
    ).update(management_address=f"{settings.SITE_URL}/healthz")
    _first_probe(added)
    return len(added)


def _first_probe(hotspots: list[Hotspot]) -> None:
    """One good probe for the HTTP points, so the public map is not all "Belum diketahui"
    between seeding and the worker's first round (which will confirm or correct it)."""
    try:
        from kotacerdas.wifi.monitoring import probe_record
        from kotacerdas.wifi.probes import Result
    except ImportError:  # monitoring not installed: the worker's first round sets health
        return
    now = timezone.now()
    for hotspot in hotspots:
        if hotspot.probe_kind == ProbeKind.HTTP and hotspot.status == Hotspot.Status.ACTIVE:
            probe_record(hotspot=hotspot, result=Result(ok=True, rtt_ms=1.0), at=now)


DEMO_USERS = 400


def demo_usage(days: int = 14) -> int:
    """Two weeks of RADIUS sessions at the demo points, imported as a radacct export would be
    and rolled up, so the operators' dashboard has something to show. Returns the sessions
    added; none when demo sessions are already there."""
    from kotacerdas.wifi.models import Session
    from kotacerdas.wifi.radius.actions import sessions_import, usage_rollup

    if Session.objects.filter(unique_id__startswith="demo-").exists():
        return 0
    points = list(Hotspot.objects.filter(is_demo=True, status=Hotspot.Status.ACTIVE).order_by("code"))
    today = timezone.localdate()
    rows = []
    for n, point in enumerate(points):
        for back in range(days, -1, -1):
            day = today - timedelta(days=back)
            # Some points are busier than others, and weekends busier than weekdays.
            count = 6 + (n * 7 + back * 3) % 14 + (6 if day.weekday() >= 5 else 0)
            for k in range(count):
                begins = datetime.combine(
                    day, time(7, 0), tzinfo=timezone.get_default_timezone()
                ) + timedelta(minutes=(k * 53 + n * 17) % (15 * 60))
                if begins > timezone.now():
                    continue
                minutes = 10 + (k * 29 + n) % 110
                user = (n * 31 + k // 2 * 7 + back) % DEMO_USERS  # most come back later that day
                rows.append(
                    {
                        "acctuniqueid": f"demo-{point.code}-{day:%Y%m%d}-{k}",
                        "acctsessionid": f"{n:03x}{back:02x}{k:03x}",
                        "username": f"demo-warga-{user}",
                        "callingstationid": f"02-00-00-00-{user // 256:02X}-{user % 256:02X}",
                        "nasidentifier": point.nas_identifier,
                        "calledstationid": point.called_station_id,
                        "acctstarttime": begins.isoformat(),
                        "acctstoptime": (begins + timedelta(minutes=minutes)).isoformat(),
                        "acctsessiontime": minutes * 60,
                        "acctinputoctets": minutes * 400_000,
                        "acctoutputoctets": minutes * 3_500_000,
                        "acctterminatecause": "User-Request",
                    }
                )
    summary = sessions_import(rows)
    for day in sorted(summary.days):
        usage_rollup(day=day)
    return summary.saved
