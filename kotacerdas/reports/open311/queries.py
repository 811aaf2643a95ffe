"""Reads for Open311: the service list and definitions, public reports as service requests,
and their public timeline as mySociety request updates.

Every report read here starts from reports.queries.PUBLIC: confidential (rahasia) and
rejected reports are never listed, found by id, or counted. No document built here has a
field for the reporter: not the name, e-mail, phone or account.
"""

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User
from kotacerdas.cases.models import CaseEvent, Status
from kotacerdas.lib.phone import PhoneError, normalize_phone
from kotacerdas.lib.trackcode import normalize_code
from kotacerdas.regions.models import Region
from kotacerdas.reports.models import Category, CloseReason, Photo, Privacy, Report
from kotacerdas.reports.open311 import errors, schemas
from kotacerdas.reports.open311.forms import JAKARTA, RequestsQuery, Window
from kotacerdas.reports.queries import OPEN_STATUSES, PUBLIC, active_categories

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the service list's shape or this endpoint last changed. Categories carry no
# timestamp, so admins' edits to them do not move it (clients re-read services anyway).
CHANGESET = "2026-11-29T00:00:00+07:00"

CLOSED_STATUSES = [Status.RESOLVED, Status.CLOSED, Status.REJECTED]
# mySociety's extended statuses (open311-adapter Role/mySociety.pm). An answered report is
# "fixed": without the reporter's objection it closes as fixed after 10 working days.
EXTENDED: dict[str, str] = {
    Status.SUBMITTED: "open",
    Status.VERIFIED: "investigating",
    Status.IN_PROGRESS: "in_progress",
    Status.WAITING_CITIZEN: "in_progress",
    Status.RESOLVED: "fixed",
    Status.CLOSED: "closed",
    Status.REJECTED: "closed",
}
EXTENDED_CLOSED: dict[str, str] = {
    CloseReason.FIXED: "fixed",
    CloseReason.NOT_RESPONSIBLE: "not_councils_responsibility",
    CloseReason.DUPLICATE: "duplicate",
    CloseReason.NO_ACTION: "no_further_action",
}
UPDATE_TYPES = [
    CaseEvent.Type.STATUS, CaseEvent.Type.REPLY, CaseEvent.Type.HANDOVER, CaseEvent.Type.ATTACHMENT
]
HANDED_OVER = _("Diteruskan dari %(from)s ke %(to)s")


def w3c(moment: datetime) -> str:
    return moment.astimezone(JAKARTA).isoformat(timespec="seconds")


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def status_of(case_status: str) -> str:
    return "open" if case_status in OPEN_STATUSES else "closed"


def extended_status(case_status: str, close_reason: str = "") -> str:
    if case_status == Status.CLOSED and close_reason:
        return EXTENDED_CLOSED.get(close_reason, "closed")
    return EXTENDED.get(case_status, "open")


# --- Discovery and services ---------------------------------------------------------------


def discovery() -> schemas.Discovery:
    city, site = settings.KOTACERDAS_CITY_NAME, settings.SITE_URL
    base = absolute(reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0]
    return {
        "changeset": CHANGESET,
        "contact": str(errors.CONTACT.format(city=city, site=site)),
        "key_service": str(errors.KEY_SERVICE.format(city=city)),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def _keywords(raw: str) -> str:
    """Open311 wants comma-separated tags; admins may type them separated by spaces."""
    tags = raw.split(",") if "," in raw else raw.split()
    return ", ".join(tag.strip() for tag in tags if tag.strip())


def services() -> list[schemas.Service]:
    return [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": category.description,
            "metadata": bool(category.attributes.all()),
            "type": "realtime",
            "keywords": _keywords(category.keywords),
            "group": category.group,
        }
        for category in active_categories()
    ]


def category_for(code: str) -> Category | None:
    """An active category, with its attributes prefetched."""
    return active_categories().filter(code=code).first() if code else None


def service_definition(category: Category) -> schemas.ServiceDefinition:
    attributes: list[schemas.Attribute] = []
    ordered = sorted(category.attributes.all(), key=lambda a: (a.order, a.pk))
    # The spec wants positive orders, unique within the service; ours may start at 0 or repeat.
    for position, attribute in enumerate(ordered, start=1):
        help_text = errors.DATATYPE_HELP.get(attribute.datatype)
        item: schemas.Attribute = {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": str(help_text) if help_text else None,
            "order": position,
            "description": attribute.description,
        }
        if attribute.datatype in ("singlevaluelist", "multivaluelist"):
            item["values"] = [
                {"key": str(value.get("key", "")), "name": str(value.get("name", ""))}
                for value in attribute.values
            ]
        attributes.append(item)
    return {"service_code": category.code, "attributes": attributes}


# --- Service requests ---------------------------------------------------------------------


def _public_reports(*, updated_in_sql: bool = True) -> QuerySet[Report]:
    """Public reports with all one request element needs, in one query: the latest public
    timeline entry (for updated_datetime and status_notes) and the first visible photo come
    as subqueries, so the cost does not grow with the number of rows. `updated` is needed in
    SQL only to filter on it; otherwise with_updated computes it from the row, which spares
    the database a second run of the latest-entry subquery for every row."""
    public_events = CaseEvent.objects.filter(case_id=OuterRef("case_id"), is_public=True)
    public_events = public_events.order_by("-at", "-id")
    first_photo = Photo.objects.filter(report_id=OuterRef("pk"), hidden=False).order_by("created_at", "id")
    rows = (
        Report.objects.filter(PUBLIC)
        .select_related("category", "kelurahan__parent", "case__agency", "duplicate_of__case")
        # Not the GeoJSON outlines, nor the answers to the extra questions (no element shows
        # them): decoding them for every row cost more than building the documents.
        .defer("attributes", "kelurahan__boundary", "kelurahan__parent__boundary")
        .annotate(
            last_public_at=Subquery(public_events.values("at")[:1]),
            status_note=Subquery(public_events.filter(type=CaseEvent.Type.STATUS).values("text")[:1]),
            first_photo_id=Subquery(first_photo.values("pk")[:1]),
        )
    )
    if updated_in_sql:
        # Updated when its public timeline moves, or when the report itself changes (a
        # moderator's edit). Not on internal notes or assignments: they are not public.
        rows = rows.annotate(updated=Greatest("updated_at", Coalesce("last_public_at", "updated_at")))
    return rows


def with_updated(report: Report) -> Report:
    """The `updated` annotation of _public_reports, computed from the row."""
    last = getattr(report, "last_public_at", None) or report.updated_at
    report.updated = max(report.updated_at, last)  # type: ignore[attr-defined]
    return report


def _with_extensions(rows: QuerySet[Report]) -> QuerySet[Report]:
    return rows.prefetch_related(
        Prefetch(
            "photos",
            queryset=Photo.objects.filter(hidden=False).order_by("created_at", "id"),
            to_attr="shown_photos",
        ),
        Prefetch(
            "case__events",
            queryset=CaseEvent.objects.filter(is_public=True).order_by("at", "id"),
            to_attr="public_events",
        ),
    )


def _in_window(rows: QuerySet[Report], name: str, span: Window) -> QuerySet[Report]:
    if span.start is not None:
        rows = rows.filter(**{f"{name}__gte": span.start})
    if span.end is not None:
        rows = rows.filter(**{f"{name}__lte": span.end})
    return rows


def service_requests(query: RequestsQuery) -> list[schemas.Request]:
    by_update = query.updated_after is not None or query.updated_before is not None
    rows = _public_reports(updated_in_sql=by_update and not query.ids)
    if query.ids:
        # Spec §1.7: service_request_id overrides every other argument.
        rows = rows.filter(case__tracking_code__in=[normalize_code(code) for code in query.ids])
    else:
        if query.service_codes:
            rows = rows.filter(category__code__in=query.service_codes)
        if query.statuses == {"open"}:
            rows = rows.filter(case__status__in=OPEN_STATUSES)
        elif query.statuses == {"closed"}:
            rows = rows.filter(case__status__in=CLOSED_STATUSES)
        rows = _in_window(rows, "created_at", query.window)
        rows = _in_window(rows, "updated", Window(query.updated_after, query.updated_before))
    if query.extensions:
        rows = _with_extensions(rows)
    offset = (query.page - 1) * query.page_size
    rows = rows.order_by("-created_at", "-id")[offset : offset + query.page_size]
    return [request_document(with_updated(report), extensions=query.extensions) for report in rows]


def service_request(code: str, *, extensions: bool = False) -> schemas.Request | None:
    rows = _public_reports().filter(case__tracking_code=normalize_code(code))
    report = (_with_extensions(rows) if extensions else rows).first()
    return request_document(report, extensions=extensions) if report is not None else None


def public_tracking_code(code: str) -> str | None:
    return (
        Report.objects.filter(PUBLIC, case__tracking_code=normalize_code(code))
        .values_list("case__tracking_code", flat=True)
        .first()
    )


def _photo_url(photo_id: int) -> str:
    return absolute(reverse("reports:photo", args=[photo_id]))


def _address(report: Report) -> str:
    """From the most specific to the most general (spec §1.7)."""
    kelurahan = report.kelurahan
    parts = [report.address, f"Kelurahan {kelurahan.name}"]
    if kelurahan.parent is not None and kelurahan.parent.level == Region.Level.KECAMATAN:
        parts.append(f"Kecamatan {kelurahan.parent.name}")
    parts.append(settings.KOTACERDAS_CITY_NAME)
    return ", ".join(part for part in parts if part)


def _parent(report: Report) -> Report | None:
    """The report this one duplicates, if the public may see that one too."""
    parent = report.duplicate_of
    if parent is None or parent.privacy == Privacy.CONFIDENTIAL or parent.case.status == Status.REJECTED:
        return None
    return parent


def _status_notes(report: Report) -> str | None:
    note = (getattr(report, "status_note", "") or "").strip()
    if report.case.status != Status.CLOSED or not report.close_reason:
        return note or None
    if report.close_reason == CloseReason.DUPLICATE:
        return _duplicate_text(report)
    reason = str(errors.CLOSE_REASONS.get(report.close_reason, ""))
    return f"{reason} {note}".strip() or None


def _expected(report: Report) -> str | None:
    """The SLA due date, at the end of that working day in Kota Blitar."""
    case = report.case
    if not case.is_open or case.due_date is None:
        return None
    return w3c(datetime.combine(case.due_date, time(23, 59, 59), tzinfo=JAKARTA))


def request_document(report: Report, *, extensions: bool = False) -> schemas.Request:
    case = report.case
    photo_id = getattr(report, "first_photo_id", None)
    updated = getattr(report, "updated", None) or report.updated_at
    document: schemas.Request = {
        "service_request_id": case.tracking_code,
        "status": status_of(case.status),
        "status_notes": _status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description[:4000],
        "agency_responsible": case.agency.name,
        "service_notice": None,
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": _expected(report),
        "address": _address(report),
        "address_id": report.kelurahan.code,
        "zipcode": report.kelurahan.postcode or None,
        "lat": round(report.lat, 6),
        "long": round(report.lon, 6),
        "media_url": _photo_url(photo_id) if photo_id else None,
    }
    if extensions:
        parent = _parent(report)
        kecamatan = report.kelurahan.parent
        document["extended_attributes"] = {
            "status": extended_status(case.status, report.close_reason),
            "kelurahan": report.kelurahan.name,
            "kecamatan": kecamatan.name if kecamatan is not None else "",
            "supporters": report.supporters,
            "channel": report.channel,
            "parent_service_request_id": parent.case.tracking_code if parent else None,
            "photos": [
                {
                    "media_url": _photo_url(photo.pk),
                    "width": photo.width,
                    "height": photo.height,
                    "created_at": w3c(photo.created_at),
                }
                for photo in getattr(report, "shown_photos", [])
            ],
        }
        document["notes"] = [
            {"datetime": w3c(event.at), "description": _event_text(event, report), "type": _note_type(event)}
            for event in getattr(case, "public_events", [])
        ]
    return document


def _event_text(event: CaseEvent, report: Report) -> str:
    if event.data.get("duplicate_of"):
        # The merge's note names the kept report, which may be confidential.
        return _duplicate_text(report)
    if event.text.strip():
        return event.text.strip()
    if event.type == CaseEvent.Type.STATUS and event.to_status in Status.values:
        return errors.label(Status(event.to_status).label)
    if event.type == CaseEvent.Type.HANDOVER:
        params: dict[str, Any] = {"from": event.data.get("from", ""), "to": event.data.get("to", "")}
        text = errors.catalog_or(HANDED_OVER, "Handed over from %(from)s to %(to)s")
        return str(errors.Text(text.id % params, text.en % params))
    return errors.label(CaseEvent.Type(event.type).label)


def _duplicate_text(report: Report) -> str:
    parent = _parent(report)
    if parent is None:
        return str(errors.CLOSE_REASONS[CloseReason.DUPLICATE])
    return str(errors.DUPLICATE_OF.format(code=parent.case.tracking_code))


def _note_type(event: CaseEvent) -> str:
    return event.to_status if event.type == CaseEvent.Type.STATUS and event.to_status else event.type


# --- mySociety request updates ------------------------------------------------------------


def request_updates(span: Window, page: int, page_size: int) -> list[schemas.RequestUpdate]:
    """What happened to public reports, oldest first: their public timeline after the
    submission itself. Each update carries the status the report had then."""
    status_then = (
        CaseEvent.objects.filter(case_id=OuterRef("case_id"), type=CaseEvent.Type.STATUS)
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lte=OuterRef("pk")))
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    rows = (
        CaseEvent.objects.filter(
            is_public=True,
            type__in=UPDATE_TYPES,
            case__report__in=Report.objects.filter(PUBLIC).values("pk"),
        )
        .exclude(type=CaseEvent.Type.STATUS, from_status="")
        .select_related("case__report__duplicate_of__case")
        .annotate(status_then=Subquery(status_then))
    )
    if span.start is not None:
        rows = rows.filter(at__gte=span.start)
    if span.end is not None:
        rows = rows.filter(at__lte=span.end)
    offset = (page - 1) * page_size
    return [_update_document(event) for event in rows.order_by("at", "id")[offset : offset + page_size]]


def _update_document(event: CaseEvent) -> schemas.RequestUpdate:
    report = event.case.report
    if event.type == CaseEvent.Type.STATUS:
        if event.data.get("reopened"):
            status = "reopen"
        else:
            status = extended_status(event.to_status, event.data.get("close_reason", ""))
    else:
        then = getattr(event, "status_then", None) or event.case.status
        status = extended_status(then, report.close_reason if then == Status.CLOSED else "")
    return {
        "update_id": str(event.pk),
        "service_request_id": event.case.tracking_code,
        "status": status,
        "updated_datetime": w3c(event.at),
        "description": _event_text(event, report),
        "media_url": None,
    }


# --- For POST requests --------------------------------------------------------------------


def kelurahan_by_code(code: str) -> Region | None:
    """address_id as a Kemendagri kelurahan code, dotted or not (35.72.01.1004, 3572011004)."""
    digits = code.replace(".", "")
    if len(digits) != 10 or not digits.isdigit():
        return None
    dotted = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return Region.objects.filter(
        code=dotted, level=Region.Level.KELURAHAN, centroid_lat__isnull=False, centroid_lon__isnull=False
    ).first()


def resident_for(email: str, phone: str) -> User | None:
    """The resident's own account, when the partner sends an e-mail address or phone number
    that its owner verified with us. Officers' accounts are left out: staff do not file
    residents' reports (as on the web form)."""
    accounts = User.objects.filter(is_active=True, staff_membership__isnull=True)
    if email:
        found = accounts.filter(email__iexact=email, email_verified=True).first()
        if found is not None:
            return found
    if phone:
        try:
            normalized = normalize_phone(phone)
        except PhoneError:
            return None
        return accounts.filter(phone=normalized, phone_verified=True).first()
    return None
