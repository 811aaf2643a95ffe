from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rollup(models.Model):
    """The dashboard's figures for one calendar month ("2026-11") or for right now ("now"),
    as additive counters kept by the worker, so no page scans the big tables.

    ``cells`` maps a figure group to counters per cell, the cell key joining the ids it is
    counted by ("agency|kelurahan|category", 0 for none); a page filtered by period, OPD or
    kelurahan sums the cells it needs. See kotacerdas.dashboard.actions for each group."""

    NOW = "now"

    period = models.CharField(_("periode"), max_length=7, unique=True)
    cells = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("dihitung"), default=timezone.now)
    seconds = models.FloatField(_("lama hitung (detik)"), default=0)

    class Meta:
        ordering = ["period"]
        verbose_name = _("rekap dasbor")
        verbose_name_plural = pgettext_lazy("plural", "rekap dasbor")

    def __str__(self) -> str:
        return self.period


class DigestSent(models.Model):
    """One weekly digest to one OPD head, written in the transaction that queues its
    messages: a retried or restarted task finds it and sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("pekan (Senin)"))
    sent_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    overdue = models.PositiveIntegerField(_("perkara terlambat"), default=0)
    indicators = models.PositiveIntegerField(_("indikator jatuh tempo"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_week")]
        verbose_name = _("ringkasan mingguan terkirim")
        verbose_name_plural = pgettext_lazy("plural", "ringkasan mingguan terkirim")

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
