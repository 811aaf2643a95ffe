from django.db import models
from django.db.models import Q
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

    class Meta:
        ordering = ["service", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="form_field_unique_name")]
        verbose_name = _("isian formulir")
        verbose_name_plural = pgettext_lazy("plural", "isian formulir")

    def __str__(self) -> str:
        return f"{self.service.slug}:{self.name}"
