"""Free public Wi-Fi (Internet RT): the hotspot registry, its health, and RADIUS usage.

Health and usage live in ordinary tables (no time-series database): probe samples and raw
sessions are kept for a limited time, and what dashboards read is rolled up per hotspot and
day by the worker.
"""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Health(models.TextChoices):
    """As OpenWISP names them, so the two can interoperate: unknown until probed; problem
    while failures are within the tolerance; critical once they are not."""

    UNKNOWN = "unknown", _("Belum diketahui")
    OK = "ok", _("Menyala")
    PROBLEM = "problem", _("Bermasalah")
    CRITICAL = "critical", _("Mati")


class ProbeKind(models.TextChoices):
    ICMP = "icmp", _("Ping (ICMP)")
    TCP = "tcp", _("Sambungan TCP")
    HTTP = "http", _("Permintaan HTTP")
    PUSH = "push", _("Laporan router (NetJSON)")


class Hotspot(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        MAINTENANCE = "maintenance", _("Perawatan")
        RETIRED = "retired", _("Tidak dipakai lagi")

    code = models.SlugField(_("kode"), max_length=40, unique=True, help_text=_("mis. SNT-RW03-RT002"))
    name = models.CharField(_("nama"), max_length=120, help_text=_("mis. Balai RW 03 Sentul"))
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    lat = models.FloatField(_("lintang"))
    lon = models.FloatField(_("bujur"))
    address = models.CharField(
        _("lokasi"), max_length=200, blank=True, help_text=_("Tempat umum titik ini, mis. pos kamling RT 02.")
    )
    # How RADIUS names this point. A MikroTik HotSpot sends its server name as
    # Called-Station-Id, not a MAC, and WISPr-Location-ID where it is configured.
    nas_ip = models.GenericIPAddressField(_("NAS-IP-Address"), null=True, blank=True)
    nas_identifier = models.CharField(_("NAS-Identifier"), max_length=64, blank=True)
    called_station_id = models.CharField(
        _("Called-Station-Id"), max_length=64, blank=True,
        help_text=_("Nama server HotSpot (MikroTik) atau MAC AP:SSID."),
    )
    wispr_location_id = models.CharField(_("WISPr-Location-ID"), max_length=64, blank=True)
    management_address = models.CharField(
        _("alamat manajemen"), max_length=200, blank=True,
        help_text=_("IP atau nama host untuk probe; untuk HTTP boleh URL lengkap."),
    )
    probe_kind = models.CharField(
        _("jenis probe"), max_length=8, choices=ProbeKind.choices, default=ProbeKind.ICMP
    )
    probe_port = models.PositiveIntegerField(_("port probe"), null=True, blank=True)
    backhaul = models.CharField(_("backhaul"), max_length=60, blank=True, help_text=_("mis. fiber optik"))
    bandwidth_mbps = models.PositiveIntegerField(_("bandwidth (Mbps)"), null=True, blank=True)
    installed_on = models.DateField(_("tanggal pasang"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    is_demo = models.BooleanField(_("data contoh"), default=False)
    # Health, kept by the monitoring actions (wifi/monitoring.py).
    health = models.CharField(_("kesehatan"), max_length=10, choices=Health.choices, default=Health.UNKNOWN)
    health_changed_at = models.DateTimeField(null=True, blank=True)
    last_probe_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # consecutive failed probes
    first_failure_at = models.DateTimeField(null=True, blank=True)
    last_rtt_ms = models.FloatField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    last_push_at = models.DateTimeField(null=True, blank=True)
    device_key_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["status", "health"]),
            models.Index(fields=["nas_ip"]),
            models.Index(fields=["called_station_id"]),
            models.Index(fields=["wispr_location_id"]),
            models.Index(fields=["nas_identifier"]),
        ]
        verbose_name = _("titik Wi-Fi")
        verbose_name_plural = pgettext_lazy("plural", "titik Wi-Fi")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_monitored(self) -> bool:
        return self.status == self.Status.ACTIVE

    @staticmethod
    def new_device_key() -> tuple[str, str]:
        """A key for a router to push its NetJSON with: (shown once, stored hash)."""
        raw = "kcw_" + secrets.token_urlsafe(30)
        return raw, hashlib.sha256(raw.encode()).hexdigest()


class ProbeResult(models.Model):
    """One probe of one hotspot; kept for a few days to explain an incident."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="probes")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=8, choices=ProbeKind.choices)
    ok = models.BooleanField()
    rtt_ms = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["hotspot", "-at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.error}"


class Incident(models.Model):
    """A time a hotspot was critical (down), opened and closed by the monitoring."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="incidents")
    started_at = models.DateTimeField(_("mulai"))
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    cause = models.CharField(_("sebab"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["started_at"]), models.Index(fields=["ended_at"])]
        constraints = [
            # At most one open incident per hotspot, whatever two workers do at once.
            models.UniqueConstraint(
                fields=["hotspot"], condition=models.Q(ended_at__isnull=True), name="wifi_one_open_incident"
            ),
        ]
        verbose_name = _("gangguan")
        verbose_name_plural = pgettext_lazy("plural", "gangguan")

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return (self.ended_at or timezone.now()) - self.started_at


class DeviceStatus(models.Model):
    """The latest NetJSON DeviceMonitoring a router pushed, summarised."""

    hotspot = models.OneToOneField(Hotspot, on_delete=models.CASCADE, related_name="device")
    received_at = models.DateTimeField()
    uptime_seconds = models.BigIntegerField(null=True, blank=True)
    load_1 = models.FloatField(null=True, blank=True)
    memory_percent = models.FloatField(null=True, blank=True)
    clients = models.PositiveIntegerField(null=True, blank=True)
    rx_bytes = models.BigIntegerField(null=True, blank=True)
    tx_bytes = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.received_at:%Y-%m-%d %H:%M}"


class HotspotReport(models.Model):
    """A citizen report made from the Wi-Fi map about a dead hotspot."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="reports")
    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="hotspot_link")
    created_at = models.DateTimeField(default=timezone.now)
    back_notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.hotspot_id} → {self.report_id}"


class Session(models.Model):
    """One RADIUS accounting session, as FreeRADIUS's radacct keeps it, with the user name and
    the client's MAC hashed (UU PDP): unique users can be counted, no one can be named."""

    unique_id = models.CharField(max_length=64)  # Acct-Unique-Session-Id, unique (Meta)
    session_id = models.CharField(max_length=64)  # Acct-Session-Id
    # Index(hotspot, started_at) below serves lookups by hotspot too; every index costs the
    # accounting endpoint and the radacct import a write per session.
    hotspot = models.ForeignKey(
        Hotspot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    user_hash = models.CharField(max_length=32, blank=True)
    mac_hash = models.CharField(max_length=32, blank=True)
    nas_ip = models.GenericIPAddressField(null=True, blank=True)
    nas_identifier = models.CharField(max_length=64, blank=True)
    nas_port_id = models.CharField(max_length=32, blank=True)
    called_station_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    session_time = models.BigIntegerField(default=0)  # seconds
    input_octets = models.BigIntegerField(default=0)  # from the client: upload
    output_octets = models.BigIntegerField(default=0)  # to the client: download
    terminate_cause = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["started_at"]),
            models.Index(fields=["hotspot", "started_at"]),
            models.Index(
                fields=["nas_ip"], condition=models.Q(stopped_at__isnull=True), name="wifi_open_by_nas"
            ),
        ]
        # A constraint rather than unique=True: on PostgreSQL the field option adds a second,
        # LIKE-pattern index nobody queries.
        constraints = [models.UniqueConstraint(fields=["unique_id"], name="wifi_session_unique_id")]

    def __str__(self) -> str:
        return self.unique_id


class UsageDay(models.Model):
    """Usage of one hotspot on one day (WIB), rolled up from sessions by the worker, so
    dashboards never scan raw sessions. hotspot is null for sessions no hotspot claimed."""

    hotspot = models.ForeignKey(
        Hotspot, on_delete=models.CASCADE, null=True, blank=True, related_name="usage"
    )
    day = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    unique_users = models.PositiveIntegerField(default=0)
    bytes_in = models.BigIntegerField(default=0)
    bytes_out = models.BigIntegerField(default=0)
    peak_concurrent = models.PositiveIntegerField(default=0)
    median_session_seconds = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["day", "hotspot"])]
        constraints = [
            models.UniqueConstraint(fields=["hotspot", "day"], name="wifi_usage_once"),
        ]

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.day}"
