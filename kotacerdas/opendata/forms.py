from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotacerdas.opendata import licences
from kotacerdas.opendata.models import DatastoreField, Frequency, Resource, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=250)
    name = forms.CharField(
        label=_("Nama (slug)"), max_length=100,
        help_text=_("Huruf kecil, angka dan tanda -, mis. jumlah-penduduk-per-kelurahan. "
                    "Tidak dapat diubah setelah terbit."),
    )
    notes = forms.CharField(label=_("Deskripsi"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    tags = forms.CharField(label=_("Tag"), required=False, help_text=_("Pisahkan dengan koma."))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topik"), queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    license_id = forms.ChoiceField(label=_("Lisensi"), choices=licences.choices, initial="cc-by")
    frequency = forms.ChoiceField(label=_("Frekuensi pemutakhiran"), choices=Frequency.choices,
                                  initial=Frequency.TAHUNAN)
    period_start = forms.DateField(label=_("Periode mulai"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Periode selesai"), required=False, widget=DATE)
    concept = forms.CharField(label=_("Konsep"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    definition = forms.CharField(label=_("Definisi"), required=False, widget=SHORT_TEXT)
    classification = forms.CharField(label=_("Klasifikasi"), required=False, max_length=250)
    measure = forms.CharField(label=_("Ukuran"), required=False, max_length=250)
    unit = forms.CharField(label=pgettext_lazy("ukuran", "Satuan"), required=False, max_length=100)
    region_code = forms.CharField(label=_("Kode wilayah Kemendagri"), required=False, max_length=20,
                                  initial="35.72")
    source = forms.CharField(label=_("Sumber"), required=False, max_length=250)
    contact_name = forms.CharField(label=_("Nama kontak"), required=False, max_length=120)
    contact_email = forms.EmailField(
        label=_("E-mail kontak"), required=False,
        help_text=_("Tampil di halaman publik: pakai e-mail kantor, bukan e-mail pribadi."),
    )
    version = forms.CharField(label=_("Versi"), required=False, max_length=100)
    private = forms.BooleanField(
        label=_("Terbatas (hanya OPD, Walidata dan mitra ber-kunci API)"), required=False,
    )

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Nama sumber data"), max_length=250, required=False)
    description = forms.CharField(label=_("Keterangan"), required=False, widget=SHORT_TEXT)
    file = forms.FileField(
        label=_("Berkas"), required=False,
        help_text=_("CSV, XLSX, JSON, GeoJSON atau PDF. Tabel CSV/XLSX dimuat agar bisa dipratinjau."),
    )
    url = forms.URLField(label=_("atau tautan"), required=False, max_length=1000, assume_scheme="https")
    format = forms.ChoiceField(label=_("Format tautan"), required=False,
                               choices=[("", "—")] + [(v, v) for v in Resource.Format.values if v])


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("Berkas versi baru"))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def types_form(resource: Resource) -> type[forms.Form]:
    """One choice per column of the loaded table, so the producer corrects what was guessed."""
    fields = {
        f"type_{field.position}": forms.ChoiceField(
            label=field.name, choices=DatastoreField.Type.choices, initial=field.type,
            help_text=_("Terbaca sebagai: %(type)s") % {"type": field.get_inferred_type_display()},
        )
        for field in resource.fields.all()
    }
    return type("TypesForm", (forms.Form,), fields)
