import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.lib import svgchart
from kotacerdas.lib.geo import haversine_m
from kotacerdas.regions.models import Region
from kotacerdas.reports.errors import ReportError
from kotacerdas.wifi import actions, uptime
from kotacerdas.wifi.errors import HotspotInvalid, ImportRejected, WifiError
from kotacerdas.wifi.forms import HotspotForm, ImportForm, ManageFilterForm, NearbyForm
from kotacerdas.wifi.models import DeviceStatus, Health, Hotspot, HotspotReport, Incident
from kotacerdas.wifi.queries import is_network_operator

PAGE_SIZE = 20
MANAGE_PAGE_SIZE = 50
# What a resident's page may read of a hotspot; nothing of how the router is reached.
PUBLIC_FIELDS = ["code", "name", "kelurahan", "kelurahan__name", "kelurahan__code", "rw", "rt", "lat", "lon",
                 "address", "status", "health", "last_probe_at"]


# --- Residents ------------------------------------------------------------------------------


def _public_hotspots() -> QuerySet[Hotspot]:
    return (
        Hotspot.objects.exclude(status=Hotspot.Status.RETIRED)
        .select_related("kelurahan")
        .only(*PUBLIC_FIELDS)
    )


def _public_hotspot_or_404(code: str) -> Hotspot:
    hotspot = _public_hotspots().filter(code=code).first()
    if hotspot is None:
        raise Http404(_("Titik Wi-Fi tidak ditemukan."))
    return hotspot


def _state(hotspot: Hotspot) -> tuple[str, str]:
    """What a resident reads: maintenance wins over the last probe, which may still say ok."""
    if hotspot.status == Hotspot.Status.MAINTENANCE:
        return "maintenance", _("Dalam perawatan")
    return hotspot.health, str(Health(hotspot.health).label)


def _distance_text(metres: float) -> str:
    if metres < 1000:
        return _("%(m)s m") % {"m": number_format(round(metres / 10) * 10)}
    return _("%(km)s km") % {"km": number_format(metres / 1000, decimal_pos=1)}


@dataclass
class Origin:
    lat: float
    lon: float
    label: str


def _origin(request: HttpRequest, form: NearbyForm) -> Origin | None:
    """Where to measure from: the phone's position, else the chosen kelurahan's centre.
    Bad input says so in a message and the page carries on in alphabetical order."""
    if not request.GET:
        return None
    form.is_valid()
    data = form.cleaned_data
    if "lat" in request.GET or "lon" in request.GET:
        lat, lon = data.get("lat"), data.get("lon")
        if "lat" in form.errors or "lon" in form.errors or lat is None or lon is None:
            messages.warning(request, _("Lokasi Anda tidak terbaca. Coba lagi, atau pilih kelurahan Anda."))
        else:
            return Origin(lat, lon, _("lokasi Anda"))
    code = request.GET.get("kelurahan", "")
    if code:
        found = (
            Region.objects.filter(level=Region.Level.KELURAHAN, code=code, centroid_lat__isnull=False)
            .only("name", "centroid_lat", "centroid_lon").first()
            if "kelurahan" not in form.errors else None
        )
        if found is None:
            messages.warning(request, _("Kelurahan itu tidak kami kenal. Pilih dari daftar."))
        else:
            return Origin(found.centroid_lat or 0.0, found.centroid_lon or 0.0,
                          _("pusat Kelurahan %(name)s") % {"name": found.name})
    return None


@dataclass
class Row:
    """One hotspot as a resident's list shows it."""

    hotspot: Hotspot
    state: str
    state_label: str
    distance: float | None = None
    # One per form: a retry of the same tap repeats it, a tap on another point does not.
    submission_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def distance_text(self) -> str:
        return "" if self.distance is None else _distance_text(self.distance)

    @property
    def checked(self) -> str:
        at = self.hotspot.last_probe_at
        if at is None:
            return _("belum pernah dicek")
        if timezone.now() - at < timedelta(minutes=1):
            return _("baru saja dicek")
        return _("dicek %(ago)s lalu") % {"ago": timesince(at, depth=1)}


def _row(hotspot: Hotspot, origin: Origin | None = None) -> Row:
    state, label = _state(hotspot)
    distance = haversine_m(origin.lat, origin.lon, hotspot.lat, hotspot.lon) if origin else None
    return Row(hotspot, state, label, distance)


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """'Wi-Fi gratis terdekat': the list first, rendered on the server for slow phones; the
    map below it is an extra. Distances are computed in Python: a city has about a thousand
    points, and plain SQLite has no geometry."""
    form = NearbyForm(request.GET or None)
    origin = _origin(request, form)
    # Ordered on a few columns of every point, then only the page's twenty are loaded whole:
    # model instances and display texts for a thousand points cost more than the sorting.
    places = list(
        Hotspot.objects.exclude(status=Hotspot.Status.RETIRED)
        .values_list("pk", "lat", "lon", "kelurahan__name", "name", "code")
    )
    if origin is not None:
        places.sort(key=lambda p: (haversine_m(origin.lat, origin.lon, p[1], p[2]), p[5]))
    else:
        places.sort(key=lambda p: (p[3], p[4], p[5]))
    page: Any = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    on_page = _public_hotspots().in_bulk([p[0] for p in page.object_list])
    page.object_list = [_row(on_page[p[0]], origin) for p in page.object_list if p[0] in on_page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "origin": origin,
        "page": page,
        "query": query.urlencode(),
        # Only officers can be operators: residents' pages cost no extra query.
        "can_manage": request.user.is_authenticated and request.user.is_officer
        and is_network_operator(request.user),
    }
    return render(request, "wifi/map.html", context)


@require_GET
def points(request: HttpRequest) -> HttpResponse:
    rows = (
        Hotspot.objects.exclude(status=Hotspot.Status.RETIRED)
        .order_by("code")
        .values_list("code", "name", "lat", "lon", "status", "health")
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},  # 1 m
            "properties": {
                "title": name,
                "url": reverse("wifi:hotspot", args=[code]),
                "status": "maintenance" if status == Hotspot.Status.MAINTENANCE else health,
            },
        }
        for code, name, lat, lon, status, health in rows
    ]
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
        content_type="application/geo+json",
    )
    # As the reports map: a resident back from reporting sees fresh data; shared caches
    # may keep it for a minute, which is also how often the worker probes.
    response["Cache-Control"] = "public, max-age=0, s-maxage=60"
    return response


@require_GET
def hotspot_page(request: HttpRequest, code: str) -> HttpResponse:
    hotspot = _public_hotspot_or_404(code)
    open_report = actions.open_report_of(hotspot)
    today = timezone.localdate()
    # What a resident wants to know before walking there: does it usually work?
    days = [share for _day, share in uptime.daily_uptime(hotspot, today - timedelta(days=29), today)
            if share is not None]
    context = {
        "row": _row(hotspot),
        "hotspot": hotspot,
        "open_code": open_report.report.case.tracking_code if open_report else "",
        "uptime_30d": sum(days) / len(days) if days and hotspot.last_probe_at else None,
    }
    return render(request, "wifi/hotspot.html", context)


def _tracking_message(text: str, code: str) -> str:
    return format_html('{} <a href="{}">{}</a>', text, reverse("reports:report", args=[code]), code)


@require_POST
def report(request: HttpRequest, code: str) -> HttpResponse:
    """'Tidak bisa tersambung?': the second tap. Anyone may report; a retry or a second
    resident lands on the open report instead of a new one."""
    hotspot = Hotspot.objects.filter(code=code).only("pk", "code", "status").first()
    if hotspot is None:
        raise Http404(_("Titik Wi-Fi tidak ditemukan."))
    user = request.user if request.user.is_authenticated else None
    back = redirect("wifi:hotspot", code=hotspot.code)
    if hotspot.status == Hotspot.Status.RETIRED:
        back = redirect("wifi:map")
    if user is not None and user.is_officer:
        messages.error(request, _("Akun petugas tidak dapat membuat pengaduan warga."))
        return back
    try:
        link, created = actions.hotspot_report_dead(
            hotspot=hotspot, reporter=user, submission_key=request.POST.get("submission_key", "")[:64]
        )
    except WifiError as error:
        messages.error(request, error.message)
        return back
    except ReportError as error:
        messages.error(request, error.message)
        return back
    tracking = link.report.case.tracking_code
    if created:
        text = _("Terima kasih, laporan terkirim ke Diskominfotik. Kode lacak:")
    elif user is not None and link.report.reporter_id == user.pk:
        text = _("Laporan Anda sudah tercatat dan sedang ditangani. Kode lacak:")
    else:
        text = _("Titik ini sudah dilaporkan dan sedang ditangani. Kode lacak:")
    messages.success(request, _tracking_message(text, tracking))
    return back


# --- Network operators ----------------------------------------------------------------------


def operator_required(view):
    """Diskominfotik's staff (after their second factor); anyone else signed in sees no such
    page, as with any object they may not see."""
    checked = staff_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not is_network_operator(request.user):
            raise Http404
        return checked(request, *args, **kwargs)

    return wrapper


def _hotspot_or_404(code: str) -> Hotspot:
    hotspot = (
        Hotspot.objects.select_related("kelurahan").defer("kelurahan__boundary").filter(code=code).first()
    )
    if hotspot is None:
        raise Http404(_("Titik Wi-Fi tidak ditemukan."))
    return hotspot


def _managed(form: ManageFilterForm) -> QuerySet[Hotspot]:
    hotspots = Hotspot.objects.select_related("kelurahan").defer("kelurahan__boundary", "device_key_hash")
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("health"):
        hotspots = hotspots.filter(health=data["health"])
    if data.get("status"):
        hotspots = hotspots.filter(status=data["status"])
    if data.get("kelurahan"):
        hotspots = hotspots.filter(kelurahan__code=data["kelurahan"])
    if text := (data.get("q") or "").strip():
        hotspots = hotspots.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(nas_identifier__icontains=text)
            | Q(called_station_id__icontains=text) | Q(management_address__icontains=text)
            | Q(nas_ip__icontains=text)
        )
    return hotspots.order_by("kelurahan__name", "code")


@require_GET
@operator_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ManageFilterForm(request.GET or None)
    page = Paginator(_managed(form), MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    counted = dict(
        Hotspot.objects.exclude(status=Hotspot.Status.RETIRED).values_list("health").annotate(n=Count("pk"))
        .order_by()
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(hotspot) for hotspot in page.object_list],
        "query": query.urlencode(),
        "counts": [(value, label, counted.get(value, 0)) for value, label in Health.choices],
        "incidents": Incident.objects.filter(ended_at__isnull=True)
        .select_related("hotspot__kelurahan")
        .only("started_at", "cause", "hotspot__code", "hotspot__name", "hotspot__kelurahan__name")
        .order_by("started_at"),
    }
    return render(request, "wifi/manage.html", context)


@require_GET
@operator_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    content = actions.hotspots_export_csv(Hotspot.objects.order_by("code"))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"titik-wifi-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # management addresses and NAS IPs
    return response


@operator_required
def import_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            counts = actions.hotspots_import_csv(actor=request.user, content=form.cleaned_data["file"].read())
        except ImportRejected as error:
            messages.error(request, error.message)
            rejected = error.errors
        else:
            messages.success(request, _(
                "Impor selesai: %(added)s titik ditambah, %(changed)s diubah, %(unchanged)s tidak berubah."
            ) % counts)
            return redirect("wifi:manage")
    status = 400 if request.method == "POST" else 200
    return render(request, "wifi/import.html", {"form": form, "rejected": rejected}, status=status)


def _save(request: AuthenticatedHttpRequest, hotspot: Hotspot | None) -> HttpResponse:
    if request.method == "POST":
        form = HotspotForm(request.POST)
        if form.is_valid():
            try:
                saved = actions.hotspot_save(actor=request.user, data=form.cleaned_data, hotspot=hotspot)
            except HotspotInvalid as invalid:
                for name, message in invalid.errors.items():
                    form.add_error(name if name in form.fields else None, str(message))
            else:
                messages.success(request, _("Titik %(code)s tersimpan.") % {"code": saved.code})
                return redirect("wifi:staff_hotspot", code=saved.code)
    else:
        form = HotspotForm(initial=HotspotForm.initial_for(hotspot) if hotspot else {"probe_kind": "icmp"})
    status = 400 if request.method == "POST" else 200
    return render(request, "wifi/hotspot_form.html", {"form": form, "hotspot": hotspot}, status=status)


@operator_required
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _save(request, None)


@operator_required
def edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _save(request, _hotspot_or_404(code))


def _staff_page(request: AuthenticatedHttpRequest, hotspot: Hotspot, device_key: str = "") -> HttpResponse:
    today = timezone.localdate()
    days = uptime.daily_uptime(hotspot, today - timedelta(days=29), today)
    context = {
        "hotspot": hotspot,
        "uptime_chart": svgchart.bar_chart(
            _("Uptime per hari, 30 hari terakhir (%)"),
            [svgchart.Point(day.strftime("%d/%m"), round(share * 100, 1)) for day, share in days
             if share is not None],
        ),
        "probes": hotspot.probes.order_by("-at")[:20],
        "incidents": hotspot.incidents.order_by("-started_at")[:20],
        "device": DeviceStatus.objects.filter(hotspot=hotspot).first(),
        "reports": HotspotReport.objects.filter(hotspot=hotspot).select_related("report__case")
        .order_by("-created_at")[:20],
        "device_key": device_key,
    }
    response = render(request, "wifi/staff_hotspot.html", context)
    if device_key:
        response["Cache-Control"] = "private, no-store"  # the key is shown once, never kept
    return response


@require_GET
@operator_required
def staff_hotspot(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _staff_page(request, _hotspot_or_404(code))


@require_POST
@operator_required
def device_key(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A new key, rendered in this response only: a redirect would have to carry it in the
    URL or the session, where it could be read again."""
    hotspot = _hotspot_or_404(code)
    raw = actions.hotspot_device_key_rotate(actor=request.user, hotspot=hotspot)
    return _staff_page(request, hotspot, device_key=raw)
