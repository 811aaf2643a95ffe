from django import forms
from django.db.models import Field
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kotacerdas.regions.queries import kelurahan_choices
from kotacerdas.wifi.actions import CSV_COLUMNS
from kotacerdas.wifi.models import Health, Hotspot, ProbeKind

IMPORT_MAX_BYTES = 5 * 1024 * 1024


def _field(name: str) -> Field:
    field = Hotspot._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _label(name: str):
    return capfirst(_field(name).verbose_name)


def _help(name: str):
    return _field(name).help_text


def _kelurahan(empty_label) -> list[tuple[str, str]]:
    # Code and name only: a Region row also carries its GeoJSON outline.
    return [("", empty_label)] + list(kelurahan_choices().values_list("code", "name"))


def _text(name: str, **attrs) -> forms.CharField:
    return forms.CharField(
        label=_label(name), help_text=_help(name), required=False,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


class HotspotForm(forms.Form):
    """The registry's CSV columns as a form. Everything is text here and checked by
    actions.clean_hotspot, so the form, the CSV import and the API say the same things."""

    code = _text("code", autocapitalize="characters")
    name = _text("name")
    kelurahan = forms.ChoiceField(
        label=_label("kelurahan"), required=False,
        help_text=_("Kosongkan agar ditentukan dari koordinat."),
    )
    rw = _text("rw", inputmode="numeric")
    rt = _text("rt", inputmode="numeric")
    lat = _text("lat", inputmode="decimal")
    lon = _text("lon", inputmode="decimal")
    address = _text("address")
    nas_ip = _text("nas_ip", inputmode="decimal")
    nas_identifier = _text("nas_identifier")
    called_station_id = _text("called_station_id")
    wispr_location_id = _text("wispr_location_id")
    management_address = _text("management_address")
    probe_kind = forms.ChoiceField(label=_label("probe_kind"), choices=ProbeKind.choices, required=False)
    probe_port = _text("probe_port", inputmode="numeric")
    backhaul = _text("backhaul")
    bandwidth_mbps = _text("bandwidth_mbps", inputmode="numeric")
    installed_on = forms.CharField(
        label=_label("installed_on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_label("status"), choices=Hotspot.Status.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = _kelurahan(_("Dari koordinat"))
        assert list(self.fields) == CSV_COLUMNS, "the form must mirror the registry's CSV"

    @staticmethod
    def initial_for(hotspot: Hotspot) -> dict[str, str]:
        initial = {}
        for name in CSV_COLUMNS:
            value = hotspot.kelurahan.code if name == "kelurahan" else getattr(hotspot, name)
            initial[name] = "" if value is None else str(value)
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_(
            "Kolom seperti berkas ekspor; paling besar 5 MB. Baris dengan kode yang sudah ada diubah."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar: paling besar 5 MB."))
        return upload


class ManageFilterForm(forms.Form):
    health = forms.ChoiceField(label=_("Kesehatan"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    q = forms.CharField(label=_("Cari"), required=False, max_length=100,
                        help_text=_("Kode, nama, NAS atau alamat manajemen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["health"].choices = [("", _("Semua"))] + list(Health.choices)
        self.fields["status"].choices = [("", _("Semua"))] + list(Hotspot.Status.choices)
        self.fields["kelurahan"].choices = _kelurahan(_("Semua kelurahan"))


class NearbyForm(forms.Form):
    """Where the resident is: the phone's position, else a chosen kelurahan."""

    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    kelurahan = forms.ChoiceField(label=_("Kelurahan Anda"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = _kelurahan(_("Pilih kelurahan"))
