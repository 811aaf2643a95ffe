from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    SERVICE = "service", _("Permohonan layanan")
    REPORT = "report", _("Pengaduan")
    INFORMATION = "information", _("Permohonan informasi")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Diverifikasi")
    IN_PROGRESS = "in_progress", _("Diproses")
    WAITING_CITIZEN = "waiting_citizen", _("Menunggu perbaikan dari warga")
    RESOLVED = "resolved", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    CLOSED = "closed", _("Ditutup")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Mendesak")


FINAL_STATUSES = {Status.RESOLVED, Status.REJECTED, Status.CLOSED}
# While the case waits on the resident the SLA clock stops (PermenPANRB: the service time
# counts from complete requirements).
PAUSED_STATUSES = {Status.WAITING_CITIZEN}


class Case(models.Model):
    """The shared backbone of a service application, a citizen report and an information
    request: one tracking code, one responsible agency, one SLA clock, one timeline."""

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    tracking_code = models.CharField(_("kode lacak"), max_length=9, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases", verbose_name=_("warga"),
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("perangkat daerah"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_cases", verbose_name=_("petugas"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    priority = models.CharField(
        _("prioritas"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("kelurahan"),
    )
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    sla_workdays = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"))
    submitted_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    due_date = models.DateField(_("tenggat"))
    paused_since = models.DateTimeField(_("jeda sejak"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_date"]),
            models.Index(fields=["citizen", "submitted_at"]),
            # The inbox: an agency's open cases in due-date order. Partial, so the first
            # page and its count read the few thousand open cases, not years of finished
            # ones. queries.inbox repeats the condition word for word (see OPEN_SQL there).
            models.Index(
                fields=["agency", "due_date", "submitted_at", "paused_since"],
                condition=~models.Q(status__in=sorted(FINAL_STATUSES)),
                name="case_open_due_idx",
            ),
            # The same open cases city-wide in due-date order, for the executive dashboard's
            # list of every OPD's overdue cases (dashboard views, cases.queries.dashboard_cases).
            models.Index(
                fields=["due_date", "id", "paused_since"],
                condition=~models.Q(status__in=sorted(FINAL_STATUSES)),
                name="case_open_due_city_idx",
            ),
        ]
        verbose_name = _("perkara")
        verbose_name_plural = pgettext_lazy("plural", "perkara")

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and not self.is_paused and self.due_date < today


class CaseEvent(models.Model):
    """One entry in a case's timeline. Public entries are shown on the tracking page."""

    class Type(models.TextChoices):
        STATUS = "status", _("Perubahan status")
        REPLY = "reply", _("Tanggapan")
        NOTE = "note", _("Catatan internal")
        HANDOVER = "handover", _("Disposisi")
        ASSIGN = "assign", _("Penugasan")
        ATTACHMENT = "attachment", _("Lampiran")
        NOTIFICATION = "notification", _("Notifikasi terkirim")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("jenis"), max_length=20, choices=Type.choices)
    is_public = models.BooleanField(_("publik"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("pelaku"),
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("keterangan"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat perkara")
        verbose_name_plural = pgettext_lazy("plural", "riwayat perkara")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    """A disposition to another agency. The sender keeps read access to the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="handovers_sent"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="handovers_received"
    )
    reason = models.TextField(_("alasan"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.from_agency_id} → {self.to_agency_id}"


class Holiday(models.Model):
    """Days off that stop the SLA clock: national holidays, cuti bersama, local holidays."""

    class Kind(models.TextChoices):
        NATIONAL = "nasional", _("Libur nasional")
        JOINT_LEAVE = "cuti_bersama", _("Cuti bersama")
        LOCAL = "lokal", _("Libur daerah")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = pgettext_lazy("plural", "hari libur")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
