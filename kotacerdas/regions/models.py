from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.Model):
    """One node of the Kemendagri wilayah tree: kota → kecamatan → kelurahan → RW → RT.

    Codes are dotted Kemendagri codes (`35.72.01.1001`). RW and RT have no official code,
    so theirs extend the kelurahan's (`35.72.01.1001.RW03.RT002`).
    """

    class Level(models.TextChoices):
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        RW = "rw", _("RW")
        RT = "rt", _("RT")

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("induk"),
    )
    postcode = models.CharField(_("kode pos"), max_length=5, blank=True)
    centroid_lat = models.FloatField(_("lintang pusat"), null=True, blank=True)
    centroid_lon = models.FloatField(_("bujur pusat"), null=True, blank=True)
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("data contoh"), default=False,
        help_text=_("RW/RT buatan untuk demo, bukan data resmi."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = pgettext_lazy("plural", "wilayah")

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"
