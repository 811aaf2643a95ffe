import hashlib
import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.actions import citizen_set_nik
from kotacerdas.accounts.errors import AccountError
from kotacerdas.accounts.models import Membership
from kotacerdas.agencies.models import Agency
from kotacerdas.audit.actions import audit_record
from kotacerdas.cases.actions import case_open, case_transition
from kotacerdas.cases.models import Kind, Status
from kotacerdas.lib.uploads import UploadRejected, clean_upload
from kotacerdas.notifications.actions import message_create
from kotacerdas.regions.models import Region
from kotacerdas.services.documents import new_verification_code, output_pdf
from kotacerdas.services.errors import (
    ApplicationError,
    ApplicationInvalid,
    ApprovalRequired,
    NotYourApplication,
    SurveyAlreadyFilled,
    SurveyNotOpen,
)
from kotacerdas.services.forms import clean_answers
from kotacerdas.services.models import (
    Application,
    Draft,
    FormField,
    OutputDocument,
    Service,
    SurveyResponse,
    Upload,
)
from kotacerdas.services.queries import survey_is_open

FIELD_KEYS = ("label", "type", "required", "help", "choices", "accept", "max_mb", "rules")


@transaction.atomic
def services_load_reference() -> int:
    """Load the sample catalog. Idempotent, and never overwrites a service an OPD has edited."""
    rows = json.loads((Path(settings.BASE_DIR) / "data" / "services.json").read_text())
    agencies = {a.code: a for a in Agency.objects.all()}
    created = 0
    for row in rows:
        every_kelurahan = row["agency"] == "kelurahan"
        service, made = Service.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "agency": None if every_kelurahan else agencies[row["agency"]],
                "all_kelurahan": every_kelurahan,
                "summary": row["summary"],
                "category": row["category"],
                "life_events": row["life_events"],
                "requirements": row["requirements"],
                "procedure": row["procedure"],
                "sla_workdays": row["sla_days"],
                "fee": row["fee"],
                "fee_amount": row["fee_amount"],
                "product": row["product"],
                "complaint_channel": row["complaint_channel"],
                "legal_basis": row["legal_basis"],
                "online": row["online"],
                "requires_nik": row["requires_nik"],
                "needs_approval": row["needs_approval"],
                "is_sample": True,
            },
        )
        if made:
            created += 1
            FormField.objects.bulk_create(
                FormField(
                    service=service,
                    order=index,
                    name=field["name"],
                    **{key: field[key] for key in FIELD_KEYS if key in field},
                )
                for index, field in enumerate(row["form"])
            )
    return created


# --- Applications ----------------------------------------------------------------------------

MB = 1024 * 1024
# Officers' signed documents are scans of several pages; residents' single documents are small.
OUTPUT_DOCUMENT_MAX_MB = 10


def _file_fields(service: Service) -> dict[str, FormField]:
    return {f.name: f for f in service.fields.all() if f.type == FormField.Type.FILE}


@transaction.atomic
def upload_store(*, owner, service: Service, field_name: str, upload) -> Upload:
    """Check one uploaded file against its form field and keep it, privately. Raises
    UploadRejected with a message for the resident when the file is not acceptable."""
    field = _file_fields(service).get(field_name)
    if field is None:
        raise UploadRejected(_("Formulir ini tidak meminta berkas tersebut."))
    clean = clean_upload(
        upload, accept=field.accept or ["pdf", "jpg", "png"], max_bytes=field.max_mb * MB, max_side=2400
    )
    stored = Upload(
        owner=owner,
        field_name=field_name,
        name=clean.name,
        content_type=clean.content_type,
        size=clean.size,
        sha256=hashlib.sha256(clean.content).hexdigest(),
    )
    stored.file.save(clean.name, ContentFile(clean.content), save=False)
    stored.save()
    return stored


@transaction.atomic
def draft_save(*, applicant, service: Service, answers: dict[str, Any], files: dict) -> tuple[Draft, dict]:
    """Keep what the resident typed and every file that passed the checks, even when other
    parts of the form are wrong, so nothing has to be typed or uploaded twice. Returns the
    draft and the message of each file that was refused."""
    draft, _created = Draft.objects.select_for_update().get_or_create(
        applicant=applicant, service=service, defaults={"submission_key": secrets.token_urlsafe(24)}
    )
    uploads = dict(draft.data.get("uploads", {}))
    errors: dict[str, Any] = {}
    for field_name, upload in files.items():
        try:
            stored = upload_store(owner=applicant, service=service, field_name=field_name, upload=upload)
        except UploadRejected as error:
            errors[field_name] = error.message
            continue
        uploads[field_name] = stored.pk
    draft.data = {"answers": answers, "uploads": uploads}
    draft.updated_at = timezone.now()
    draft.save()
    return draft, errors


def _kelurahan_of(applicant, service: Service, values: dict[str, Any]):
    """Where an application to "every kelurahan" goes: the kelurahan of the address in the
    form, else the one in the resident's profile."""
    for field in service.fields.all():
        if field.type == FormField.Type.ADDRESS and field.name in values:
            return Region.objects.get(code=values[field.name]["kelurahan"])
    profile = getattr(applicant, "citizen", None)
    return profile.kelurahan if profile is not None else None


# The applicant's own NIK, asked on the form when the profile has none; not a form field.
NIK_FIELD = "_nik"


def _applicant_nik(applicant) -> str:
    profile = getattr(applicant, "citizen", None)
    return (profile.nik or "") if profile is not None else ""


@transaction.atomic
def application_submit(
    *,
    applicant,
    service: Service,
    answers: dict[str, Any],
    uploads: dict[str, int],
    submission_key: str,
    applicant_nik: str = "",
) -> Application:
    """Apply for a service: check the answers, open the case (tracking code, SLA due date,
    notification) and keep the answers. Submitting again with the same key returns the
    application the first submit created. A service that needs the NIK takes it here from a
    resident whose profile has none yet (`applicant_nik`)."""
    existing = Application.objects.filter(applicant=applicant, submission_key=submission_key).first()
    if existing is not None:
        Draft.objects.filter(applicant=applicant, service=service).delete()
        return existing
    if not service.is_published:
        raise ApplicationInvalid({"__all__": _("Layanan ini sedang tidak menerima permohonan.")})
    own_uploads = set(
        Upload.objects.filter(
            owner=applicant, application__isnull=True, pk__in=list(uploads.values())
        ).values_list("pk", flat=True)
    )
    values, errors = clean_answers(
        service.fields.all(), answers, uploaded={k: v for k, v in uploads.items() if v in own_uploads}
    )
    if service.requires_nik and not _applicant_nik(applicant):
        if not applicant_nik.strip():
            errors[NIK_FIELD] = _("Layanan ini memerlukan NIK Anda.")
        else:
            try:
                citizen_set_nik(user=applicant, nik=applicant_nik)
            except AccountError as error:
                errors[NIK_FIELD] = error.message
    agency = service.agency
    kelurahan = _kelurahan_of(applicant, service, values)
    if service.all_kelurahan and not errors:
        agency = Agency.objects.filter(kind=Agency.Kind.KELURAHAN, region=kelurahan).first()
        if agency is None:
            errors["__all__"] = _(
                "Isi alamat di Kota Blitar agar permohonan sampai ke kantor kelurahan Anda."
            )
    if errors:
        raise ApplicationInvalid(errors)
    assert agency is not None
    try:
        with transaction.atomic():
            case = case_open(
                kind=Kind.SERVICE,
                agency=agency,
                title=service.name,
                sla_workdays=service.sla_workdays,
                citizen=applicant,
                kelurahan=kelurahan,
            )
            application = Application.objects.create(
                case=case,
                service=service,
                applicant=applicant,
                data=values,
                submission_key=submission_key,
                submitted_at=case.submitted_at,
            )
    except IntegrityError:
        # The same submission arrived twice at once and the other one committed first.
        return Application.objects.get(applicant=applicant, submission_key=submission_key)
    Upload.objects.filter(pk__in=[values[name] for name in _file_fields(service) if name in values]).update(
        application=application
    )
    Draft.objects.filter(applicant=applicant, service=service).delete()
    audit_record(
        actor=applicant,
        action="application_submit",
        obj=application,
        after={"service": service.slug, "case": case.tracking_code},
    )
    return application


@transaction.atomic
def application_request_revision(
    *, application: Application, actor, fields: list[str], note: str
) -> Application:
    """Ask the resident to fix named fields. The SLA clock stops until they resubmit."""
    known = {f.name: f.label for f in application.service.fields.all()}
    fields = [name for name in known if name in set(fields)]
    if not fields:
        raise ApplicationInvalid({"fields": _("Pilih isian yang perlu diperbaiki.")})
    if not note.strip():
        raise ApplicationInvalid({"note": _("Tuliskan apa yang harus diperbaiki.")})
    case_transition(
        case=application.case,
        to_status=Status.WAITING_CITIZEN,
        actor=actor,
        note=note,
        module=True,
        event_data={"fields": [known[name] for name in fields]},
    )
    application.revision_fields, application.revision_note = fields, note
    application.save(update_fields=["revision_fields", "revision_note"])
    audit_record(
        actor=actor, action="application_request_revision", obj=application, after={"fields": fields}
    )
    return application


@transaction.atomic
def application_resubmit(
    *, application: Application, actor, answers: dict[str, Any], uploads: dict[str, int]
) -> Application:
    """The resident's fix: only the fields the officer named may change. The case goes back
    to be checked, and the SLA due date moves by the working days spent waiting."""
    if application.applicant_id != actor.pk:
        raise NotYourApplication
    if application.case.status != Status.WAITING_CITIZEN:
        raise ApplicationError(_("Perbaikan sudah dikirim atau tidak sedang diminta."))
    fields = [f for f in application.service.fields.all() if f.name in application.revision_fields]
    own_uploads = set(
        Upload.objects.filter(
            owner=actor, application__isnull=True, pk__in=list(uploads.values())
        ).values_list("pk", flat=True)
    )
    values, errors = clean_answers(
        fields, answers, uploaded={k: v for k, v in uploads.items() if v in own_uploads}
    )
    if errors:
        raise ApplicationInvalid(errors)
    case_transition(
        case=application.case,
        to_status=Status.SUBMITTED,
        actor=actor,
        by_citizen=True,
        module=True,
        event_data={"resubmitted": True},
    )
    changed = sorted(name for name in values if application.data.get(name) != values[name])
    application.data = {**application.data, **values}
    application.revision_fields, application.revisions = [], application.revisions + 1
    application.save(update_fields=["data", "revision_fields", "revisions"])
    Upload.objects.filter(
        pk__in=[values[f.name] for f in fields if f.type == FormField.Type.FILE and f.name in values]
    ).update(application=application)
    # Names of the fields, not their values: answers hold personal data.
    audit_record(actor=actor, action="application_resubmit", obj=application, after={"changed": changed})
    return application


@transaction.atomic
def application_reject(*, application: Application, actor, reason: str) -> Application:
    if not reason.strip():
        raise ApplicationInvalid({"reason": _("Tuliskan alasan penolakan yang bisa dibaca warga.")})
    case_transition(case=application.case, to_status=Status.REJECTED, actor=actor, note=reason, module=True)
    audit_record(actor=actor, action="application_reject", obj=application, after={"reason": reason})
    return application


def _next_number(agency, year: int, *, skip: int = 0) -> str:
    issued = OutputDocument.objects.filter(agency=agency, issued_at__year=year).count()
    return f"{issued + 1 + skip:05d}/{agency.code.upper()}/{year}"


@transaction.atomic
def application_finish(
    *, application: Application, actor, number: str = "", file=None, note: str = ""
) -> OutputDocument:
    """Finish with the output document: the officer's uploaded (signed) PDF, or one generated
    from the service's template. Where the service needs approval only the head of the
    agency finishes it; that is the approval, and the timeline says who gave it."""
    case = application.case
    membership = getattr(actor, "membership", None)
    if application.service.needs_approval and (
        membership is None or membership.role != Membership.Role.KEPALA
    ):
        raise ApprovalRequired
    now = timezone.now()
    number = number.strip()
    if number and OutputDocument.objects.filter(agency=case.agency, number=number).exists():
        raise ApplicationInvalid({"number": _("Nomor dokumen ini sudah dipakai.")})
    clean = None
    if file is not None:
        try:
            clean = clean_upload(file, accept=["pdf"], max_bytes=OUTPUT_DOCUMENT_MAX_MB * MB)
        except UploadRejected as error:
            raise ApplicationInvalid({"file": error.message}) from None
    event_data = {"document": application.service.product}
    if application.service.needs_approval:
        event_data["approved_by"] = actor.name
    case_transition(
        case=case, to_status=Status.RESOLVED, actor=actor, note=note, module=True, event_data=event_data
    )
    year = timezone.localdate(now).year
    for attempt in range(5):
        document = OutputDocument(
            application=application,
            agency=case.agency,
            title=application.service.product,
            number=number or _next_number(case.agency, year, skip=attempt),
            issued_at=now,
            issued_by=actor,
            verification_code=new_verification_code(),
            generated=clean is None,
        )
        if clean is None:
            content, name = output_pdf(document), f"{case.tracking_code}.pdf"
        else:
            content, name = clean.content, clean.name
        document.file.save(name, ContentFile(content), save=False)
        try:
            with transaction.atomic():
                document.save()
            break
        except IntegrityError:
            # Another officer of the agency took the same automatic number at the same moment.
            document.file.delete(save=False)
            if number:
                raise ApplicationInvalid({"number": _("Nomor dokumen ini sudah dipakai.")}) from None
    else:
        raise RuntimeError("could not number the document")
    audit_record(
        actor=actor,
        action="document_issue",
        obj=document,
        after={"number": document.number, "generated": document.generated, "case": case.tracking_code},
    )
    message_create(
        user=application.applicant,
        template="application_finished",
        context={"case": case, "document": document},
    )
    return document


@transaction.atomic
def document_set_visibility(*, document: OutputDocument, actor, show_holder_name: bool) -> OutputDocument:
    """The holder decides whether the public verification page shows their name."""
    if document.application.applicant_id != actor.pk:
        raise NotYourApplication
    before = document.show_holder_name
    document.show_holder_name = show_holder_name
    document.save(update_fields=["show_holder_name"])
    audit_record(
        actor=actor,
        action="document_visibility",
        obj=document,
        before={"show_holder_name": before},
        after={"show_holder_name": show_holder_name},
    )
    return document


@transaction.atomic
def survey_submit(
    *, application: Application, actor, scores: dict[str, int], comment: str = ""
) -> SurveyResponse:
    """Record the resident's SKM for a finished application, once."""
    if application.applicant_id != actor.pk:
        raise NotYourApplication
    if not survey_is_open(application):
        raise SurveyNotOpen
    if SurveyResponse.objects.filter(application=application).exists():
        raise SurveyAlreadyFilled
    if sorted(scores) != sorted(SurveyResponse.ELEMENTS) or any(
        isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 4 for v in scores.values()
    ):
        raise ApplicationInvalid({"__all__": _("Beri nilai 1 sampai 4 untuk kesembilan unsur.")})
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                application=application,
                service=application.service,
                agency=application.case.agency,
                comment=comment.strip(),
                **scores,
            )
    except IntegrityError:
        raise SurveyAlreadyFilled from None
    audit_record(
        actor=actor, action="survey_submit", obj=response, after={"service": application.service.slug}
    )
    return response


@transaction.atomic
def document_revoke(*, document: OutputDocument, actor, reason: str) -> OutputDocument:
    """Withdraw an output document issued by mistake. It stays on record, and the public
    verification page says it was revoked, so a copy in circulation cannot pass as valid."""
    if not reason.strip():
        raise ApplicationInvalid({"reason": _("Tuliskan alasan pencabutan.")})
    if document.revoked_at is not None:
        return document
    document.revoked_at = timezone.now()
    document.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="document_revoke", obj=document,
                 after={"number": document.number, "reason": reason})
    return document


# Personal documents are kept no longer than needed (UU PDP): a draft nobody touched for
# this long is dropped, and files that belong to no application and no draft go with it.
DRAFT_KEEP_DAYS = 90
ORPHAN_UPLOAD_KEEP_DAYS = 2


def uploads_purge(*, now=None) -> tuple[int, int]:
    """Delete stale drafts and uploads that no application or draft refers to. Returns how
    many drafts and files went."""
    now = now or timezone.now()
    stale = Draft.objects.filter(updated_at__lt=now - timedelta(days=DRAFT_KEEP_DAYS))
    drafts = stale.count()
    stale.delete()
    kept = {
        upload_id
        for data in Draft.objects.values_list("data", flat=True)
        for upload_id in (data or {}).get("uploads", {}).values()
    }
    orphans = Upload.objects.filter(
        application__isnull=True, created_at__lt=now - timedelta(days=ORPHAN_UPLOAD_KEEP_DAYS)
    ).exclude(pk__in=kept)
    files = 0
    for upload in orphans.iterator():
        upload.file.delete(save=False)
        upload.delete()
        files += 1
    return drafts, files
