"""The smart-city masterplan (Gerakan Menuju Smart City), its evaluation, and SPBE.

The frameworks — six dimensions with three sub-dimensions each, Kominfo's evaluation
components and weights, the 47 SPBE indicators with their weights, the maturity levels and
the index bands — are rows loaded from the reference data (`masterplan/reference.py`), not
constants: when a ministry changes a weight or a band, an admin edits a row.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- The frameworks (reference data, editable) -------------------------------------------------


class Dimension(models.Model):
    code = models.SlugField(_("kode"), max_length=20, unique=True)  # governance, branding, ...
    name = models.CharField(_("nama"), max_length=60)  # Smart Governance
    description = models.CharField(_("uraian"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("dimensi")
        verbose_name_plural = pgettext_lazy("plural", "dimensi")

    def __str__(self) -> str:
        return self.name


class SubDimension(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="subdimensions")
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=60, blank=True)

    class Meta:
        ordering = ["dimension__order", "number"]
        constraints = [models.UniqueConstraint(fields=["dimension", "number"], name="subdimension_number")]
        verbose_name = _("sub-dimensi")
        verbose_name_plural = pgettext_lazy("plural", "sub-dimensi")

    def __str__(self) -> str:
        return f"{self.dimension.name} · {self.name}"


class Plan(models.Model):
    """The masterplan document's text: one row for the city's current plan."""

    title = models.CharField(_("judul"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"))
    end_year = models.PositiveSmallIntegerField(_("tahun selesai"))
    vision = models.TextField(_("visi"), blank=True)
    mission = models.TextField(_("misi"), blank=True, help_text=_("Satu misi per baris."))
    goals = models.TextField(_("tujuan dan sasaran"), blank=True, help_text=_("Satu tujuan per baris."))
    readiness_structure = models.TextField(
        _("kesiapan: struktur"), blank=True, help_text=_("Sumber daya, tata kelola dan tata pamong.")
    )
    readiness_infrastructure = models.TextField(
        _("kesiapan: infrastruktur"), blank=True, help_text=_("Fisik, digital/TIK, sosial.")
    )
    readiness_superstructure = models.TextField(
        _("kesiapan: suprastruktur"), blank=True, help_text=_("Kebijakan, regulasi, kelembagaan.")
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("data contoh"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("masterplan")
        verbose_name_plural = pgettext_lazy("plural", "masterplan")

    def __str__(self) -> str:
        return self.title

    @property
    def missions(self) -> list[str]:
        return [line.strip() for line in self.mission.splitlines() if line.strip()]

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]


# --- Programmes, indicators, targets, realisations ---------------------------------------------


class Horizon(models.TextChoices):
    QUICK_WIN = "quick_win", _("Quick win")
    SHORT = "short", _("Jangka pendek")
    MEDIUM = "medium", _("Jangka menengah")
    LONG = "long", _("Jangka panjang")


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PLANNED = "planned", _("Direncanakan")
        ONGOING = "ongoing", _("Berjalan")
        DONE = "done", _("Selesai")
        DELAYED = "delayed", _("Tertunda")
        CANCELLED = "cancelled", _("Dibatalkan")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama program"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("dimensi")
    )
    subdimension = models.ForeignKey(
        SubDimension, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("sub-dimensi")
    )
    lead_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD pengampu")
    )
    supporting_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("OPD pendukung")
    )
    horizon = models.CharField(_("jangka"), max_length=10, choices=Horizon.choices)
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"))
    end_year = models.PositiveSmallIntegerField(_("tahun selesai"))
    budget_source = models.CharField(
        _("sumber anggaran"), max_length=60, blank=True, help_text=_("mis. APBD, APBN/DAK, CSR, swasta")
    )
    budget_amount = models.DecimalField(
        _("anggaran (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(_("data contoh"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dimension__order", "subdimension__number", "start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="programme_years_in_order"
            ),
        ]
        verbose_name = _("program")
        verbose_name_plural = pgettext_lazy("plural", "program")

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Indicator(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Dampak")

    class Direction(models.TextChoices):
        UP = "up", _("Makin tinggi makin baik")
        DOWN = "down", _("Makin rendah makin baik")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=30)
    baseline = models.DecimalField(_("nilai dasar"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("tahun dasar"), null=True, blank=True)
    direction = models.CharField(_("arah"), max_length=4, choices=Direction.choices, default=Direction.UP)
    # Who reports the realisation: the programme's lead OPD unless Bappeda names another.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD pelapor")
    )
    # A live figure of the platform (dashboard/metrics.py) that feeds the realisation.
    metric = models.CharField(
        _("angka otomatis"), max_length=40, blank=True, help_text=_("Kosong: capaian diisi OPD.")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("indikator")
        verbose_name_plural = pgettext_lazy("plural", "indikator")

    def __str__(self) -> str:
        return self.name

    @property
    def is_automatic(self) -> bool:
        return bool(self.metric)


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_per_year")]
        verbose_name = _("target")
        verbose_name_plural = pgettext_lazy("plural", "target")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class Realisation(models.Model):
    """What an indicator reached in a year. The OPD submits it with evidence, Bappeda verifies
    it or returns it; only verified realisations count and are public. One row per indicator
    and year; its steps are RealisationEvent rows."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Menunggu verifikasi")
        RETURNED = "returned", _("Dikembalikan")
        VERIFIED = "verified", _("Terverifikasi")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="realisations")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(_("capaian"), max_digits=14, decimal_places=2)
    note = models.TextField(_("keterangan"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_automatic = models.BooleanField(_("dari angka platform"), default=False)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("catatan verifikator"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="realisation_per_year")]
        indexes = [models.Index(fields=["status", "year"])]
        verbose_name = _("capaian")
        verbose_name_plural = pgettext_lazy("plural", "capaian")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED) and not self.is_automatic


class RealisationEvent(models.Model):
    """The history of a realisation, as its programme page shows it."""

    class Type(models.TextChoices):
        SAVED = "saved", _("Disimpan")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        VERIFIED = "verified", _("Diverifikasi")
        AUTOMATIC = "automatic", _("Diperbarui dari angka platform")

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=10, choices=Type.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.realisation_id} {self.type} {self.at:%Y-%m-%d}"


def evidence_file_to(instance: "Evidence", filename: str) -> str:
    return f"masterplan/{instance.realisation.indicator_id}/{instance.realisation.year}/{filename}"


class Evidence(models.Model):
    """A file (PDF or image) or a link that backs a realisation."""

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(upload_to=evidence_file_to, max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    added_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = pgettext_lazy("plural", "bukti dukung")

    def __str__(self) -> str:
        return self.title


# --- Kominfo's smart-city evaluation ------------------------------------------------------------


class EvaluationComponent(models.Model):
    """Baseline, output, outcome, impact, quick win, with their weights (editable)."""

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=60)
    description = models.CharField(_("uraian"), max_length=250, blank=True)
    weight = models.DecimalField(
        _("bobot"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("komponen evaluasi")
        verbose_name_plural = pgettext_lazy("plural", "komponen evaluasi")

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One round of Kominfo's evaluation (twice a year), as the city assesses itself."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    stage = models.PositiveSmallIntegerField(
        _("tahap"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    is_final = models.BooleanField(_("final"), default=False)
    note = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-stage"]
        constraints = [models.UniqueConstraint(fields=["year", "stage"], name="evaluation_per_stage")]
        verbose_name = _("evaluasi kota cerdas")
        verbose_name_plural = pgettext_lazy("plural", "evaluasi kota cerdas")

    def __str__(self) -> str:
        return f"{self.year} tahap {self.stage}"


class EvaluationScore(models.Model):
    """A judged score (1–5) per component, optionally per dimension; empty dimension means the
    component as a whole."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    component = models.ForeignKey(EvaluationComponent, on_delete=models.PROTECT, related_name="+")
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(
        _("nilai"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )
    basis = models.TextField(_("dasar penilaian"), blank=True)
    # Taken from the masterplan's data when the round was finalised, not judged by a person.
    is_computed = models.BooleanField(default=False)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "component", "dimension"], name="evaluation_score_once"
            ),
            models.UniqueConstraint(
                fields=["evaluation", "component"],
                condition=models.Q(dimension__isnull=True),
                name="evaluation_score_once_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.component_id}: {self.score}"


# --- SPBE self-assessment (PermenPANRB 59/2020) ------------------------------------------------


class SpbeDomain(models.Model):
    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("domain SPBE")
        verbose_name_plural = pgettext_lazy("plural", "domain SPBE")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SpbeAspect(models.Model):
    domain = models.ForeignKey(SpbeDomain, on_delete=models.CASCADE, related_name="aspects")
    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("aspek SPBE")
        verbose_name_plural = pgettext_lazy("plural", "aspek SPBE")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SpbeIndicator(models.Model):
    aspect = models.ForeignKey(SpbeAspect, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["number"]
        verbose_name = _("indikator SPBE")
        verbose_name_plural = pgettext_lazy("plural", "indikator SPBE")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SpbeLevel(models.Model):
    """The maturity levels 1–5 (tingkat kematangan) with their names."""

    level = models.PositiveSmallIntegerField(
        _("tingkat"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(_("nama"), max_length=60)
    description = models.CharField(_("uraian"), max_length=250, blank=True)

    class Meta:
        ordering = ["level"]
        verbose_name = _("tingkat kematangan SPBE")
        verbose_name_plural = pgettext_lazy("plural", "tingkat kematangan SPBE")

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


class SpbeBand(models.Model):
    """A grade (predikat) for an index from `minimum` up to the next band's minimum."""

    name = models.CharField(_("predikat"), max_length=40)
    minimum = models.DecimalField(_("indeks minimum"), max_digits=4, decimal_places=2, unique=True)

    class Meta:
        ordering = ["-minimum"]
        verbose_name = _("predikat SPBE")
        verbose_name_plural = pgettext_lazy("plural", "predikat SPBE")

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.minimum}"


class SpbeAssessment(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    is_final = models.BooleanField(_("final"), default=False)
    note = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("penilaian mandiri SPBE")
        verbose_name_plural = pgettext_lazy("plural", "penilaian mandiri SPBE")

    def __str__(self) -> str:
        return str(self.year)


class SpbeScore(models.Model):
    assessment = models.ForeignKey(SpbeAssessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(SpbeIndicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("tingkat"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evidence = models.TextField(_("bukti dukung"), blank=True)
    evidence_url = models.URLField(_("tautan bukti"), max_length=500, blank=True)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="spbe_score_once"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="spbe_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} #{self.indicator_id}: {self.level}"
