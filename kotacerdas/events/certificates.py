"""The certificate of attendance: a PDF with a verification code and a QR code to the
public verification page."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.events.models import Event, Registration
from kotacerdas.lib.pdf import PdfPage, render_pdf


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verification_url(code: str) -> str:
    return absolute(reverse("events:certificate_verify", args=[code]))


def event_dates(event: Event) -> str:
    """"3–4 Juli 2023" style, in the active language and in WIB."""
    start, end = timezone.localdate(event.starts_at), timezone.localdate(event.ends_at)
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def certificate_pdf(registration: Registration) -> bytes:
    """The city's certificate is in Bahasa Indonesia (UU 24/2009 Pasal 27), whatever
    language the participant reads the site in."""
    with translation.override("id"):
        return _certificate_pdf(registration)


def _certificate_pdf(registration: Registration) -> bytes:
    event = registration.event
    url = verification_url(registration.certificate_code)
    page = PdfPage(
        title=_("Sertifikat kehadiran"),
        subtitle=event.agency.name,
        rows=[
            (_("Diberikan kepada"), registration.user.name),
            (_("Acara"), event.title),
            (_("Tanggal"), event_dates(event)),
            (_("Tempat"), event.place),
            (_("Kode verifikasi"), registration.certificate_code),
        ],
        paragraphs=[_("Telah hadir sebagai peserta %(event)s yang diselenggarakan oleh %(agency)s.")
                    % {"event": event.title, "agency": event.agency.name}],
        qr_data=url,
        qr_caption=_("Periksa keaslian sertifikat: %(url)s") % {"url": url},
        footer=_("Sertifikat elektronik %(city)s. Keasliannya dapat diperiksa dengan kode verifikasi "
                 "di atas.") % {"city": settings.KOTACERDAS_CITY_NAME},
    )
    title = _("Sertifikat %(event)s") % {"event": event.title}
    return render_pdf(page, document_title=title)
