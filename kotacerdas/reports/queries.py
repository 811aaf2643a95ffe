import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Case, CaseEvent, Status
from kotacerdas.cases.queries import case_for_staff, holiday_dates
from kotacerdas.lib import workdays
from kotacerdas.lib.geo import haversine_m
from kotacerdas.lib.trackcode import normalize_code
from kotacerdas.reports.models import Category, Photo, Privacy, Report, Subscription, Support

OPEN_STATUSES = [Status.SUBMITTED, Status.VERIFIED, Status.IN_PROGRESS, Status.WAITING_CITIZEN]
CLOSED_STATUSES = [Status.RESOLVED, Status.CLOSED]
# Public means: not confidential (rahasia), and not rejected as no report at all.
PUBLIC = Q(privacy__in=[Privacy.PUBLIC, Privacy.ANONYMOUS]) & ~Q(case__status=Status.REJECTED)
MAP_LIMIT = 2000
# How long the map's data may be reused for changes that leave no new row behind (an admin
# renaming a category). Everything else a marker shows changes the version at once (see
# public_version), so a resident back on the map right after reporting sees her marker.
MAP_CACHE_SECONDS = 60


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("agency").prefetch_related("attributes")


def category_by_code(code: str) -> Category | None:
    return active_categories().filter(code=code).first()


@dataclass
class Filters:
    category: str = ""
    status: str = ""  # "open" | "closed" | ""
    kelurahan: str = ""  # region code
    since: date | None = None
    until: date | None = None


def public_reports(filters: Filters | None = None) -> QuerySet[Report]:
    """Reports anyone may see, newest first, filtered the ways the public map offers."""
    filters = filters or Filters()
    rows = Report.objects.filter(PUBLIC)
    if filters.category:
        rows = rows.filter(category__code=filters.category)
    if filters.status == "open":
        rows = rows.filter(case__status__in=OPEN_STATUSES)
    elif filters.status == "closed":
        rows = rows.filter(case__status__in=CLOSED_STATUSES)
    if filters.kelurahan:
        rows = rows.filter(kelurahan__code=filters.kelurahan)
    if filters.since:
        rows = rows.filter(created_at__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(created_at__date__lte=filters.until)
    return rows.order_by("-created_at", "-id")


def public_list(filters: Filters) -> QuerySet[Report]:
    return public_reports(filters).select_related("category", "kelurahan", "case")


def map_points(filters: Filters) -> dict[str, Any]:
    """The public map's data: a GeoJSON FeatureCollection of the newest matching reports,
    built from plain values (no model instances) so a busy map stays cheap."""
    rows = public_reports(filters).values_list(
        "case__tracking_code",
        "lat",
        "lon",
        "category__name",
        "category__code",
        "case__status",
        "supporters",
        "created_at",
    )[:MAP_LIMIT]
    # Once, not per row: timezone.localtime() looks the zone up in a thread-local each call,
    # which for 2,000 rows cost more than reading them.
    zone = timezone.get_current_timezone()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "code": code,
                "title": category,
                "category": category_code,
                "status": status,
                "open": status in OPEN_STATUSES,
                "supporters": supporters,
                "created": created.astimezone(zone).date().isoformat(),
                "url": f"/pengaduan/{code}/",
            },
        }
        for code, lat, lon, category, category_code, status, supporters, created in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def public_version() -> tuple:
    """Changes whenever anything public about a report may have changed: a new report or a
    status change adds a case event (case_open, case_transition), a supporter a Support row,
    and every report action sets the report's updated_at. Three index lookups, however many
    reports there are."""
    return (
        CaseEvent.objects.order_by("-id").values_list("id", flat=True).first(),
        Support.objects.order_by("-id").values_list("id", flat=True).first(),
        Report.objects.order_by("-updated_at").values_list("updated_at", flat=True).first(),
    )


def map_points_json(filters: Filters) -> bytes:
    """map_points as the JSON the map fetches. Whole-city and per-kelurahan maps are the same
    for every visitor and read up to 2,000 reports, so the encoded answer is kept while the
    public version stays the same. Custom date ranges are not kept: too many to be reused."""
    def encode() -> bytes:
        return json.dumps(map_points(filters), cls=DjangoJSONEncoder).encode()

    if filters.since or filters.until:
        return encode()
    # The version first: a report committed between the two reads then makes a new key.
    version = public_version()
    key = "reports:map:" + hashlib.sha256(repr((version, filters)).encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = encode()
        cache.set(key, body, MAP_CACHE_SECONDS)
    return body


def report_public(code: str) -> Report | None:
    return (
        Report.objects.filter(PUBLIC, case__tracking_code=normalize_code(code))
        .select_related("category", "kelurahan", "case__agency", "reporter", "duplicate_of__case")
        .first()
    )


def report_for_viewer(user, code: str) -> tuple[Report, bool]:
    """A report page: public reports for everyone, a confidential one only for its reporter
    and the officers who may see its case. Returns (report, viewer_is_staff)."""
    report = report_public(code)
    if user.is_authenticated and getattr(user, "is_officer", False):
        try:
            case = case_for_staff(user, code)
        except Http404:
            case = None
        if case is not None:
            return Report.objects.select_related("category", "kelurahan", "case__agency", "reporter").get(
                case=case
            ), True
    if report is None and user.is_authenticated:
        report = (
            Report.objects.filter(reporter=user, case__tracking_code=normalize_code(code))
            .select_related("category", "kelurahan", "case__agency", "reporter")
            .first()
        )
    if report is None:
        raise Http404
    return report, False


def report_of(case: Case) -> Report | None:
    report = Report.objects.select_related("category", "kelurahan", "reporter").filter(case=case).first()
    if report is not None:
        report.case = case
    return report


def public_name(report: Report) -> str:
    """How the reporter appears publicly: nobody for an anonymous report; otherwise the
    first name and an initial, never the full name, e-mail or phone."""
    if report.privacy != Privacy.PUBLIC or report.reporter is None:
        return _("Anonim")
    parts = report.reporter.name.split()
    if not parts:
        return _("Warga")
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0]}."


def visible_photos(report: Report, *, staff: bool = False) -> QuerySet[Photo]:
    rows = report.photos.all()
    return rows if staff else rows.filter(hidden=False)


def photo_is_public(photo: Photo) -> bool:
    report = photo.report
    return report.is_public and report.case.status != Status.REJECTED and not photo.hidden


def photo_for(user, photo_id: int) -> Photo:
    """A photo is shown where its report is: publicly unless the report is confidential or
    the photo hidden by a moderator; always to the reporter and the officers of the case."""
    photo = Photo.objects.select_related("report__case").filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    report = photo.report
    if photo_is_public(photo):
        return photo
    if user.is_authenticated and report.reporter_id == user.pk and not photo.hidden:
        return photo
    if user.is_authenticated and getattr(user, "is_officer", False):
        case_for_staff(user, report.case.tracking_code)  # 404 for other agencies
        return photo
    raise Http404


def nearby_open(
    category: Category, lat: float, lon: float, radius_m: int | None = None, limit: int = 5
) -> list:
    """Open public reports of the same category near a point (FixMyStreet: 250 m), nearest first."""
    radius = radius_m or category.duplicate_radius_m
    # A bounding box first, on the (lat, lon) index; then the exact distance.
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    rows = list(
        Report.objects.filter(
            PUBLIC,
            category=category,
            case__status__in=OPEN_STATUSES,
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
        ).select_related("case", "kelurahan")[:200]
    )
    for report in rows:
        report.distance_m = round(haversine_m(lat, lon, report.lat, report.lon))  # type: ignore[attr-defined]
    near = [r for r in rows if r.distance_m <= radius]  # type: ignore[attr-defined]
    return sorted(near, key=lambda r: r.distance_m)[:limit]  # type: ignore[attr-defined]


def subscriptions_of(user) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("report__case", "kelurahan", "category")


def reports_of(user) -> QuerySet[Report]:
    return Report.objects.filter(reporter=user).select_related("case", "category").order_by("-created_at")


@dataclass
class AgencyFigures:
    agency: Agency
    reports: int
    answered: int
    within_sla: float | None


@dataclass
class ReportFigures:
    total: int
    by_category: list[tuple[str, int]]
    by_kelurahan: list[tuple[str, int]]
    median_days_to_answer: float | None
    median_days_to_close: float | None
    agencies: list[AgencyFigures]


def _first_answers(reports: QuerySet[Report]) -> dict[int, datetime]:
    """When each report's case was first answered: its first public reply or resolution."""
    return dict(
        CaseEvent.objects.filter(
            case__report__in=reports,
            is_public=True,
            type__in=[CaseEvent.Type.REPLY, CaseEvent.Type.STATUS],
            to_status__in=["", Status.RESOLVED],
        )
        .exclude(type=CaseEvent.Type.STATUS, to_status="")
        .values("case_id")
        .annotate(first=Min("at"))
        .values_list("case_id", "first")
    )


def figures(*, year: int) -> ReportFigures:
    """Public statistics for one year: counts per category and kelurahan, median working
    days to the first answer and to closing, and per agency the share answered in time."""
    # Confidential reports count (only their numbers are shown); spam rejected at
    # verification does not, whatever its privacy.
    reports = Report.objects.exclude(case__status=Status.REJECTED).filter(created_at__year=year)
    by_category = list(reports.values_list("category__name").annotate(n=Count("id")).order_by("-n"))
    by_kelurahan = list(reports.values_list("kelurahan__name").annotate(n=Count("id")).order_by("-n"))
    first_answer = _first_answers(reports)
    # Closed when it was last closed: the case's resolved_at keeps the time of the answer,
    # which the reporter's confirmation or the automatic close follow days later.
    closed_at = dict(
        CaseEvent.objects.filter(
            case__report__in=reports, type=CaseEvent.Type.STATUS, to_status=Status.CLOSED
        )
        .values("case_id")
        .annotate(last=Max("at"))
        .values_list("case_id", "last")
    )
    holidays = holiday_dates(date(year, 1, 1))
    rows = list(
        reports.values_list("case_id", "case__agency", "created_at", "case__status", "case__due_date")
    )
    to_answer, to_close = [], []
    per_agency: dict[int, list[int]] = {}
    for case_id, agency_id, created, status, due in rows:
        start = timezone.localdate(created)
        answered: datetime | None = first_answer.get(case_id)
        counts = per_agency.setdefault(agency_id, [0, 0, 0])
        counts[0] += 1
        if answered is not None:
            to_answer.append(workdays.workdays_between(start, timezone.localdate(answered), holidays))
            counts[1] += 1
            counts[2] += timezone.localdate(answered) <= due
        closed: datetime | None = closed_at.get(case_id)
        if status == Status.CLOSED and closed is not None:
            to_close.append(workdays.workdays_between(start, timezone.localdate(closed), holidays))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=per_agency)}
    return ReportFigures(
        total=len(rows),
        by_category=by_category,
        by_kelurahan=by_kelurahan,
        median_days_to_answer=median(to_answer) if to_answer else None,
        median_days_to_close=median(to_close) if to_close else None,
        agencies=sorted(
            (
                AgencyFigures(agencies[pk], n, answered, within / n if n else None)
                for pk, (n, answered, within) in per_agency.items()
            ),
            key=lambda f: f.agency.name,
        ),
    )


# The newest public reports only: the index is for finding, the map and list hold them all.
SEARCH_REPORTS = 20_000


def search_documents():
    """Public reports for the site-wide search (kotacerdas.search): category, kelurahan and
    the description, never the reporter."""
    from kotacerdas.search.sources import Document

    rows = (
        Report.objects.filter(PUBLIC).select_related("case", "category", "kelurahan")
        .order_by("-created_at")[:SEARCH_REPORTS]
    )
    for report in rows:
        title = f"{report.category.name} · {report.kelurahan.name if report.kelurahan else ''}".strip(" ·")
        yield Document(kind="report", key=f"report:{report.pk}", title=title, text=report.description,
                       summary=report.description[:300], url=f"/pengaduan/{report.case.tracking_code}/",
                       agency_id=report.case.agency_id, published_at=report.created_at)


# --- For the executive dashboard (kotacerdas.dashboard) -------------------------------------


def report_rows(start, end):
    """One row per report made in [start, end), rejected ones left out as in figures():
    (agency id, kelurahan id, category id, answered, answered by the due date). The first
    answer is the first public reply or resolution, as figures() counts it."""
    reports = Report.objects.exclude(case__status=Status.REJECTED).filter(
        created_at__gte=start, created_at__lt=end
    )
    first_answer = _first_answers(reports)
    for case_id, agency_id, kelurahan_id, category_id, due in reports.values_list(
        "case_id", "case__agency", "kelurahan_id", "category_id", "case__due_date"
    ).iterator(chunk_size=5000):
        answered = first_answer.get(case_id)
        yield (agency_id, kelurahan_id, category_id, answered is not None,
               answered is not None and timezone.localdate(answered) <= due)


def open_by_category(today: date) -> list[tuple[int, int, int, bool, int]]:
    """Open reports now, counted by (agency id, kelurahan id, category id, overdue)."""
    open_reports = Report.objects.filter(case__status__in=OPEN_STATUSES)
    overdue = Q(case__paused_since__isnull=True, case__due_date__lt=today)
    rows = []
    for is_overdue, part in ((True, open_reports.filter(overdue)), (False, open_reports.exclude(overdue))):
        for agency_id, kelurahan_id, category_id, n in (
            part.values_list("case__agency", "kelurahan_id", "category_id").annotate(n=Count("id")).order_by()
        ):
            rows.append((agency_id, kelurahan_id, category_id, is_overdue, n))
    return rows


def categories_by_id() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}
