from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.cases.models import Status
from kotacerdas.regions.queries import kelurahan_choices
from kotacerdas.reports.models import CloseReason, Privacy


class FilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("open", _("Masih ditangani")), ("closed", _("Sudah dijawab/ditutup"))],
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    since = forms.DateField(label=_("Sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Semua kategori"))] + [(c.code, c.name) for c in categories]
        # Code and name only: the rows also hold each kelurahan's GeoJSON outline, and
        # decoding 21 of them cost more than the rest of the form on every map request.
        self.fields["kelurahan"].choices = [("", _("Semua kelurahan"))] + list(
            kelurahan_choices().values_list("code", "name")
        )


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("Apa masalahnya?"),
        max_length=5000,
        error_messages={"required": _("Ceritakan masalahnya.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jelaskan singkat: apa, sejak kapan, seberapa parah. Jangan tulis data pribadi."),
    )
    lat = forms.FloatField(
        label=_("Lintang"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lon = forms.FloatField(
        label=_("Bujur"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    address = forms.CharField(
        label=_("Patokan lokasi (tidak wajib)"),
        required=False,
        max_length=250,
        help_text=_("Mis. Jl. Kalimantan depan masjid. Bukan alamat rumah Anda."),
    )
    privacy = forms.ChoiceField(
        label=_("Privasi"), choices=Privacy.choices, initial=Privacy.PUBLIC, widget=forms.RadioSelect
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Jawaban untuk pelapor (publik)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=CloseReason.choices)
    note = forms.CharField(
        label=_("Keterangan (publik)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duplicate_of = forms.CharField(
        label=_("Kode laporan yang sama (bila duplikat)"), required=False, max_length=12
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa belum selesai?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


REPORT_OPEN = Status.SUBMITTED
