import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.cases.errors import errors_summary
from kotacerdas.events import actions, queries
from kotacerdas.events.certificates import absolute, certificate_pdf, event_dates
from kotacerdas.events.errors import EventError, EventInvalid
from kotacerdas.events.forms import MaterialForm
from kotacerdas.events.models import Event, Registration
from kotacerdas.lib.qr import qr_svg


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {
        "upcoming": list(queries.events_upcoming(request.user)),
        "past": list(queries.events_past(request.user)),
    })


def _organiser(user, event: Event) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.agency_id == event.agency_id


@require_GET
def event(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.event_for_user(request.user, slug)
    registration = queries.registration_of(request.user, found)
    ticket_url = ticket_qr = ""
    if registration is not None and registration.status == Registration.Status.REGISTERED:
        ticket_url = absolute(reverse("events:check_in", args=[registration.ticket_code]))
        ticket_qr = qr_svg(ticket_url, scale=5)
    participant = registration is not None and registration.status == Registration.Status.REGISTERED
    organiser = _organiser(request.user, found)
    return render(request, "events/event.html", {
        "event": found,
        "dates": event_dates(found),
        "seats": queries.seats(found),
        "registration": registration,
        "position": queries.waitlist_position(registration) if registration else None,
        "problem": (actions.registration_problem(found, request.user)
                    if request.user.is_authenticated else None),
        "ticket_url": ticket_url,
        "ticket_qr": ticket_qr,
        "materials": list(found.materials.all()) if participant or organiser else [],
        "organiser": organiser,
        "now": timezone.now(),
    })


@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.event_for_user(request.user, slug)
    try:
        registration = actions.registration_create(event=found, user=request.user)
    except EventError as error:
        messages.error(request, str(error.message))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("Anda terdaftar. Tunjukkan kode QR tiket di pintu masuk."))
        else:
            messages.warning(request, _("Kursi sudah penuh; Anda masuk daftar tunggu. Kami kabari bila ada "
                                        "kursi kosong."))
    return redirect("events:event", slug=found.slug)


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.event_for_user(request.user, slug)
    registration = queries.registration_of(request.user, found)
    if registration is None:
        messages.error(request, _("Anda tidak terdaftar di acara ini."))
        return redirect("events:event", slug=found.slug)
    try:
        actions.registration_cancel(registration=registration, actor=request.user)
    except EventError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Pendaftaran dibatalkan."))
    return redirect("events:event", slug=found.slug)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    registrations = list(queries.registrations_of(request.user))
    return render(request, "events/mine.html", {"registrations": registrations})


@login_required
@require_GET
def material(request: HttpRequest, slug: str, material_id: int) -> FileResponse:
    found = queries.event_for_user(request.user, slug)
    handout = queries.material_for(request.user, found, material_id)
    response = FileResponse(handout.file.open("rb"), as_attachment=True, filename=handout.name,
                            content_type=handout.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.event_for_user(request.user, slug)
    registration = queries.certificate_of(request.user, found)
    response = HttpResponse(certificate_pdf(registration), content_type="application/pdf")
    name = f"sertifikat-{slugify(found.slug)[:60]}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str = "") -> HttpResponse:
    code = (code or request.GET.get("code", "")).strip().upper()[:20]
    registration = queries.certificate_public(code) if code else None
    return render(request, "events/certificate_verify.html", {
        "code": code, "registration": registration, "searched": bool(code),
        "dates": event_dates(registration.event) if registration else "",
    }, status=404 if code and registration is None else 200)


# -- the organising agency ----------------------------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    """The page the ticket's QR code opens on the officer's phone. Opening it only shows the
    participant; the button records the attendance (a link preview must not check anyone in)."""
    registration = queries.registration_for_check_in(request.user, code)
    if request.method == "POST":
        try:
            registration, first = actions.registration_check_in(registration=registration, actor=request.user)
        except EventError as error:
            messages.error(request, str(error.message))
        else:
            if first:
                messages.success(request, _("Kehadiran %(name)s dicatat.") % {"name": registration.user.name})
            else:
                messages.info(request, _("Kehadiran peserta ini sudah dicatat sebelumnya."))
        return redirect("events:check_in", code=code)
    return render(request, "events/check_in.html",
                  {"registration": registration, "event": registration.event})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_event(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.event_for_staff(request.user, slug)
    form = MaterialForm(auto_id="material_%s")
    if request.method == "POST" and request.POST.get("step") == "fill":
        promoted = actions.event_fill_seats(event=found, actor=request.user)
        messages.success(request, _("%(count)s peserta naik dari daftar tunggu.") % {"count": len(promoted)})
        return redirect("events:staff_event", slug=found.slug)
    if request.method == "POST":
        form = MaterialForm(request.POST, request.FILES, auto_id="material_%s")
        try:
            if not form.is_valid():
                raise EventInvalid({name: " ".join(str(e) for e in errs)
                                    for name, errs in form.errors.items()})
            actions.material_add(event=found, actor=request.user, title=form.cleaned_data["title"],
                                 upload=form.cleaned_data["file"])
        except EventInvalid as error:
            messages.error(request, errors_summary(error.errors))
        else:
            messages.success(request, _("Materi ditambahkan."))
            return redirect("events:staff_event", slug=found.slug)
    return render(request, "events/staff_event.html", {
        "event": found, "dates": event_dates(found), "seats": queries.seats(found),
        "attendance": list(queries.attendance(found)), "waitlist": list(queries.waitlist(found)),
        "materials": list(found.materials.all()), "form": form,
    }, status=400 if form.errors else 200)


def _cell(text: str) -> str:
    # A name typed as "=HYPERLINK(...)" must stay text when the list is opened in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_required
@require_GET
def attendance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Names and check-in times only: no NIK, e-mail or phone leaves the platform this way."""
    found = queries.event_for_staff(request.user, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kehadiran-{found.slug[:60]}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Nomor"), _("Nama"), _("Hadir (WIB)")])
    for number, registration in enumerate(queries.attendance(found), start=1):
        checked = registration.checked_in_at
        writer.writerow([number, _cell(registration.user.name),
                         date_format(timezone.localtime(checked), "Y-m-d H:i") if checked else ""])
    return response
