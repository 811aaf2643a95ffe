from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.agencies.models import Agency
from kotacerdas.dashboard.queries import Period, period_for, year_choices
from kotacerdas.regions.models import Region

PERIOD_NAMES = [
    ("bulan-ini", _("Bulan ini")),
    ("bulan-lalu", _("Bulan lalu")),
    ("tahun-ini", _("Tahun ini")),
    ("tahun-lalu", _("Tahun lalu")),
]


class FilterForm(forms.Form):
    """Period, OPD and kelurahan of the executive dashboard. A bad value is reported on its
    field and that filter falls back to its default; the others still apply."""

    periode = forms.CharField(
        label=_("Periode"),
        required=False,
        help_text=_("Bulan ini, bulan lalu, tahun ini, tahun lalu, atau tahun (2026) atau bulan (2026-03)."),
        widget=forms.TextInput(attrs={"list": "periode-pilihan", "inputmode": "numeric", "size": 12}),
    )
    opd = forms.ChoiceField(label=_("Perangkat daerah"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)

    def __init__(self, *args, today: date, agencies, kelurahan, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.agencies = {a.code: a for a in agencies}
        self.places = {k.code: k for k in kelurahan}
        cast(forms.ChoiceField, self.fields["opd"]).choices = [("", _("Semua OPD"))] + [
            (a.code, a.short_name or a.name) for a in agencies
        ]
        cast(forms.ChoiceField, self.fields["kelurahan"]).choices = [("", _("Semua kelurahan"))] + [
            (k.code, k.name) for k in kelurahan
        ]
        self.period_choices = PERIOD_NAMES + [(str(year), str(year)) for year in year_choices(today)]

    def clean_periode(self) -> Period:
        value = self.cleaned_data["periode"].strip()
        try:
            return period_for(value, self.today)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "Periode “%(value)s” tidak dikenal: pilih bulan ini, bulan lalu, tahun ini, tahun lalu, "
                    "sebuah tahun (mis. 2026) atau bulan (mis. 2026-03) yang sudah lewat."
                ),
                params={"value": value[:20]},
            ) from None

    def filters(self) -> tuple[Period, Agency | None, Region | None]:
        """(period, agency or None, kelurahan or None), valid fields only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form has none
        period = data.get("periode") or period_for("", self.today)
        return period, self.agencies.get(data.get("opd") or ""), self.places.get(data.get("kelurahan") or "")


class DrilldownForm(forms.Form):
    jenis = forms.ChoiceField(
        label=_("Jenis"),
        required=False,
        choices=[
            ("", _("Semua")),
            ("service", _("Permohonan layanan")),
            ("report", _("Pengaduan")),
            ("information", _("Permohonan informasi")),
        ],
    )
    keadaan = forms.ChoiceField(
        label=_("Keadaan"),
        required=False,
        choices=[
            ("", _("Semua")),
            ("terbuka", _("Masih terbuka")),
            ("terlambat", _("Terlambat")),
            ("selesai", _("Selesai")),
        ],
    )


class YearForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000)
