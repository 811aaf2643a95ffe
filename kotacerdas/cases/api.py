from datetime import date, datetime

from ninja import Router, Schema
from ninja import Status as Reply
from ninja.errors import HttpError
from pydantic import BaseModel

from kotacerdas.accounts.api import BearerToken
from kotacerdas.agencies.queries import active_agencies
from kotacerdas.cases import actions, panels
from kotacerdas.cases.errors import CaseError, TransitionNotAllowed
from kotacerdas.cases.models import CaseEvent, Status
from kotacerdas.cases.queries import case_for_staff, public_track
from kotacerdas.lib.bilingual import both

router = Router(tags=["cases"])


class AgencyRef(BaseModel):
    code: str
    name: str


class PublicEventOut(BaseModel):
    at: datetime
    type: str
    status: str | None
    status_label: str | None
    text: str


class PublicCaseOut(BaseModel):
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


class NotFoundOut(BaseModel):
    detail: str


# What Case.get_status_display() gives, without building the choices dict on every call.
STATUS_LABELS = dict(Status.choices)


def _status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


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
            "status_label": _status_label(e["to_status"]) if e["to_status"] else None,
            "text": _event_text(e["type"], e["text"], e["data"]),
        }
        for e in events
    ]
    return {
        "tracking_code": case["tracking_code"], "kind": case["kind"], "title": case["title"],
        "status": case["status"], "status_label": _status_label(case["status"]),
        "agency": {"code": case["agency_code"], "name": case["agency_name"]},
        "submitted_at": case["submitted_at"], "due_date": case["due_date"],
        "resolved_at": case["resolved_at"], "timeline": timeline,
    }


# --- Officers: the shared workflow ------------------------------------------------------------


class TransitionIn(Schema):
    to_status: str
    note: str = ""


class CommentIn(Schema):
    text: str
    public: bool = False


class HandoverIn(Schema):
    to_agency: str  # agency code
    reason: str


class StaffCaseOut(Schema):
    tracking_code: str
    kind: str
    title: str
    status: str
    agency: str
    due_date: date
    paused: bool
    next_statuses: list[str]


class ErrorOut(Schema):
    detail: str


def _officer(request):
    if not request.auth.is_officer:
        raise HttpError(403, "Hanya untuk petugas. / Officers only.")


def _staff_case(case) -> dict:
    return {"tracking_code": case.tracking_code, "kind": case.kind, "title": case.title,
            "status": case.status,
            "agency": case.agency.code, "due_date": case.due_date, "paused": case.is_paused,
            "next_statuses": sorted(panels.generic_next(case))}


def _perform(case, perform):
    try:
        perform()
    except CaseError as error:
        return Reply(409, {"detail": both(error.message)})
    return _staff_case(case)


STAFF_RESPONSES = {200: StaffCaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get("/{tracking_code}/staff", auth=BearerToken(), response=STAFF_RESPONSES,
            summary="Petugas: perkara dan langkah yang bisa diambil")
def staff_case(request, tracking_code: str):
    _officer(request)
    return _staff_case(case_for_staff(request.auth, tracking_code))


@router.post("/{tracking_code}/transition", auth=BearerToken(), response=STAFF_RESPONSES,
             summary="Petugas: ubah status (verifikasi, proses, tutup)")
def transition(request, tracking_code: str, data: TransitionIn):
    _officer(request)
    case = case_for_staff(request.auth, tracking_code)
    if data.to_status not in Status.values:
        return Reply(400, {"detail": both(TransitionNotAllowed.message)})
    return _perform(case, lambda: actions.case_transition(
        case=case, to_status=data.to_status, actor=request.auth, note=data.note[:2000]))


@router.post("/{tracking_code}/comment", auth=BearerToken(), response=STAFF_RESPONSES,
             summary="Petugas: tanggapan publik atau catatan internal")
def comment(request, tracking_code: str, data: CommentIn):
    _officer(request)
    case = case_for_staff(request.auth, tracking_code)
    if not data.text.strip():
        return Reply(400, {"detail": "Isi tanggapan kosong. / The text is empty."})
    return _perform(case, lambda: actions.case_comment(
        case=case, actor=request.auth, text=data.text[:5000], public=data.public))


@router.post("/{tracking_code}/handover", auth=BearerToken(), response=STAFF_RESPONSES,
             summary="Petugas: disposisi ke perangkat daerah lain")
def handover(request, tracking_code: str, data: HandoverIn):
    _officer(request)
    case = case_for_staff(request.auth, tracking_code)
    to_agency = active_agencies().filter(code=data.to_agency).first()
    if to_agency is None:
        return Reply(400, {"detail": "Perangkat daerah tujuan tidak dikenal. / Unknown agency code."})
    if not data.reason.strip():
        return Reply(400, {"detail": "Tuliskan alasan disposisi. / Give the reason for the handover."})
    return _perform(case, lambda: actions.case_handover(
        case=case, to_agency=to_agency, actor=request.auth, reason=data.reason[:2000]))
