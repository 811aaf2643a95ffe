from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Agency(models.Model):
    """An OPD (perangkat daerah), or a kecamatan/kelurahan office that serves residents."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BADAN = "badan", _("Badan")
        DINAS = "dinas", _("Dinas")
        SATUAN = "satuan", _("Satuan")
        RSUD = "rsud", _("Rumah Sakit Daerah")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("wilayah"), help_text=_("Untuk kecamatan dan kelurahan."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telepon kantor"), max_length=30, blank=True)
    address = models.CharField(_("alamat kantor"), max_length=250, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = pgettext_lazy("plural", "perangkat daerah")

    def __str__(self) -> str:
        return self.short_name
