"""The city agenda: events of the agencies, with online registration, a waitlist, check-in at
the door by QR, materials for participants and certificates of attendance.

Times are stored in UTC and shown in Asia/Jakarta (WIB), the project's TIME_ZONE.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Path segments of /agenda/ that are pages, not events.
RESERVED_SLUGS = frozenset({"saya", "hadir", "sertifikat", "staf"})


def _not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("Alamat ini dipakai halaman lain; pilih alamat lain."), code="reserved")


class Event(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("penyelenggara"),
    )
    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("alamat"), max_length=120, unique=True, validators=[_not_reserved])
    description = models.TextField(_("uraian"), blank=True)
    place = models.CharField(_("tempat"), max_length=250)
    facilitator = models.CharField(_("narasumber/fasilitator"), max_length=250, blank=True)
    audience = models.CharField(_("peserta"), max_length=250, blank=True,
                                help_text=_("Mis. seluruh OPD, atau warga umum."))
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    registration = models.BooleanField(
        _("pendaftaran daring"), default=True,
        help_text=_("Matikan untuk acara agenda kota tanpa pendaftaran."),
    )
    capacity = models.PositiveIntegerField(_("kapasitas"), default=50,
                                           help_text=_("Pendaftar setelah kursi penuh masuk daftar tunggu."))
    registration_closes_at = models.DateTimeField(
        _("pendaftaran ditutup"), null=True, blank=True, help_text=_("Kosongkan: ditutup saat acara mulai."),
    )
    is_public = models.BooleanField(
        _("terbuka untuk umum"), default=True,
        help_text=_("Acara tertutup hanya terlihat dan dapat diikuti oleh pegawai perangkat daerah."),
    )
    certificate = models.BooleanField(_("sertifikat kehadiran"), default=False)
    is_sample = models.BooleanField(
        _("contoh isi"), default=False,
        help_text=_("Isi contoh dari pengembang; penyelenggara memeriksa dan menyuntingnya."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("acara")
        verbose_name_plural = pgettext_lazy("plural", "acara")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("Waktu selesai harus setelah waktu mulai.")})
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            raise ValidationError(
                {"registration_closes_at": _("Pendaftaran harus ditutup sebelum acara selesai.")}
            )

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        CANCELLED = "cancelled", _("Dibatalkan")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("acara"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("peserta"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # Random and long: whoever holds it can show the ticket, so it must not be guessable.
    ticket_code = models.CharField(_("kode tiket"), max_length=40, unique=True)
    registered_at = models.DateTimeField(_("mendaftar"), default=timezone.now)
    promoted_at = models.DateTimeField(_("naik dari daftar tunggu"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("diingatkan"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("hadir"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+", verbose_name=_("dicatat oleh"))
    certificate_code = models.CharField(_("kode verifikasi sertifikat"), max_length=20, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = pgettext_lazy("plural", "pendaftaran")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_event"),
            models.UniqueConstraint(fields=["certificate_code"], condition=~Q(certificate_code=""),
                                    name="registration_certificate_code_unique"),
        ]
        indexes = [models.Index(fields=["event", "status", "registered_at"], name="registration_queue")]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"


def material_file_to(instance: "Material", filename: str) -> str:
    return f"agenda/{instance.event.slug}/{filename}"


class Material(models.Model):
    """A handout for the participants. Private: downloaded by registered participants and
    the organising agency's staff only."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials",
                              verbose_name=_("acara"))
    title = models.CharField(_("judul materi"), max_length=200)
    file = models.FileField(upload_to=material_file_to, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("materi")
        verbose_name_plural = pgettext_lazy("plural", "materi")

    def __str__(self) -> str:
        return self.title
