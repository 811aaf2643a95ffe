import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.Model):
    """A kind of problem residents report (Open311: a service), routed to one agency.

    The deadlines follow SP4N-LAPOR! (verification 3, follow-up 5, closing 10 working days
    after the answer) and are kept here, per category, so admins change them without code.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True, help_text=_("Open311 service_code"))
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    group = models.CharField(_("kelompok"), max_length=80, blank=True)
    keywords = models.CharField(_("kata kunci"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="report_categories",
        verbose_name=_("perangkat daerah penanggung jawab"),
    )
    verify_workdays = models.PositiveSmallIntegerField(_("batas verifikasi (hari kerja)"), default=3)
    followup_workdays = models.PositiveSmallIntegerField(_("batas tindak lanjut (hari kerja)"), default=5)
    autoclose_workdays = models.PositiveSmallIntegerField(
        _("ditutup otomatis setelah jawaban (hari kerja)"), default=10
    )
    duplicate_radius_m = models.PositiveSmallIntegerField(_("radius laporan serupa (meter)"), default=250)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "kategori pengaduan")

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """An extra question of a category (Open311 service definition attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Teks singkat")
        NUMBER = "number", _("Angka")
        DATETIME = "datetime", _("Tanggal dan jam")
        TEXT = "text", _("Teks panjang")
        SINGLE = "singlevaluelist", _("Satu pilihan")
        MULTI = "multivaluelist", _("Beberapa pilihan")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("kode"), max_length=40)
    description = models.CharField(_("pertanyaan"), max_length=200)
    datatype = models.CharField(_("jenis"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("wajib"), default=False)
    values = models.JSONField(
        _("pilihan"), default=list, blank=True, help_text='[{"key": "besar", "name": "Besar"}]'
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["category", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_code_unique")]
        verbose_name = _("pertanyaan tambahan")
        verbose_name_plural = pgettext_lazy("plural", "pertanyaan tambahan")

    def __str__(self) -> str:
        return f"{self.category.code}:{self.code}"


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Publik")
    # SP4N-LAPOR!: anonim = the report is public, the reporter's identity is not;
    # rahasia = the report itself is not public.
    ANONYMOUS = "anonymous", _("Anonim: laporan publik, identitas pelapor disembunyikan")
    CONFIDENTIAL = "confidential", _("Rahasia: laporan tidak ditampilkan ke publik")


class CloseReason(models.TextChoices):
    FIXED = "fixed", _("Selesai ditangani")
    NOT_RESPONSIBLE = "not_responsible", _("Ditutup: bukan kewenangan Pemerintah Kota")
    DUPLICATE = "duplicate", _("Ditutup: sama dengan laporan lain")
    NO_ACTION = "no_action", _("Ditutup: tidak dapat ditindaklanjuti")


def _photo_path(instance, filename: str) -> str:
    return f"reports/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}{Path(filename).suffix}"


class Report(models.Model):
    """A citizen report (pengaduan) about a problem at a place in the city. Status, agency,
    SLA clock and timeline are its case's; this holds what is particular to a report."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="report")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kategori")
    )
    description = models.TextField(_("uraian"))
    lat = models.FloatField(_("lintang"))
    lon = models.FloatField(_("bujur"))
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    address = models.CharField(
        _("patokan lokasi"),
        max_length=250,
        blank=True,
        help_text=_("Lokasi masalah, mis. nama jalan dan patokan; bukan alamat pelapor."),
    )
    privacy = models.CharField(_("privasi"), max_length=12, choices=Privacy.choices, default=Privacy.PUBLIC)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("pelapor"),
    )
    attributes = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=20, default="web")  # web, open311, wifi
    submission_key = models.CharField(max_length=64, blank=True)
    close_reason = models.CharField(
        _("alasan ditutup"), max_length=20, choices=CloseReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("sama dengan"),
    )
    supporters = models.PositiveIntegerField(_("pendukung"), default=0)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    autoclose_on = models.DateField(_("ditutup otomatis pada"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["lat", "lon"]),
            models.Index(fields=["category", "created_at"]),
            models.Index(fields=["kelurahan", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="report_idempotent",
            ),
        ]
        verbose_name = _("pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "pengaduan")

    def __str__(self) -> str:
        return f"{self.case.tracking_code} · {self.category.name}"

    @property
    def is_public(self) -> bool:
        return self.privacy != Privacy.CONFIDENTIAL


class Photo(models.Model):
    """A photo of the problem, re-encoded without metadata (lib/uploads). Served only through
    a view that checks the report may be seen."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    hidden = models.BooleanField(_("disembunyikan"), default=False)
    by_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("foto pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "foto pengaduan")

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.report_id}"


class Support(models.Model):
    """ "Saya juga mengalami ini": a resident backs a report instead of filing a duplicate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="support_once")]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.report_id}"


class Subscription(models.Model):
    """Alerts by e-mail or WhatsApp: updates of one report, or new reports in a kelurahan
    or within a radius of a point."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Satu laporan")
        KELURAHAN = "kelurahan", _("Laporan baru di kelurahan")
        AREA = "area", _("Laporan baru di sekitar titik")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(default=500)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("langganan pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "langganan pengaduan")

    def __str__(self) -> str:
        return f"{self.kind} · {self.user_id}"


class ReplyTemplate(models.Model):
    """A reply officers reuse; an agency's own, or everyone's when agency is empty."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah"),
    )
    title = models.CharField(_("judul"), max_length=100)
    text = models.TextField(_("isi"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("templat tanggapan")
        verbose_name_plural = pgettext_lazy("plural", "templat tanggapan")

    def __str__(self) -> str:
        return self.title
