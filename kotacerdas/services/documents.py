"""The PDFs a service application produces: the receipt a resident gets on submitting, and
the output document generated when an officer finishes the application."""

import secrets
from string import Template

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.lib.pdf import PdfPage, render_pdf
from kotacerdas.lib.trackcode import ALPHABET
from kotacerdas.services.models import Application, FormField, OutputDocument

VERIFICATION_SYMBOLS = 12  # 29**12 ≈ 3.5e17: not worth guessing, still readable aloud


def new_verification_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(VERIFICATION_SYMBOLS))
    return "-".join(raw[i:i + 4] for i in range(0, VERIFICATION_SYMBOLS, 4))


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def tracking_url(code: str) -> str:
    return _absolute(reverse("cases:track") + f"?code={code}")


def verification_url(code: str) -> str:
    return _absolute(reverse("services:verify", args=[code]))


def receipt_pdf(application: Application) -> bytes:
    """Tanda terima: what was applied for, when, by whom, and how to follow it; in the
    resident's language, whoever downloads it."""
    with translation.override(application.applicant.language or "id"):
        return _receipt_pdf(application)


def _receipt_pdf(application: Application) -> bytes:
    case = application.case
    rows = [
        (_("Kode lacak"), case.tracking_code),
        (_("Layanan"), application.service.name),
        (_("Pemohon"), application.applicant.name),
        (_("Diajukan"), date_format(timezone.localtime(application.submitted_at), "j F Y H:i") + " WIB"),
        (_("Ditangani oleh"), case.agency.name),
        (_("Target selesai"), date_format(case.due_date, "j F Y")),
    ]
    attached = [f.label for f in application.service.fields.all()
                if f.type == FormField.Type.FILE and f.name in application.data]
    page = PdfPage(
        title=_("Tanda terima permohonan"),
        subtitle=settings.KOTACERDAS_CITY_NAME,
        rows=rows,
        paragraphs=[_("Berkas terlampir: %(files)s") % {"files": ", ".join(attached) or "—"},
                    _("Simpan kode lacak ini. Status permohonan bisa dilihat kapan saja tanpa login "
                      "di halaman lacak, atau dengan memindai kode QR.")],
        qr_data=tracking_url(case.tracking_code),
        qr_caption=tracking_url(case.tracking_code),
        footer=_("Dokumen ini dibuat otomatis oleh sistem dan sah tanpa tanda tangan."),
    )
    return render_pdf(page, document_title=f"{_('Tanda terima')} {case.tracking_code}")


def _template_values(application: Application, issued_on) -> dict[str, str]:
    values = {"nama": application.applicant.name, "layanan": application.service.name,
              "kode_lacak": application.case.tracking_code, "tanggal": date_format(issued_on, "j F Y")}
    for field in application.service.fields.all():
        # Only plain answers go into a document; identity numbers, phones and addresses are
        # printed only when the template names them explicitly, never by default.
        value = application.data.get(field.name)
        if field.type == FormField.Type.FILE or value is None:
            continue
        if field.type == FormField.Type.ADDRESS:
            value = f"{value['street']} RT {value['rt']} RW {value['rw']}"
        elif isinstance(value, list):
            value = ", ".join(value)
        values[field.name] = str(value)
    return values


def output_pdf(document: OutputDocument) -> bytes:
    """The city's official document is in Bahasa Indonesia (UU 24/2009 Pasal 27: official
    state documents), whatever language the officer who issues it reads the site in."""
    with translation.override("id"):
        return _output_pdf(document)


def _output_pdf(document: OutputDocument) -> bytes:
    application = document.application
    issued_on = timezone.localdate(document.issued_at)
    template = application.service.document_template or _(
        "Menerangkan bahwa $nama telah mengajukan permohonan $layanan dengan kode lacak $kode_lacak, "
        "dan permohonan tersebut telah diselesaikan pada $tanggal."
    )
    body = Template(template).safe_substitute(_template_values(application, issued_on))
    url = verification_url(document.verification_code)
    page = PdfPage(
        title=document.title,
        subtitle=document.agency.name,
        rows=[(_("Nomor"), document.number), (_("Tanggal"), date_format(issued_on, "j F Y")),
              (_("Kode verifikasi"), document.verification_code)],
        paragraphs=[body],
        qr_data=url,
        qr_caption=_("Periksa keaslian dokumen: %(url)s") % {"url": url},
        footer=_("Dokumen elektronik %(city)s. Keasliannya dapat diperiksa dengan kode verifikasi "
                 "di atas.") % {"city": settings.KOTACERDAS_CITY_NAME},
    )
    return render_pdf(page, document_title=f"{document.title} {document.number}")
