"""PPID: public information requests (UU 14/2008 Keterbukaan Informasi Publik).

A request is a case of kind "information": the case gives it the tracking code, the
deadline in working days, the timeline and the inbox. The deadlines themselves are data
(PpidRules), editable by an admin, because reference/domain.md §3.3 marks the statute's
numbers as not verified against the gazette.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PpidRules(models.Model):
    """One row: the deadlines and who answers. Edited in the admin, never in code."""

    answer_workdays = models.PositiveSmallIntegerField(
        _("batas jawaban (hari kerja)"), default=10, help_text=_("UU 14/2008 Pasal 22 ayat (7)."),
    )
    extension_workdays = models.PositiveSmallIntegerField(
        _("perpanjangan (hari kerja)"), default=7,
        help_text=_("Sekali, dengan alasan tertulis (Pasal 22 ayat (8))."),
    )
    objection_window_workdays = models.PositiveSmallIntegerField(
        _("batas mengajukan keberatan (hari kerja)"), default=30,
    )
    objection_answer_workdays = models.PositiveSmallIntegerField(
        _("batas tanggapan atasan PPID (hari kerja)"), default=30,
    )
    ppid_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("PPID Utama"),
    )
    superior_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("atasan PPID"),
        help_text=_("Kepala perangkat daerah ini memutus keberatan."),
    )
    superior_title = models.CharField(
        _("jabatan atasan PPID"), max_length=150, default="Sekretaris Daerah Kota Blitar",
    )

    class Meta:
        verbose_name = _("aturan PPID")
        verbose_name_plural = pgettext_lazy("plural", "aturan PPID")

    def __str__(self) -> str:
        return str(_("Aturan PPID"))


class Obtain(models.TextChoices):
    """How the requester wants the information (Pasal 22 ayat (1))."""

    VIEW = "view", _("Melihat/membaca di kantor")
    ELECTRONIC = "electronic", _("Salinan elektronik (dikirim lewat kotacerdas/e-mail)")
    PRINTED = "printed", _("Salinan tercetak (diambil atau dikirim)")


class Decision(models.TextChoices):
    GRANTED = "granted", _("Diberikan seluruhnya")
    PARTLY = "partly", _("Diberikan sebagian")
    REFUSED = "refused", _("Ditolak (informasi dikecualikan)")
    NOT_HELD = "not_held", _("Tidak dikuasai badan publik ini")


# Decisions that withhold information must name their legal ground (Pasal 17 exemptions,
# or that the information is not held).
NEEDS_GROUND = {Decision.PARTLY, Decision.REFUSED, Decision.NOT_HELD}


class InformationRequest(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="information_request")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    information = models.TextField(_("informasi yang diminta"))
    purpose = models.TextField(_("tujuan penggunaan informasi"))
    obtain = models.CharField(_("cara memperoleh"), max_length=20, choices=Obtain.choices)
    submission_key = models.CharField(max_length=64)
    extended_at = models.DateTimeField(_("diperpanjang"), null=True, blank=True)
    extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices, blank=True)
    legal_ground = models.TextField(_("dasar hukum/alasan"), blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)
    answer_due = models.DateField(_("batas jawaban saat diputus"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("permohonan informasi")
        verbose_name_plural = pgettext_lazy("plural", "permohonan informasi")
        constraints = [
            models.UniqueConstraint(fields=["requester", "submission_key"], name="information_request_once"),
        ]

    def __str__(self) -> str:
        return self.case.tracking_code


def answer_file_to(instance: "AnswerFile", filename: str) -> str:
    return f"ppid/{instance.request.case.tracking_code}/{filename}"


class AnswerFile(models.Model):
    """The information itself, sent to the requester with the answer. Private: only the
    requester and officers download it."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=answer_file_to, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ObjectionGround(models.TextChoices):
    """The seven grounds of UU 14/2008 Pasal 35 ayat (1)."""

    REFUSED = "a", _("Permohonan ditolak dengan alasan pengecualian (Pasal 17)")
    PERIODIC = "b", _("Informasi berkala (Pasal 9) tidak disediakan")
    UNANSWERED = "c", _("Permohonan tidak ditanggapi")
    NOT_AS_ASKED = "d", _("Permohonan ditanggapi tidak sebagaimana yang diminta")
    NOT_FULFILLED = "e", _("Permohonan tidak dipenuhi")
    FEE = "f", _("Pengenaan biaya yang tidak wajar")
    LATE = "g", _("Penyampaian informasi melebihi waktu yang diatur")


class Objection(models.Model):
    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Keberatan diterima: informasi diberikan")
        PARTLY = "partly", _("Keberatan diterima sebagian")
        REJECTED = "rejected", _("Keberatan ditolak: keputusan PPID dikuatkan")

    request = models.OneToOneField(InformationRequest, on_delete=models.PROTECT, related_name="objection")
    grounds = models.JSONField(_("alasan keberatan"))
    reason = models.TextField(_("uraian keberatan"))
    filed_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("batas tanggapan"))
    outcome = models.CharField(_("putusan"), max_length=20, choices=Outcome.choices, blank=True)
    response = models.TextField(_("tanggapan atasan PPID"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = pgettext_lazy("plural", "keberatan")

    def __str__(self) -> str:
        outcome = self.get_outcome_display() or _("menunggu")
        return f"{self.request} · {outcome}"

    @property
    def ground_labels(self) -> list[str]:
        return [str(ObjectionGround(code).label) for code in self.grounds if code in ObjectionGround.values]


class PublicInformation(models.Model):
    """An entry of the Daftar Informasi Publik (DIP) the PPID maintains."""

    class Category(models.TextChoices):
        PERIODIC = "berkala", _("Wajib disediakan dan diumumkan secara berkala")
        IMMEDIATE = "serta_merta", _("Wajib diumumkan secara serta-merta")
        ON_REQUEST = "setiap_saat", _("Wajib tersedia setiap saat")
        EXEMPT = "dikecualikan", _("Dikecualikan")

    title = models.CharField(_("judul informasi"), max_length=250)
    summary = models.TextField(_("ringkasan"), blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("penguasa informasi"),
    )
    responsible = models.CharField(_("penanggung jawab"), max_length=150, blank=True)
    period = models.CharField(_("waktu pembuatan/penerbitan"), max_length=100, blank=True)
    form = models.CharField(_("bentuk informasi"), max_length=100, default="Softcopy dan hardcopy")
    retention = models.CharField(_("jangka waktu penyimpanan"), max_length=100, blank=True)
    link = models.URLField(_("tautan"), blank=True)
    exemption_ground = models.TextField(_("dasar pengecualian"), blank=True)
    is_sample = models.BooleanField(
        _("contoh isi"), default=False,
        help_text=_("Isi contoh dari pengembang; PPID memeriksa dan menyuntingnya."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("daftar informasi publik")
        verbose_name_plural = pgettext_lazy("plural", "daftar informasi publik")

    def __str__(self) -> str:
        return self.title


# -- news, announcements and the documents library ----------------------------------------------


def news_image_to(instance: "News", filename: str) -> str:
    return f"berita/{timezone.now():%Y/%m}/{filename}"


class News(models.Model):
    """A news item or an announcement of one OPD. The body is sanitised HTML (lib/richtext)
    written by news_save; the public sees it only once published and its time has come."""

    class Kind(models.TextChoices):
        NEWS = "news", _("Berita")
        ANNOUNCEMENT = "announcement", _("Pengumuman")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="news", verbose_name=_("perangkat daerah"),
    )
    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    body = models.TextField(_("isi"))
    image = models.FileField(_("gambar"), upload_to=news_image_to, max_length=300, blank=True)
    tags = models.JSONField(_("tag"), default=list, blank=True)
    featured = models.BooleanField(_("unggulan"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("waktu terbit"), default=timezone.now,
        help_text=_("Tampil untuk publik mulai waktu ini (bisa dijadwalkan)."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    is_sample = models.BooleanField(_("contoh isi"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"], name="news_public")]
        verbose_name = _("berita")
        verbose_name_plural = pgettext_lazy("plural", "berita")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("information:news_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()


def document_file_to(instance: "Document", filename: str) -> str:
    return f"dokumen/{instance.year}/{filename}"


class Document(models.Model):
    """A public document: a regulation, a plan or a report, as a PDF with its metadata and
    the text pypdf found in it, which search reads."""

    class Kind(models.TextChoices):
        PERDA = "perda", _("Peraturan Daerah (Perda)")
        PERWALI = "perwali", _("Peraturan Wali Kota (Perwali)")
        RPJMD = "rpjmd", _("RPJMD")
        RENSTRA = "renstra", _("Rencana Strategis (Renstra)")
        MASTERPLAN = "masterplan", _("Masterplan Smart City")
        REPORT = "laporan", _("Laporan")
        OTHER = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        IN_FORCE = "berlaku", _("Berlaku")
        REVOKED = "dicabut", _("Dicabut")

    title = models.CharField(_("judul"), max_length=300)
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("perangkat daerah"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    summary = models.TextField(_("keterangan"), blank=True)
    file = models.FileField(_("berkas PDF"), upload_to=document_file_to, max_length=300)
    file_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    text = models.TextField(_("teks dokumen"), blank=True, editable=False)
    published_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    is_sample = models.BooleanField(_("contoh isi"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-published_at", "-pk"]
        verbose_name = _("dokumen")
        verbose_name_plural = pgettext_lazy("plural", "dokumen")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("information:document_detail", args=[self.pk])
