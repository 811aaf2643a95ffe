import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.accounts.models import Membership
from kotacerdas.cases import workflow
from kotacerdas.cases.errors import CaseError, errors_summary
from kotacerdas.cases.models import Status
from kotacerdas.lib.uploads import UploadRejected
from kotacerdas.regions.queries import kelurahan_choices
from kotacerdas.services import actions, queries
from kotacerdas.services.documents import receipt_pdf
from kotacerdas.services.errors import ApplicationInvalid, SurveyAlreadyFilled, SurveyNotOpen
from kotacerdas.services.forms import (
    CatalogFilterForm,
    DocumentForm,
    RejectForm,
    RevisionForm,
    SurveyForm,
    raw_from_post,
)
from kotacerdas.services.models import Application, FormField, LifeEvent, Service, SurveyResponse


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None, agencies=queries.agencies_with_services())
    filters = form.cleaned_data if form.is_valid() else {}
    services = queries.catalog(
        text=filters.get("q", ""),
        agency=filters.get("agency", ""),
        category=filters.get("category", ""),
        life_event=filters.get("life_event", ""),
    )
    context = {"form": form, "services": services, "life_events": LifeEvent.choices}
    if request.user.is_authenticated:
        context["drafts"] = queries.drafts_of(request.user)
    template = "services/catalog_rows.html" if request.headers.get("HX-Request") else "services/catalog.html"
    return render(request, template, context)


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = _published(slug)
    return render(request, "services/service.html", {"service": service})


# --- Applying ---------------------------------------------------------------------------------


def _published(slug: str) -> Service:
    service = queries.service_public(slug)
    if service is None:
        raise Http404
    return service


def _needs_nik(user, service: Service) -> bool:
    profile = getattr(user, "citizen", None)
    return service.requires_nik and not (profile and profile.nik)


def _form_rows(fields, answers: dict, uploads: dict, errors: dict) -> list[dict]:
    """What the template needs per field: the value as typed, its error, its kept file."""
    kept = queries.uploads_by_id(uploads.values())
    return [
        {
            "field": f,
            "value": answers.get(f.name, {} if f.type == FormField.Type.ADDRESS else ""),
            "error": errors.get(f.name),
            "upload": kept.get(uploads.get(f.name, 0)),
        }
        for f in fields
    ]


def _apply_page(request, service: Service, *, answers, uploads, errors, key, status=200) -> HttpResponse:
    context = {
        "service": service,
        "rows": _form_rows(service.fields.all(), answers, uploads, errors),
        "form_error": errors.get("__all__"),
        "nik_error": errors.get(actions.NIK_FIELD),
        "needs_nik": _needs_nik(request.user, service),
        "nik_value": answers.get(actions.NIK_FIELD, ""),
        "submission_key": key,
        "kelurahan": kelurahan_choices(),
        "error_count": len(errors),
    }
    return render(request, "services/apply.html", context, status=status)


@login_required
def apply(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = _published(slug)
    if request.user.is_officer:
        messages.error(request, _("Akun petugas tidak dapat mengajukan permohonan warga."))
        return redirect("services:detail", slug=slug)
    if request.method != "POST":
        draft = queries.draft_of(request.user, service)
        data = draft.data if draft else {}
        key = draft.submission_key if draft else secrets.token_urlsafe(24)
        return _apply_page(
            request,
            service,
            answers=data.get("answers", {}),
            uploads=data.get("uploads", {}),
            errors={},
            key=key,
        )
    key = request.POST.get("submission_key", "")[:64]
    done = (
        Application.objects.filter(applicant=request.user, submission_key=key).select_related("case").first()
    )
    if key and done is not None:  # a second click on a submission that already went through
        return redirect("cases:my_case", code=done.case.tracking_code)
    answers = raw_from_post(service.fields.all(), request.POST)
    answers[actions.NIK_FIELD] = request.POST.get(actions.NIK_FIELD, "").strip()[:32]
    draft, file_errors = actions.draft_save(
        applicant=request.user,
        service=service,
        answers=answers,
        files={name: request.FILES[name] for name in request.FILES},
    )
    uploads = draft.data["uploads"]
    if request.POST.get("action") == "save":
        if file_errors:
            return _apply_page(
                request,
                service,
                answers=answers,
                uploads=uploads,
                errors=file_errors,
                key=key or draft.submission_key,
                status=400,
            )
        messages.success(request, _("Draf tersimpan. Anda bisa melanjutkannya kapan saja."))
        return redirect("services:apply", slug=slug)
    if file_errors:
        return _apply_page(
            request,
            service,
            answers=answers,
            uploads=uploads,
            errors=file_errors,
            key=key or draft.submission_key,
            status=400,
        )
    try:
        application = actions.application_submit(
            applicant=request.user,
            service=service,
            answers=answers,
            uploads=uploads,
            submission_key=key or draft.submission_key,
            applicant_nik=answers[actions.NIK_FIELD],
        )
    except ApplicationInvalid as invalid:
        return _apply_page(
            request,
            service,
            answers=answers,
            uploads=uploads,
            errors=invalid.errors,
            key=key or draft.submission_key,
            status=400,
        )
    messages.success(
        request,
        _("Permohonan terkirim. Kode lacak Anda: %(code)s") % {"code": application.case.tracking_code},
    )
    return redirect("cases:my_case", code=application.case.tracking_code)


def _file_response(file, name: str, content_type: str, *, inline: bool = False) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=not inline, filename=name, content_type=content_type
    )
    # Personal documents: never cached by shared caches, never sniffed into something else.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@login_required
def draft_file(request: AuthenticatedHttpRequest, upload_id: int) -> FileResponse:
    upload = queries.draft_upload(request.user, upload_id)
    return _file_response(upload.file, upload.name, upload.content_type, inline=True)


@login_required
def application_file(request: AuthenticatedHttpRequest, code: str, upload_id: int) -> FileResponse:
    application, _staff = queries.application_for_user(request.user, code)
    upload = queries.upload_of(application, upload_id)
    return _file_response(upload.file, upload.name, upload.content_type, inline=True)


@login_required
def receipt(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    application, _staff = queries.application_for_user(request.user, code)
    response = HttpResponse(receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-{application.case.tracking_code}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_file(request: AuthenticatedHttpRequest, code: str, document_id: int) -> FileResponse:
    application, _staff = queries.application_for_user(request.user, code)
    document = queries.document_of(application, document_id)
    name = f"{slugify(document.title) or 'dokumen'}-{application.case.tracking_code}.pdf"
    return _file_response(document.file, name, document.content_type)


@require_POST
@login_required
def document_visibility(request: AuthenticatedHttpRequest, code: str, document_id: int) -> HttpResponse:
    application = queries.application_for_citizen(request.user, code)
    document = queries.document_of(application, document_id)
    actions.document_set_visibility(
        document=document, actor=request.user, show_holder_name=request.POST.get("show") == "1"
    )
    messages.success(request, _("Pilihan tampilan nama di halaman verifikasi tersimpan."))
    return redirect("cases:my_case", code=application.case.tracking_code)


@login_required
def revise(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The resident fixes exactly the fields the officer named, nothing else."""
    application = queries.application_for_citizen(request.user, code)
    if application.case.status != Status.WAITING_CITIZEN:
        messages.info(request, _("Permohonan ini tidak sedang menunggu perbaikan."))
        return redirect("cases:my_case", code=application.case.tracking_code)
    fields = [f for f in application.service.fields.all() if f.name in application.revision_fields]
    if request.method != "POST":
        answers = {f.name: application.data.get(f.name, "") for f in fields if f.type != FormField.Type.FILE}
        return _revise_page(request, application, fields, answers, {}, {})
    answers = raw_from_post(fields, request.POST)
    uploads, errors = {}, {}
    for name, upload in request.FILES.items():
        try:
            uploads[name] = actions.upload_store(
                owner=request.user, service=application.service, field_name=name, upload=upload
            ).pk
        except UploadRejected as error:
            errors[name] = error.message
    if not errors:
        try:
            actions.application_resubmit(
                application=application, actor=request.user, answers=answers, uploads=uploads
            )
        except ApplicationInvalid as invalid:
            errors = invalid.errors
        except CaseError as error:
            messages.error(request, error.message)
            return redirect("cases:my_case", code=application.case.tracking_code)
        else:
            messages.success(request, _("Perbaikan terkirim. Petugas akan memeriksanya kembali."))
            return redirect("cases:my_case", code=application.case.tracking_code)
    return _revise_page(request, application, fields, answers, uploads, errors, status=400)


def _revise_page(request, application, fields, answers, uploads, errors, status=200) -> HttpResponse:
    context = {
        "application": application,
        "case": application.case,
        "rows": _form_rows(fields, answers, uploads, errors),
        "kelurahan": kelurahan_choices(),
        "error_count": len(errors),
    }
    return render(request, "services/revise.html", context, status=status)


@login_required
def survey(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    application = queries.application_for_citizen(request.user, code)
    if queries.survey_of(application) is not None:
        messages.info(request, SurveyAlreadyFilled.message)
        return redirect("cases:my_case", code=application.case.tracking_code)
    if not queries.survey_is_open(application):
        messages.info(request, SurveyNotOpen.message)
        return redirect("cases:my_case", code=application.case.tracking_code)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scores = {name: form.cleaned_data[name] for name in SurveyResponse.ELEMENTS}
        try:
            actions.survey_submit(
                application=application,
                actor=request.user,
                scores=scores,
                comment=form.cleaned_data["comment"],
            )
        except CaseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Terima kasih! Penilaian Anda membantu kami memperbaiki layanan."))
        return redirect("cases:my_case", code=application.case.tracking_code)
    return render(
        request,
        "services/survey.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- Public verification and figures ----------------------------------------------------------


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    code = (code or request.GET.get("code", "")).strip()[:20]
    document = queries.document_public(code) if code else None
    return render(
        request,
        "services/verify.html",
        {"code": code, "document": document, "searched": bool(code)},
        status=404 if code and document is None else 200,
    )


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun", today.year))
    except ValueError:
        year = today.year
    return min(max(year, 2020), today.year)


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = queries.figures_by_agency(year)
    return render(
        request,
        "services/statistics.html",
        {
            "year": year,
            "rows": rows,
            "city": queries.figures(year=year),
            "years": range(timezone.localdate().year, 2023, -1),
        },
    )


@require_GET
def service_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    service = _published(slug)
    year = _year(request)
    return render(
        request,
        "services/service_statistics.html",
        {
            "service": service,
            "year": year,
            "figures": queries.figures(year=year, service=service),
            "years": range(timezone.localdate().year, 2023, -1),
        },
    )


# --- Officers -------------------------------------------------------------------------------


def _staff_act(request: AuthenticatedHttpRequest, code: str, perform) -> HttpResponse:
    application = queries.application_for_staff(request.user, code)
    try:
        perform(application)
    except ApplicationInvalid as invalid:
        messages.error(request, errors_summary(invalid.errors))
    except CaseError as error:
        messages.error(request, error.message)
    return redirect("cases:staff_case", code=application.case.tracking_code)


@require_POST
@staff_required
def staff_revision(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _staff_act(
        request,
        code,
        lambda application: actions.application_request_revision(
            application=application,
            actor=request.user,
            fields=request.POST.getlist("fields_to_fix"),
            note=request.POST.get("note", "")[:2000],
        ),
    )


@require_POST
@staff_required
def staff_reject(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _staff_act(
        request,
        code,
        lambda application: actions.application_reject(
            application=application,
            actor=request.user,
            reason=request.POST.get("reason", "")[:2000],
        ),
    )


@require_POST
@staff_required
def staff_finish(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("cases:staff_case", code=code)
    return _staff_act(
        request,
        code,
        lambda application: actions.application_finish(
            application=application,
            actor=request.user,
            number=form.cleaned_data["number"],
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        ),
    )


def staff_panel(request: HttpRequest, case) -> str:
    """The application's part of the officer's case page (registered in apps.py). The case
    comes from the cases view, which has already checked who may see it."""
    application = queries.application_of(case)
    if application is None:
        return ""
    fields = list(application.service.fields.all())
    membership = getattr(request.user, "membership", None)
    context = {
        "application": application,
        "case": case,
        "answers": answer_rows(application, fields),
        "documents": queries.documents_of(application),
        "own": membership is not None and membership.agency_id == case.agency_id,
        # Ids of their own: the case page around the panel has forms with the same field names.
        "revision_form": RevisionForm(service_fields=fields, auto_id="revision_%s"),
        "reject_form": RejectForm(auto_id="reject_%s"),
        "document_form": DocumentForm(auto_id="document_%s"),
        "may_finish": not application.service.needs_approval
        or (membership is not None and membership.role == Membership.Role.KEPALA),
        "next": workflow.allowed_next(case.kind, case.status),
    }
    return render_to_string("services/staff_panel.html", context, request=request)


def citizen_panel(request: HttpRequest, case) -> str:
    application = queries.application_of(case)
    if application is None:
        return ""
    fields = list(application.service.fields.all())
    context = {
        "application": application,
        "case": case,
        "answers": answer_rows(application, fields),
        "documents": queries.documents_of(application),
        "survey": queries.survey_of(application),
        "survey_open": queries.survey_is_open(application),
        "revision_labels": [f.label for f in fields if f.name in application.revision_fields],
    }
    return render_to_string("services/citizen_panel.html", context, request=request)


def answer_rows(application: Application, fields) -> list[dict]:
    kept = queries.uploads_by_id(
        [application.data.get(f.name) for f in fields if f.type == FormField.Type.FILE]
    )
    regions = {r.code: r.name for r in kelurahan_choices()}
    rows = []
    for field in fields:
        value = application.data.get(field.name)
        if field.type == FormField.Type.FILE:
            value = kept.get(value)
        elif field.type == FormField.Type.ADDRESS and value:
            value = (
                f"{value['street']}, RT {value['rt']} RW {value['rw']}, "
                f"{_('Kelurahan')} {regions.get(value['kelurahan'], value['kelurahan'])}"
            )
        elif isinstance(value, list):
            value = ", ".join(value)
        rows.append({"field": field, "value": value, "to_fix": field.name in application.revision_fields})
    return rows
