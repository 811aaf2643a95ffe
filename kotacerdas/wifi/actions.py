"""The hotspot registry and a resident's report of a dead point. Monitoring's actions are in
monitoring.py, RADIUS accounting's in radius/actions.py."""

import csv
import io
import ipaddress
import re
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import audit_record
from kotacerdas.cases.models import FINAL_STATUSES
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import locate
from kotacerdas.reports.actions import report_submit, report_support
from kotacerdas.reports.errors import ReportError
from kotacerdas.reports.queries import category_by_code
from kotacerdas.wifi.errors import HotspotInvalid, ImportRejected, NotReportable, WifiError
from kotacerdas.wifi.models import Hotspot, HotspotReport, ProbeKind

# The registry's columns, in the order of the CSV the field team exchanges.
CSV_COLUMNS = [
    "code", "name", "kelurahan", "rw", "rt", "lat", "lon", "address", "nas_ip", "nas_identifier",
    "called_station_id", "wispr_location_id", "management_address", "probe_kind", "probe_port",
    "backhaul", "bandwidth_mbps", "installed_on", "status",
]
TEXT_FIELDS = {
    "name": 120, "address": 200, "nas_identifier": 64, "called_station_id": 64, "wispr_location_id": 64,
    "management_address": 200, "backhaul": 60,
}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
# Codes that would be read as the staff pages' own addresses (/wifi/kelola/).
RESERVED_CODES = {"kelola"}
REPORT_CATEGORY = "wifi-mati"


def _kelurahan(value: str) -> Region | None:
    value = value.strip()
    found = Region.objects.filter(level=Region.Level.KELURAHAN, code=value).first()
    return found or Region.objects.filter(level=Region.Level.KELURAHAN, name__iexact=value).first()


def _number(value: str, field: str, errors: dict, *, kind=float, low=None, high=None):
    try:
        number = kind(str(value).strip().replace(",", ".") if kind is float else str(value).strip())
    except ValueError:
        errors[field] = _("Harus berupa angka.")
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        errors[field] = _("Di luar rentang yang diperbolehkan.")
        return None
    return number


def clean_hotspot(data: dict[str, Any]) -> dict[str, Any]:
    """Check one hotspot's fields as typed in a form or a CSV row; raise HotspotInvalid with
    a message per field, else return the values to store."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    raw = {key: ("" if data.get(key) is None else str(data.get(key))).strip() for key in CSV_COLUMNS}
    if not CODE.match(raw["code"]):
        errors["code"] = _("Kode wajib diisi: huruf, angka, tanda - atau _, paling banyak 40 karakter.")
    elif raw["code"].lower() in RESERVED_CODES:
        errors["code"] = _("Kode ini dipakai sistem; pilih kode lain.")
    values["code"] = raw["code"]
    if not raw["name"]:
        errors["name"] = _("Nama titik wajib diisi.")
    for field, limit in TEXT_FIELDS.items():
        if len(raw[field]) > limit:
            errors[field] = _("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": limit}
        values[field] = raw[field]
    lat = _number(raw["lat"], "lat", errors, low=-90, high=90) if raw["lat"] else None
    lon = _number(raw["lon"], "lon", errors, low=-180, high=180) if raw["lon"] else None
    if raw["lat"] == "" or raw["lon"] == "":
        errors["lat"] = _("Lintang dan bujur wajib diisi (titik desimal, mis. -8.0954 dan 112.1609).")
    elif lat is not None and lon is not None:
        located = locate(lat, lon)
        if located is None:
            errors["lat"] = _("Koordinat ini berada di luar Kota Blitar.")
        values["lat"], values["lon"] = lat, lon
        kelurahan = _kelurahan(raw["kelurahan"]) if raw["kelurahan"] else located
        if kelurahan is None:
            errors["kelurahan"] = _("Kelurahan tidak dikenal: tulis nama atau kode Kemendagri-nya.")
        values["kelurahan"] = kelurahan
    for field, width in (("rw", 2), ("rt", 3)):
        if raw[field] and not raw[field].isdigit():
            errors[field] = _("Tulis nomornya saja, mis. 3.")
        values[field] = raw[field].zfill(width) if raw[field].isdigit() else ""
    if raw["nas_ip"]:
        try:
            values["nas_ip"] = str(ipaddress.ip_address(raw["nas_ip"]))
        except ValueError:
            errors["nas_ip"] = _("Bukan alamat IP yang sah.")
    else:
        values["nas_ip"] = None
    kind = raw["probe_kind"] or ProbeKind.ICMP
    if kind not in ProbeKind.values:
        errors["probe_kind"] = _("Jenis probe: %(kinds)s.") % {"kinds": ", ".join(ProbeKind.values)}
    values["probe_kind"] = kind
    if kind in (ProbeKind.ICMP, ProbeKind.TCP, ProbeKind.HTTP) and not raw["management_address"]:
        errors["management_address"] = _("Probe %(kind)s perlu alamat manajemen.") % {"kind": kind}
    values["probe_port"] = (
        _number(raw["probe_port"], "probe_port", errors, kind=int, low=1, high=65535)
        if raw["probe_port"] else None
    )
    values["bandwidth_mbps"] = (
        _number(raw["bandwidth_mbps"], "bandwidth_mbps", errors, kind=int, low=0, high=100_000)
        if raw["bandwidth_mbps"] else None
    )
    values["installed_on"] = None
    if raw["installed_on"]:
        try:
            values["installed_on"] = date.fromisoformat(raw["installed_on"])
        except ValueError:
            errors["installed_on"] = _("Tanggal ditulis TTTT-BB-HH, mis. 2022-04-01.")
    status = raw["status"] or Hotspot.Status.ACTIVE
    if status not in Hotspot.Status.values:
        errors["status"] = _("Status: %(statuses)s.") % {"statuses": ", ".join(Hotspot.Status.values)}
    values["status"] = status
    if errors:
        raise HotspotInvalid(errors)
    return values


def _snapshot(hotspot: Hotspot) -> dict[str, Any]:
    return {field: getattr(hotspot, field) for field in CSV_COLUMNS if field != "kelurahan"} | {
        "kelurahan": hotspot.kelurahan_id
    }


@transaction.atomic
def hotspot_save(
    *, actor, data: dict[str, Any], hotspot: Hotspot | None = None, is_demo: bool | None = None
) -> Hotspot:
    """Add a hotspot, or change one (found by its code when not given). `is_demo` marks
    sample points that the city replaces with its own."""
    values = clean_hotspot(data)
    if hotspot is None:
        hotspot = Hotspot.objects.select_for_update().filter(code=values["code"]).first()
    elif values["code"] != hotspot.code and Hotspot.objects.filter(code=values["code"]).exists():
        raise HotspotInvalid({"code": _("Kode ini sudah dipakai titik lain.")})
    before = _snapshot(hotspot) if hotspot else {}
    created = hotspot is None
    hotspot = hotspot or Hotspot()
    for field, value in values.items():
        setattr(hotspot, field, value)
    hotspot.updated_at = timezone.now()
    if is_demo is not None:
        hotspot.is_demo = is_demo
    if hotspot.status != Hotspot.Status.ACTIVE:
        hotspot.failures, hotspot.first_failure_at = 0, None
    hotspot.save()
    audit_record(actor=actor, action="hotspot_add" if created else "hotspot_change", obj=hotspot,
                 before=before, after=_snapshot(hotspot))
    _search_update(hotspot)
    return hotspot


def _search_update(hotspot: Hotspot) -> None:
    from kotacerdas.search.actions import entry_drop, entry_put
    from kotacerdas.wifi.queries import search_documents

    if hotspot.status == Hotspot.Status.RETIRED:
        entry_drop(f"hotspot:{hotspot.pk}")
    else:
        for document in search_documents(Hotspot.objects.filter(pk=hotspot.pk)):
            entry_put(document)


def _rows(content: bytes | str) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig", errors="strict") if isinstance(content, bytes) else content
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = {"code", "name", "lat", "lon"} - {(name or "").strip() for name in reader.fieldnames or []}
    if missing:
        message = _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        raise ImportRejected([(1, message)])
    return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


@transaction.atomic
def hotspots_import_csv(*, actor, content: bytes | str) -> dict[str, int]:
    """Add and change hotspots from the field team's CSV, all or nothing: a file with any bad
    row changes nothing and says which line is wrong and why."""
    try:
        rows = _rows(content)
    except UnicodeDecodeError:
        raise ImportRejected([(1, _("Berkas harus CSV dengan pengodean UTF-8."))]) from None
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    cleaned = []
    for line, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if code in seen:
            message = _("Kode %(code)s sudah ada di baris %(line)s.") % {"code": code, "line": seen[code]}
            errors.append((line, message))
            continue
        seen[code] = line
        try:
            cleaned.append(clean_hotspot(row))
        except HotspotInvalid as error:
            for field, message in error.errors.items():
                errors.append((line, f"{field}: {message}"))
    if errors:
        raise ImportRejected(errors)
    existing = {h.code: h for h in Hotspot.objects.select_for_update().filter(code__in=seen)}
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for values in cleaned:
        hotspot = existing.get(values["code"])
        if hotspot is not None and all(getattr(hotspot, f) == v for f, v in values.items()):
            counts["unchanged"] += 1
            continue
        hotspot_save(actor=actor, data={**values, "kelurahan": values["kelurahan"].code}, hotspot=hotspot)
        counts["changed" if hotspot else "added"] += 1
    return counts


def hotspot_as_row(hotspot: Hotspot) -> dict[str, Any]:
    """A hotspot's registry fields as clean_hotspot reads them (a CSV row, a form's data)."""
    row = {}
    for field in CSV_COLUMNS:
        value = hotspot.kelurahan.code if field == "kelurahan" else getattr(hotspot, field)
        row[field] = "" if value is None else value
    return row


def hotspots_export_csv(hotspots) -> str:
    """The registry as the CSV hotspots_import_csv reads back."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for hotspot in hotspots.select_related("kelurahan"):
        writer.writerow(hotspot_as_row(hotspot))
    return out.getvalue()


@transaction.atomic
def hotspot_device_key_rotate(*, actor, hotspot: Hotspot) -> str:
    """A new key for the router to push NetJSON with; the old one stops working. Shown once."""
    raw, digest = Hotspot.new_device_key()
    Hotspot.objects.filter(pk=hotspot.pk).update(device_key_hash=digest, updated_at=timezone.now())
    hotspot.device_key_hash = digest
    audit_record(actor=actor, action="hotspot_device_key_rotate", obj=hotspot, after={"device_key": "***"})
    return raw


def open_report_of(hotspot: Hotspot) -> HotspotReport | None:
    return (
        HotspotReport.objects.filter(hotspot=hotspot)
        .exclude(report__case__status__in=FINAL_STATUSES)
        .select_related("report__case")
        .order_by("created_at")
        .first()
    )


@transaction.atomic
def hotspot_report_dead(
    *, hotspot: Hotspot, reporter, submission_key: str = ""
) -> tuple[HotspotReport, bool]:
    """A resident says a point does not work. It becomes a citizen report in the Wi-Fi
    category, routed like any other; while one is open for the point, another resident's
    report supports it instead of opening a second case. Returns (link, created)."""
    # Lock the point: two residents tapping at once must not open two cases.
    hotspot = Hotspot.objects.select_for_update().get(pk=hotspot.pk)
    if hotspot.status == Hotspot.Status.RETIRED:
        raise NotReportable()
    existing = open_report_of(hotspot)
    if existing is not None:
        if reporter is not None and existing.report.reporter_id != reporter.pk:
            try:
                report_support(report=existing.report, user=reporter)
            except ReportError as error:
                raise WifiError(error.message) from error
        return existing, False
    category = category_by_code(REPORT_CATEGORY)
    if category is None:
        raise WifiError(_("Kategori pengaduan Wi-Fi belum disiapkan; hubungi admin."))
    # Officers read the case in the platform's language, whatever the resident's is.
    with translation.override(settings.LANGUAGE_CODE):
        description = _(
            "Titik Wi-Fi gratis %(name)s (%(code)s) tidak bisa dipakai. "
            "Status pemantauan saat dilaporkan: %(health)s."
        ) % {"name": hotspot.name, "code": hotspot.code, "health": hotspot.get_health_display()}
    try:
        report = report_submit(
            reporter=reporter,
            category=category,
            description=description,
            lat=hotspot.lat,
            lon=hotspot.lon,
            address=f"{hotspot.name} {hotspot.address}".strip(),
            channel="wifi",
            submission_key=submission_key if reporter is not None else "",
        )
    except ReportError as error:
        raise WifiError(error.message) from error
    link, created = HotspotReport.objects.get_or_create(report=report, defaults={"hotspot": hotspot})
    if created:
        audit_record(actor=reporter, action="hotspot_report_dead", obj=hotspot,
                     after={"report": report.case.tracking_code})
    return link, created
