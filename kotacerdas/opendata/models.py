"""Satu Data: datasets published by each OPD (Produsen Data) after the Walidata's review.

Identifiers follow what other CKAN portals enforce when they import our data (UUIDs, slug
names of 2–100 characters), so a harvested copy keeps the same ids (reference/ckan.md §3.1).
"""

import uuid

from django.conf import settings
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# CKAN's name rule: lowercase letters, digits, "-" and "_", 2–100 characters.
name_validator = RegexValidator(
    r"^[a-z0-9_-]{2,100}$",
    _("Hanya huruf kecil, angka, - dan _, 2–100 karakter."),
)
# CKAN's tag rule: word characters, spaces, "-" and ".", 2–100 characters.
tag_validator = RegexValidator(
    r"^[\w .-]{2,100}$",
    _("Tag hanya huruf, angka, spasi, - dan ., 2–100 karakter."),
)
RESERVED_NAMES = {"new", "edit", "search", "baru"}


class Frequency(models.TextChoices):
    """Update frequency (dct:accrualPeriodicity)."""

    HARIAN = "harian", _("Harian")
    MINGGUAN = "mingguan", _("Mingguan")
    BULANAN = "bulanan", _("Bulanan")
    TRIWULANAN = "triwulanan", _("Triwulanan")
    SEMESTERAN = "semesteran", _("Semesteran")
    TAHUNAN = "tahunan", _("Tahunan")
    TIDAK_TENTU = "tidak_tentu", _("Tidak tentu")


class Topic(models.Model):
    """A CKAN group: the six smart-city dimensions, and any theme the Walidata adds."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("nama (slug)"), max_length=100, unique=True, validators=[name_validator])
    title = models.CharField(_("judul"), max_length=200)
    title_en = models.CharField(_("judul (Inggris)"), max_length=200, blank=True)
    description = models.TextField(_("deskripsi"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("topik")
        verbose_name_plural = pgettext_lazy("plural", "topik")

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("tag"), max_length=100, unique=True, validators=[tag_validator])

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = pgettext_lazy("plural", "tag")

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        REVIEW = "review", _("Diperiksa Walidata")
        RETURNED = "returned", _("Dikembalikan")
        PUBLISHED = "published", _("Terbit")
        WITHDRAWN = "withdrawn", _("Ditarik")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("nama (slug)"), max_length=100, unique=True, validators=[name_validator, MinLengthValidator(2)],
        help_text=_("Bagian alamat halaman, mis. jumlah-penduduk-per-kelurahan."),
    )
    title = models.CharField(_("judul"), max_length=250)
    notes = models.TextField(_("deskripsi"), blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="datasets",
        verbose_name=_("produsen data"),
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="datasets", verbose_name=_("topik"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets", verbose_name=_("tag"))
    license_id = models.CharField(_("lisensi"), max_length=40, default="cc-by")
    frequency = models.CharField(
        _("frekuensi pemutakhiran"), max_length=20, choices=Frequency.choices, default=Frequency.TAHUNAN,
    )
    period_start = models.DateField(_("periode mulai"), null=True, blank=True)
    period_end = models.DateField(_("periode selesai"), null=True, blank=True)
    contact_name = models.CharField(_("nama kontak"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    version = models.CharField(_("versi"), max_length=100, blank=True)
    # Satu Data's data standard (Perpres 39/2019 Pasal 1 angka 7): concept, definition,
    # classification, unit; plus reference codes.
    concept = models.TextField(_("konsep"), blank=True)
    definition = models.TextField(_("definisi"), blank=True)
    classification = models.CharField(_("klasifikasi"), max_length=250, blank=True)
    unit = models.CharField(_("satuan"), max_length=100, blank=True)
    measure = models.CharField(_("ukuran"), max_length=250, blank=True)
    region_code = models.CharField(
        _("kode wilayah Kemendagri"), max_length=20, default="35.72", blank=True,
        help_text=_("Cakupan wilayah data, mis. 35.72 untuk Kota Blitar."),
    )
    source = models.CharField(_("sumber data"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True,
    )
    private = models.BooleanField(
        _("terbatas"), default=False,
        help_text=_("Data terbatas hanya terlihat oleh OPD pemiliknya, Walidata dan mitra dengan kunci API."),
    )
    is_demo = models.BooleanField(_("data demo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # metadata_modified: bumped by every change of the dataset, its resources or its
    # visibility, because incremental harvesters compare it (reference/ckan.md §6.6).
    modified_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Lowercased title, notes, tags, topic titles and column names, rewritten by the same
    # action that changes any of them: search reads one column, nothing to keep in sync.
    search_text = models.TextField(default="", blank=True, editable=False)
    # Formats of the current resources, comma-separated, for the format facet.
    formats = models.CharField(max_length=200, default="", blank=True, editable=False)

    class Meta:
        ordering = ["-modified_at"]
        verbose_name = _("dataset")
        verbose_name_plural = pgettext_lazy("plural", "dataset")
        indexes = [
            models.Index(fields=["status", "private", "-modified_at"], name="dataset_public_idx"),
            # An OPD's datasets (package_search's fq=organization:, the OPD page). With the
            # status in the index SQLite, which has no statistics, picks it over the status
            # index, which would read every published dataset (19 ms instead of 1 ms).
            models.Index(fields=["agency", "status"], name="dataset_agency_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.private


class ReviewNote(models.Model):
    """One step of the Walidata's review: a comment, a return with what to fix, an approval."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("Diajukan")
        COMMENT = "comment", _("Komentar")
        RETURN = "return", _("Dikembalikan")
        APPROVE = "approve", _("Disetujui dan diterbitkan")
        WITHDRAW = "withdraw", _("Ditarik")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="review_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
    )
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.get_kind_display()}"


def resource_upload_to(instance: "ResourceVersion", filename: str) -> str:
    return f"opendata/{instance.resource_id}/{instance.number}-{filename}"


class Resource(models.Model):
    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        XLSX = "XLSX", "XLSX"
        JSON = "JSON", "JSON"
        GEOJSON = "GeoJSON", "GeoJSON"
        PDF = "PDF", "PDF"
        HTML = "HTML", "HTML"
        API = "API", "API"
        OTHER = "", _("Lainnya")

    class Load(models.TextChoices):
        NONE = "", _("Tidak dimuat")
        PENDING = "pending", _("Menunggu dimuat")
        DONE = "done", _("Dimuat")
        FAILED = "failed", _("Gagal dimuat")

    TABULAR = {Format.CSV, Format.XLSX}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nama"), max_length=250)
    description = models.TextField(_("deskripsi"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    url = models.URLField(
        _("tautan"), max_length=1000, blank=True, help_text=_("Untuk sumber berupa tautan."),
    )
    # The current file is the newest ResourceVersion; these mirror it for listing.
    filename = models.CharField(max_length=250, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=80, blank=True)
    mimetype = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)
    load_status = models.CharField(max_length=10, choices=Load.choices, default=Load.NONE, blank=True)
    load_error = models.TextField(blank=True)
    # Row-level problems found while loading: [{"row": 12, "column": "jumlah", "value": "x", "error": "..."}].
    load_problems = models.JSONField(default=list, blank=True)
    row_count = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = _("sumber data")
        verbose_name_plural = pgettext_lazy("plural", "sumber data")

    def __str__(self) -> str:
        return self.name

    @property
    def is_upload(self) -> bool:
        return bool(self.filename)

    @property
    def datastore_active(self) -> bool:
        return self.load_status == self.Load.DONE

    @property
    def table_name(self) -> str:
        return f"datastore_{self.id.hex}"


class ResourceVersion(models.Model):
    """Every uploaded file is kept: replacing a file adds a version, never overwrites one."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=resource_upload_to, max_length=300)
    original_name = models.CharField(max_length=250)
    size = models.BigIntegerField()
    hash = models.CharField(max_length=80)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class DatastoreField(models.Model):
    """A column of a loaded table. `column` is the SQL name (c0, c1 ...); `name` the header."""

    class Type(models.TextChoices):
        INT = "int", _("Bilangan bulat")
        NUMERIC = "numeric", _("Bilangan desimal")
        DATE = "date", _("Tanggal")
        TIMESTAMP = "timestamp", _("Tanggal dan waktu")
        BOOL = "bool", _("Ya/tidak")
        TEXT = "text", _("Teks")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=250)
    column = models.CharField(max_length=20)
    type = models.CharField(max_length=10, choices=Type.choices)
    inferred_type = models.CharField(max_length=10, choices=Type.choices)
    label = models.CharField(max_length=250, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "position"], name="datastore_field_unique"),
        ]

    def __str__(self) -> str:
        return self.name
