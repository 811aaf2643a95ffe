import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    KEPENDUDUKAN = "kependudukan", _("Kependudukan")
    SOSIAL = "sosial", _("Sosial")
    PERIZINAN = "perizinan", _("Perizinan dan usaha")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    LINGKUNGAN = "lingkungan", _("Lingkungan")
    INFORMASI = "informasi", _("Informasi publik")
    KETENAGAKERJAAN = "ketenagakerjaan", _("Ketenagakerjaan")
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur")
    UMUM = "umum", _("Umum")


class LifeEvent(models.TextChoices):
    KELAHIRAN = "kelahiran", _("Kelahiran")
    KEMATIAN = "kematian", _("Kematian")
    PINDAH = "pindah", _("Pindah rumah")
    PERNIKAHAN = "pernikahan", _("Pernikahan")
    USAHA = "usaha", _("Membuka usaha")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PEKERJAAN = "pekerjaan", _("Mencari kerja")
    BANTUAN_SOSIAL = "bantuan_sosial", _("Bantuan sosial")
    RUMAH = "rumah", _("Rumah dan bangunan")


class Service(models.Model):
    """A public service with its published standard (UU 25/2009 Pasal 21: requirements,
    procedure, completion time, fee, product, complaint handling)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("nama layanan"), max_length=200)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="services",
        verbose_name=_("perangkat daerah"),
    )
    all_kelurahan = models.BooleanField(
        _("dilayani setiap kelurahan"), default=False,
        help_text=_("Permohonan diteruskan ke kantor kelurahan pemohon."),
    )
    summary = models.CharField(_("ringkasan"), max_length=300)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, db_index=True)
    life_events = models.JSONField(_("peristiwa hidup"), default=list, blank=True)
    requirements = models.JSONField(_("persyaratan"), default=list)
    procedure = models.JSONField(_("prosedur"), default=list)
    sla_workdays = models.PositiveSmallIntegerField(_("jangka waktu (hari kerja)"))
    fee = models.CharField(_("biaya/tarif"), max_length=200, default="Gratis")
    fee_amount = models.PositiveIntegerField(_("biaya (rupiah)"), default=0)
    product = models.CharField(_("produk layanan"), max_length=200)
    complaint_channel = models.CharField(_("penanganan pengaduan"), max_length=300)
    legal_basis = models.JSONField(_("dasar hukum"), default=list, blank=True)
    online = models.BooleanField(_("bisa sepenuhnya daring"), default=True)
    requires_nik = models.BooleanField(_("wajib NIK"), default=False)
    needs_approval = models.BooleanField(_("perlu persetujuan kepala"), default=False)
    is_sample = models.BooleanField(
        _("contoh isi"), default=False,
        help_text=_("Isi contoh dari pengembang; OPD memeriksa dan menyuntingnya."),
    )
    is_published = models.BooleanField(_("diterbitkan"), default=True)
    document_template = models.TextField(
        _("templat dokumen hasil"), blank=True,
        help_text=_("Isi dokumen yang dibuat sistem. Bisa memakai $nama, $layanan, $kode_lacak, "
                    "$tanggal dan nama teknis isian formulir, mis. $alasan."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(all_kelurahan=True), name="service_has_provider"
            )
        ]
        verbose_name = _("layanan")
        verbose_name_plural = pgettext_lazy("plural", "layanan")

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    """One field of a service's application form, edited by the OPD admin as data."""

    class Type(models.TextChoices):
        TEXT = "text", _("Teks singkat")
        TEXTAREA = "textarea", _("Teks panjang")
        NUMBER = "number", _("Angka")
        DATE = "date", _("Tanggal")
        CHOICE = "choice", _("Pilihan")
        MULTICHOICE = "multichoice", _("Pilihan ganda")
        NIK = "nik", _("NIK")
        PHONE = "phone", _("Nomor HP")
        ADDRESS = "address", _("Alamat (kelurahan/RW/RT)")
        FILE = "file", _("Berkas")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    name = models.SlugField(_("nama teknis"), max_length=50)
    label = models.CharField(_("label"), max_length=150)
    type = models.CharField(_("jenis"), max_length=12, choices=Type.choices)
    required = models.BooleanField(_("wajib"), default=True)
    help = models.CharField(_("bantuan"), max_length=300, blank=True)
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    accept = models.JSONField(_("jenis berkas"), default=list, blank=True, help_text='["pdf", "jpg", "png"]')
    max_mb = models.PositiveSmallIntegerField(_("ukuran maksimal (MB)"), default=2)
    rules = models.JSONField(
        _("aturan isian"), default=dict, blank=True,
        help_text='{"min_length": 3, "max_length": 100, "min": 0, "max": 10, "pattern": "^[0-9]+$", '
                  '"date": "past"}',
    )

    class Meta:
        ordering = ["service", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="form_field_unique_name")]
        verbose_name = _("isian formulir")
        verbose_name_plural = pgettext_lazy("plural", "isian formulir")

    def __str__(self) -> str:
        return f"{self.service.slug}:{self.name}"


def _upload_path(instance, filename: str) -> str:
    # A random name: the stored path reveals nothing and cannot be guessed. Files are never
    # served from MEDIA_URL, only through views that check who asks (services.views.upload).
    return f"private/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}{Path(filename).suffix}"


class Draft(models.Model):
    """What a resident has typed into a service's form so far, kept between visits.

    `submission_key` travels with the form; submitting twice with the same key (a double
    click, a retry on a flaky network) finds the application the first submit created.
    """

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    submission_key = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["applicant", "service"], name="draft_one_per_service")
        ]
        verbose_name = _("draf permohonan")
        verbose_name_plural = pgettext_lazy("plural", "draf permohonan")

    def __str__(self) -> str:
        return f"{self.service.slug} · {self.applicant_id}"


class Application(models.Model):
    """A resident's application for a service. Status, SLA clock and timeline are its case's."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="application")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    data = models.JSONField(_("isian"), default=dict)
    submission_key = models.CharField(max_length=64)
    revision_fields = models.JSONField(_("isian yang perlu diperbaiki"), default=list, blank=True)
    revision_note = models.TextField(_("catatan perbaikan"), blank=True)
    revisions = models.PositiveSmallIntegerField(_("jumlah perbaikan"), default=0)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["applicant", "submission_key"], name="application_idempotent")
        ]
        indexes = [models.Index(fields=["service", "submitted_at"])]
        verbose_name = _("permohonan")
        verbose_name_plural = pgettext_lazy("plural", "permohonan")

    def __str__(self) -> str:
        return f"{self.case.tracking_code} · {self.service.name}"


class Upload(models.Model):
    """A document a resident uploaded for a form field, checked and cleaned (lib/uploads)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="uploads"
    )
    field_name = models.CharField(max_length=50)
    file = models.FileField(upload_to=_upload_path)
    name = models.CharField(_("nama berkas"), max_length=100)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("berkas unggahan")
        verbose_name_plural = pgettext_lazy("plural", "berkas unggahan")

    def __str__(self) -> str:
        return self.name


class OutputDocument(models.Model):
    """The product of a finished application: an uploaded file or a generated PDF, carrying a
    verification code anyone can check on the public verification page."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("penerbit"))
    title = models.CharField(_("jenis dokumen"), max_length=200)
    number = models.CharField(_("nomor dokumen"), max_length=100)
    issued_at = models.DateTimeField(_("tanggal terbit"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verification_code = models.CharField(_("kode verifikasi"), max_length=14, unique=True)
    file = models.FileField(upload_to=_upload_path)
    content_type = models.CharField(max_length=50, default="application/pdf")
    generated = models.BooleanField(_("dibuat sistem"), default=False)
    show_holder_name = models.BooleanField(
        _("tampilkan nama pemegang di halaman verifikasi"), default=False,
        help_text=_("Pemegang dokumen yang memilih; bawaannya nama tidak ditampilkan."),
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="document_number_per_agency")
        ]
        verbose_name = _("dokumen hasil layanan")
        verbose_name_plural = pgettext_lazy("plural", "dokumen hasil layanan")

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class SurveyResponse(models.Model):
    """One resident's Survei Kepuasan Masyarakat for one finished application: the nine
    elements (unsur) of PermenPANRB 14/2017, each scored 1 (tidak baik) to 4 (sangat baik)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="survey")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="surveys")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    comment = models.TextField(_("saran"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
                                   name=f"survey_{name}_1_to_4")
            for name in ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
        ]
        indexes = [models.Index(fields=["agency", "submitted_at"]),
                   models.Index(fields=["service", "submitted_at"])]
        verbose_name = _("survei kepuasan")
        verbose_name_plural = pgettext_lazy("plural", "survei kepuasan")

    def __str__(self) -> str:
        return f"SKM {self.application_id}"
