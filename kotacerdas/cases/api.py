from datetime import date, datetime

from ninja import Router, Schema
from ninja import Status as Reply

from kotacerdas.cases.models import CaseEvent, Status
from kotacerdas.cases.queries import public_track

router = Router(tags=["cases"])


class AgencyRef(Schema):
    code: str
    name: str


class PublicEventOut(Schema):
    at: datetime
    type: str
    status: str | None
    status_label: str | None
    text: str


class PublicCaseOut(Schema):
    tracking_code: str
    kind: str
    title: str
    status: str
    status_label: str
    agency: AgencyRef
    submitted_at: datetime
    due_date: date
    resolved_at: datetime | None
    timeline: list[PublicEventOut]


class NotFoundOut(Schema):
    detail: str


# What Case.get_status_display() gives, without building the choices dict on every call.
STATUS_LABELS = dict(Status.choices)


def _event_text(type_: str, text: str, data: dict) -> str:
    if type_ == CaseEvent.Type.HANDOVER:
        return f"{data.get('from', '')} → {data.get('to', '')}"
    return text


def public_event_text(event: CaseEvent) -> str:
    return _event_text(event.type, event.text, event.data)


@router.get("/{tracking_code}", response={200: PublicCaseOut, 404: NotFoundOut},
            summary="Lacak perkara (status dan riwayat publik)")
def track(request, tracking_code: str):
    """Public: status and the public timeline only. Never the resident's personal data."""
    found = public_track(tracking_code)
    if found is None:
        return Reply(404, {"detail": "Kode lacak tidak ditemukan. / Tracking code not found."})
    case, events = found
    timeline = [
        {
            "at": e["at"], "type": e["type"], "status": e["to_status"] or None,
            "status_label": str(Status(e["to_status"]).label) if e["to_status"] else None,
            "text": _event_text(e["type"], e["text"], e["data"]),
        }
        for e in events
    ]
    return {
        "tracking_code": case["tracking_code"], "kind": case["kind"], "title": case["title"],
        "status": case["status"], "status_label": str(STATUS_LABELS.get(case["status"], case["status"])),
        "agency": {"code": case["agency_code"], "name": case["agency_name"]},
        "submitted_at": case["submitted_at"], "due_date": case["due_date"],
        "resolved_at": case["resolved_at"], "timeline": timeline,
    }
