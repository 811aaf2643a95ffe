from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.agencies.models import Agency
from kotacerdas.masterplan.models import Indicator, Plan, Programme, SubDimension


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by the action, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class RealisationForm(forms.Form):
    """Values are checked by realisation_save (Indonesian decimal commas included)."""

    value = forms.CharField(
        label=_("Capaian"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Cara menghitung, sumber data, kendala."),
    )
    uploads = MultipleFileField(
        label=_("Bukti dukung (PDF, JPG, PNG; maks. 10 MB per berkas)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    links = forms.CharField(
        label=_("Tautan bukti"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Satu tautan per baris, mis. berita atau dokumen di situs OPD."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk OPD"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila dikembalikan: apa yang perlu diperbaiki."),
    )


class YearForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "start_year",
            "end_year",
            "legal_basis",
            "vision",
            "mission",
            "goals",
            "readiness_structure",
            "readiness_infrastructure",
            "readiness_superstructure",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in [
                "vision",
                "mission",
                "goals",
                "readiness_structure",
                "readiness_infrastructure",
                "readiness_superstructure",
            ]
        }


class ProgrammeForm(forms.ModelForm):
    """Checked again by programme_save (sub-dimension of the dimension, years in order)."""

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "description",
            "dimension",
            "subdimension",
            "lead_agency",
            "supporting_agencies",
            "horizon",
            "start_year",
            "end_year",
            "budget_source",
            "budget_amount",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "supporting_agencies": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["supporting_agencies"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["subdimension"].queryset = SubDimension.objects.select_related("dimension")

    def validate_unique(self):
        """programme_save checks the code, and says so in the person's language."""

    def _get_validation_exclusions(self):
        # Likewise the years' order (a model constraint): programme_save marks the field.
        return super()._get_validation_exclusions() | {"end_year"}


class IndicatorForm(forms.ModelForm):
    """The indicator and one target field per year of its programme."""

    class Meta:
        model = Indicator
        fields = [
            "kind",
            "name",
            "unit",
            "baseline",
            "baseline_year",
            "direction",
            "agency",
            "metric",
            "order",
        ]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        from kotacerdas.dashboard.metrics import METRICS

        self.programme = programme
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(is_active=True).order_by("name")
        agency.initial = programme.lead_agency_id
        self.fields["metric"] = forms.ChoiceField(
            label=_("Angka otomatis dari platform"),
            required=False,
            choices=[("", _("— tidak: capaian diisi OPD —"))] + [(k, m.label) for k, m in METRICS.items()],
        )
        existing = {t.year: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in programme.years():
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target %(year)s") % {"year": year},
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=existing.get(year),
                localize=True,
            )

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in self.programme.years()}
