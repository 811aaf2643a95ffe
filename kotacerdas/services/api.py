import json
import secrets
from datetime import date, datetime
from typing import Any

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from ninja import Router, Schema
from ninja import Status as Reply
from ninja.errors import HttpError
from pydantic import StrictInt

from kotacerdas.accounts.api import BearerToken
from kotacerdas.cases.errors import CaseError
from kotacerdas.cases.models import Status
from kotacerdas.lib.bilingual import both
from kotacerdas.lib.uploads import UploadRejected
from kotacerdas.services import actions, queries
from kotacerdas.services.documents import receipt_pdf, verification_url
from kotacerdas.services.errors import ApplicationInvalid, ApprovalRequired
from kotacerdas.services.forms import clean_answers
from kotacerdas.services.models import Application, SurveyResponse

router = Router(tags=["services"])


class AgencyRef(Schema):
    code: str
    name: str


class ServiceOut(Schema):
    slug: str
    name: str
    agency: AgencyRef | None
    all_kelurahan: bool
    category: str
    requirements: list[str]
    procedure: list[str]
    sla_days: int
    fee: str
    product: str
    online: bool


class FieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    help: str
    choices: list[str]
    accept: list[str]
    max_mb: int
    rules: dict[str, Any]


class ServiceDetailOut(ServiceOut):
    summary: str
    life_events: list[str]
    complaint_channel: str
    legal_basis: list[str]
    requires_nik: bool
    form: list[FieldOut]


class NotFoundOut(Schema):
    detail: str


def _service(service, *, detail: bool = False) -> dict:
    data = {
        "slug": service.slug,
        "name": service.name,
        "all_kelurahan": service.all_kelurahan,
        "agency": {"code": service.agency.code, "name": service.agency.name} if service.agency else None,
        "category": service.category,
        "requirements": service.requirements,
        "procedure": service.procedure,
        "sla_days": service.sla_workdays,
        "fee": service.fee,
        "product": service.product,
        "online": service.online,
    }
    if detail:
        data.update(
            summary=service.summary,
            life_events=service.life_events,
            complaint_channel=service.complaint_channel,
            legal_basis=service.legal_basis,
            requires_nik=service.requires_nik,
            form=[
                {
                    "name": f.name,
                    "label": f.label,
                    "type": f.type,
                    "required": f.required,
                    "help": f.help,
                    "choices": f.choices,
                    "accept": f.accept,
                    "max_mb": f.max_mb,
                    "rules": f.rules,
                }
                for f in service.fields.all()
            ],
        )
    return data


@router.get("", response=list[ServiceOut], summary="Katalog layanan publik")
def list_services(request, q: str = "", agency: str = "", category: str = "", life_event: str = ""):
    services = queries.catalog(text=q, agency=agency, category=category, life_event=life_event)
    return [_service(s) for s in services]


@router.get(
    "/{slug}",
    response={200: ServiceDetailOut, 404: NotFoundOut},
    summary="Standar pelayanan dan formulir satu layanan",
)
def get_service(request, slug: str):
    service = queries.service_public(slug)
    if service is None:
        return Reply(404, {"detail": "Layanan tidak ditemukan. / Service not found."})
    return _service(service, detail=True)


# --- Applications (mobile app) -----------------------------------------------------------------

MULTIPART_APPLICATION = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {
                        "data": {
                            "type": "string",
                            "description": (
                                "JSON object of the form's answers by field name: text, number, date "
                                "(YYYY-MM-DD), choice (string), multichoice (list), nik, phone, address "
                                '({"kelurahan": code, "rw": "3", "rt": "2", "street": "..."}); plus "_nik" '
                                "when the service needs a NIK the account does not have yet."
                            ),
                        },
                    },
                    "additionalProperties": {
                        "type": "string",
                        "format": "binary",
                        "description": "One file per file field, named as the field.",
                    },
                }
            }
        }
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 64},
            "description": "Send the same key when retrying: the retry returns the first result.",
        }
    ],
}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


class SubmittedOut(Schema):
    tracking_code: str
    status: str
    due_date: date


class DocumentOut(Schema):
    id: int
    title: str
    number: str
    issued_at: datetime
    agency: str
    verification_code: str
    verification_url: str
    download_url: str


class ApplicationOut(Schema):
    tracking_code: str
    service: str
    service_name: str
    agency: AgencyRef
    status: str
    status_label: str
    submitted_at: datetime
    due_date: date
    paused: bool
    answers: dict[str, Any]
    revision_fields: list[str]
    revision_note: str
    documents: list[DocumentOut]
    survey_open: bool


class SurveyIn(Schema):
    # Strict: JSON true is not a score, though Python would read it as 1.
    u1: StrictInt
    u2: StrictInt
    u3: StrictInt
    u4: StrictInt
    u5: StrictInt
    u6: StrictInt
    u7: StrictInt
    u8: StrictInt
    u9: StrictInt
    comment: str = ""


class RevisionRequestIn(Schema):
    fields: list[str]
    note: str


class RejectIn(Schema):
    reason: str


def _errors(errors: dict) -> dict[str, str]:
    return {name: both(message) for name, message in errors.items()}


def _invalid(errors: dict):
    return Reply(422, {"detail": both(ApplicationInvalid.message), "errors": _errors(errors)})


def _answers_from(request) -> dict[str, Any]:
    raw = request.POST.get("data", "")
    try:
        answers = json.loads(raw) if raw else {}
    except ValueError:
        raise HttpError(
            400, "Isian 'data' harus berupa objek JSON. / 'data' must be a JSON object."
        ) from None
    if not isinstance(answers, dict):
        raise HttpError(400, "Isian 'data' harus berupa objek JSON. / 'data' must be a JSON object.")
    return answers


def _store_files(request, service, owner) -> tuple[dict[str, int], dict[str, Any]]:
    uploads: dict[str, int] = {}
    errors: dict[str, Any] = {}
    for name, upload in request.FILES.items():
        try:
            uploads[name] = actions.upload_store(
                owner=owner, service=service, field_name=name, upload=upload
            ).pk
        except UploadRejected as error:
            errors[name] = error.message
    return uploads, errors


def _application(application, request) -> dict:
    case = application.case
    return {
        "tracking_code": case.tracking_code,
        "service": application.service.slug,
        "service_name": application.service.name,
        "agency": {"code": case.agency.code, "name": case.agency.name},
        "status": case.status,
        "status_label": case.get_status_display(),
        "submitted_at": application.submitted_at,
        "due_date": case.due_date,
        "paused": case.is_paused,
        "answers": application.data,
        "revision_fields": application.revision_fields,
        "revision_note": application.revision_note if case.status == Status.WAITING_CITIZEN else "",
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "number": d.number,
                "issued_at": d.issued_at,
                "agency": d.agency.name,
                "verification_code": d.verification_code,
                "verification_url": verification_url(d.verification_code),
                "download_url": request.build_absolute_uri(
                    reverse("api-v1:application_document", args=[case.tracking_code, d.pk])
                ),
            }
            for d in queries.documents_of(application)
        ],
        "survey_open": queries.survey_is_open(application) and queries.survey_of(application) is None,
    }


@router.post(
    "/{slug}/applications",
    auth=BearerToken(),
    openapi_extra=MULTIPART_APPLICATION,
    response={
        201: SubmittedOut,
        200: SubmittedOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Ajukan permohonan layanan (multipart: data + berkas)",
)
def apply(request, slug: str):
    """201 with the tracking code; 200 with the same body when the Idempotency-Key was seen."""
    service = queries.service_public(slug)
    if service is None:
        return Reply(404, {"detail": "Layanan tidak ditemukan. / Service not found."})
    user = request.auth
    if user.is_officer:
        return Reply(
            403,
            {
                "detail": "Akun petugas tidak dapat mengajukan permohonan warga. / "
                "Staff accounts cannot apply as residents."
            },
        )
    key = request.headers.get("Idempotency-Key", "")[:64] or secrets.token_urlsafe(24)
    seen = Application.objects.filter(applicant=user, submission_key=key).select_related("case").first()
    if seen is not None:
        return Reply(
            200,
            {
                "tracking_code": seen.case.tracking_code,
                "status": seen.case.status,
                "due_date": seen.case.due_date,
            },
        )
    answers = _answers_from(request)
    uploads, file_errors = _store_files(request, service, user)
    if file_errors:  # a refused file refuses the submission, with every other fault at once
        _values, errors = clean_answers(service.fields.all(), answers, uploaded=uploads)
        return _invalid({**errors, **file_errors})
    try:
        application = actions.application_submit(
            applicant=user,
            service=service,
            answers=answers,
            uploads=uploads,
            submission_key=key,
            applicant_nik=str(answers.get(actions.NIK_FIELD, "")),
        )
    except ApplicationInvalid as invalid:
        return _invalid(invalid.errors)
    case = application.case
    return Reply(201, {"tracking_code": case.tracking_code, "status": case.status, "due_date": case.due_date})


applications_router = Router(tags=["applications"])


@applications_router.get(
    "/{code}",
    auth=BearerToken(),
    response={200: ApplicationOut, 404: ErrorOut},
    summary="Permohonan saya: status, isian, perbaikan, dokumen",
)
def application_detail(request, code: str):
    return _application(queries.application_for_citizen(request.auth, code), request)


@applications_router.post(
    "/{code}/resubmit",
    auth=BearerToken(),
    openapi_extra=MULTIPART_APPLICATION,
    response={200: ApplicationOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Kirim perbaikan (hanya isian yang diminta petugas)",
)
def resubmit(request, code: str):
    application = queries.application_for_citizen(request.auth, code)
    answers = _answers_from(request)
    uploads, file_errors = _store_files(request, application.service, request.auth)
    if file_errors:
        return _invalid(file_errors)
    try:
        actions.application_resubmit(
            application=application, actor=request.auth, answers=answers, uploads=uploads
        )
    except ApplicationInvalid as invalid:
        return _invalid(invalid.errors)
    except CaseError as error:
        return Reply(409, {"detail": both(error.message)})
    return _application(application, request)


@applications_router.post(
    "/{code}/survey",
    auth=BearerToken(),
    response={201: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Isi survei kepuasan (SKM, sembilan unsur bernilai 1-4)",
)
def survey(request, code: str, data: SurveyIn):
    application = queries.application_for_citizen(request.auth, code)
    scores = {name: getattr(data, name) for name in SurveyResponse.ELEMENTS}
    try:
        actions.survey_submit(
            application=application, actor=request.auth, scores=scores, comment=data.comment
        )
    except ApplicationInvalid as invalid:
        return _invalid(invalid.errors)
    except CaseError as error:
        return Reply(409, {"detail": both(error.message)})
    return Reply(201, {"detail": "Terima kasih. / Thank you."})


@applications_router.get(
    "/{code}/documents/{document_id}",
    auth=BearerToken(),
    url_name="application_document",
    response={404: ErrorOut},
    summary="Unduh dokumen hasil layanan",
)
def document(request, code: str, document_id: int):
    application, _staff = queries.application_for_user(request.auth, code)
    found = queries.document_of(application, document_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{application.case.tracking_code}.pdf",
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@applications_router.get(
    "/{code}/receipt", auth=BearerToken(), response={404: ErrorOut}, summary="Unduh tanda terima (PDF)"
)
def receipt(request, code: str):
    application, _staff = queries.application_for_user(request.auth, code)
    response = HttpResponse(receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-{application.case.tracking_code}.pdf"'
    )
    return response


# --- Officers ---------------------------------------------------------------------------------------


def _staff(request):
    if not request.auth.is_officer:
        raise HttpError(403, "Hanya untuk petugas. / Officers only.")


@applications_router.post(
    "/{code}/revision-request",
    auth=BearerToken(),
    response={200: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Petugas: minta perbaikan isian tertentu",
)
def revision_request(request, code: str, data: RevisionRequestIn):
    _staff(request)
    application = queries.application_for_staff(request.auth, code)
    return _staff_result(
        request,
        application,
        lambda: actions.application_request_revision(
            application=application, actor=request.auth, fields=data.fields, note=data.note
        ),
    )


@applications_router.post(
    "/{code}/reject",
    auth=BearerToken(),
    response={200: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Petugas: tolak dengan alasan",
)
def reject(request, code: str, data: RejectIn):
    _staff(request)
    application = queries.application_for_staff(request.auth, code)
    return _staff_result(
        request,
        application,
        lambda: actions.application_reject(application=application, actor=request.auth, reason=data.reason),
    )


FINISH_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "number": {
                            "type": "string",
                            "description": "Document number; empty = numbered automatically.",
                        },
                        "note": {"type": "string", "description": "Message to the resident."},
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "Signed PDF; without it a PDF is generated.",
                        },
                    },
                }
            }
        }
    }
}


@applications_router.post(
    "/{code}/finish",
    auth=BearerToken(),
    openapi_extra=FINISH_BODY,
    response={200: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Petugas: selesaikan dengan dokumen hasil (unggah atau dibuat sistem)",
)
def finish(request, code: str):
    _staff(request)
    application = queries.application_for_staff(request.auth, code)
    return _staff_result(
        request,
        application,
        lambda: actions.application_finish(
            application=application,
            actor=request.auth,
            number=request.POST.get("number", "")[:100],
            file=request.FILES.get("file"),
            note=request.POST.get("note", "")[:2000],
        ),
    )


def _staff_result(request, application, perform):
    try:
        perform()
    except ApplicationInvalid as invalid:
        return _invalid(invalid.errors)
    except ApprovalRequired as error:
        return Reply(403, {"detail": both(error.message)})
    except CaseError as error:
        return Reply(409, {"detail": both(error.message)})
    return _application(application, request)
