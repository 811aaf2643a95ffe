import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.nik import NIKError, parse_nik
from kotacerdas.lib.phone import PhoneError, normalize_phone
from kotacerdas.regions.models import Region
from kotacerdas.services.models import Category, FormField, LifeEvent


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari layanan"), required=False, max_length=100)
    agency = forms.ChoiceField(label=_("Perangkat daerah"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False,
                                 choices=[("", _("Semua kategori"))] + Category.choices)
    life_event = forms.ChoiceField(label=_("Peristiwa hidup"), required=False,
                                   choices=[("", _("Semua"))] + LifeEvent.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Semua perangkat daerah")), ("kelurahan", _("Kantor kelurahan"))]
        self.fields["agency"].choices = choices + [(a.code, a.name) for a in agencies]


# --- Application forms -------------------------------------------------------------------
# A service's form is data (FormField rows the OPD admin edits), so it is validated here
# field by field rather than by a Django Form class. The web view and the API both hand in
# plain values (strings, lists, an address dict) and get back the cleaned values and one
# message per faulty field, so the rules are the same on every channel.

REQUIRED = _("Wajib diisi.")
RW_RT = re.compile(r"^\d{1,3}$")


def _interpolate(message, **values) -> str:
    return str(message) % values


# A message with a value in it stays lazy, put into words only when shown: the API gives it
# in both languages, a page in its reader's (`_("...") % values` would fix the language now).
_with_values = lazy(_interpolate, str)


class FieldInvalid(ValueError):
    def __init__(self, message) -> None:
        super().__init__("invalid field")
        self.message = message


def _text(field: FormField, raw) -> str:
    value = str(raw).strip()
    rules = field.rules or {}
    limit = rules.get("max_length", 2000 if field.type == FormField.Type.TEXTAREA else 200)
    if len(value) > limit:
        raise FieldInvalid(_with_values(_("Terlalu panjang: paling banyak %(n)s karakter."), n=limit))
    if len(value) < rules.get("min_length", 0):
        raise FieldInvalid(
            _with_values(_("Terlalu pendek: paling sedikit %(n)s karakter."), n=rules["min_length"])
        )
    if rules.get("pattern") and not re.fullmatch(rules["pattern"], value):
        raise FieldInvalid(rules.get("pattern_message") or _("Format isian tidak sesuai."))
    return value


def _number(field: FormField, raw) -> int | float:
    text = str(raw).strip().replace(" ", "")
    # Indonesian writing: 1.500.000 or 2,5. A single dot followed by three digits is read as
    # a thousands separator, which is what residents mean far more often than a decimal.
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise FieldInvalid(_("Isi dengan angka.")) from None
    if value != value or value in (float("inf"), float("-inf")):  # NaN, infinity
        raise FieldInvalid(_("Isi dengan angka."))
    rules = field.rules or {}
    if "min" in rules and value < rules["min"]:
        raise FieldInvalid(_with_values(_("Paling kecil %(n)s."), n=rules["min"]))
    if "max" in rules and value > rules["max"]:
        raise FieldInvalid(_with_values(_("Paling besar %(n)s."), n=rules["max"]))
    return int(value) if value.is_integer() else value


def _date(field: FormField, raw) -> str:
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise FieldInvalid(_("Isi tanggal dengan format TTTT-BB-HH, mis. 2026-08-17.")) from None
    today = timezone.localdate()
    when = (field.rules or {}).get("date")
    if when == "past" and value > today:
        raise FieldInvalid(_("Tanggal tidak boleh di masa depan."))
    if when == "future" and value < today:
        raise FieldInvalid(_("Tanggal tidak boleh sudah lewat."))
    if value.year < 1900:
        raise FieldInvalid(_("Tahun tidak masuk akal."))
    return value.isoformat()


def _choice(field: FormField, raw) -> str:
    value = str(raw).strip()
    if value not in field.choices:
        raise FieldInvalid(_("Pilih salah satu pilihan yang tersedia."))
    return value


def _multichoice(field: FormField, raw) -> list[str]:
    values = raw if isinstance(raw, list) else [raw]
    values = [str(v).strip() for v in values if str(v).strip()]
    if any(v not in field.choices for v in values):
        raise FieldInvalid(_("Pilih dari pilihan yang tersedia."))
    return [c for c in field.choices if c in values]  # the form's order, no repeats


def _nik(field: FormField, raw) -> str:
    try:
        return parse_nik(str(raw)).value
    except NIKError as error:
        raise FieldInvalid(error.message) from None


def _phone(field: FormField, raw) -> str:
    try:
        return normalize_phone(str(raw))
    except PhoneError as error:
        raise FieldInvalid(error.message) from None


def _address(field: FormField, raw) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise FieldInvalid(_("Alamat diisi sebagai kelurahan, RW, RT dan jalan."))
    code = str(raw.get("kelurahan", "")).strip()
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN, code=code).first()
    if kelurahan is None:
        raise FieldInvalid(_("Pilih kelurahan di Kota Blitar."))
    rw, rt = str(raw.get("rw", "")).strip(), str(raw.get("rt", "")).strip()
    if not RW_RT.match(rw) or not RW_RT.match(rt) or int(rw) == 0 or int(rt) == 0:
        raise FieldInvalid(_("Isi RW dan RT dengan angka, mis. RW 3 RT 2."))
    street = str(raw.get("street", "")).strip()
    if not street:
        raise FieldInvalid(_("Isi nama jalan dan nomor rumah."))
    if len(street) > 200:
        raise FieldInvalid(_with_values(_("Terlalu panjang: paling banyak %(n)s karakter."), n=200))
    return {"kelurahan": kelurahan.code, "rw": f"{int(rw):03d}", "rt": f"{int(rt):03d}", "street": street}


CLEANERS: dict[str, Callable[[FormField, Any], Any]] = {
    FormField.Type.TEXT: _text,
    FormField.Type.TEXTAREA: _text,
    FormField.Type.NUMBER: _number,
    FormField.Type.DATE: _date,
    FormField.Type.CHOICE: _choice,
    FormField.Type.MULTICHOICE: _multichoice,
    FormField.Type.NIK: _nik,
    FormField.Type.PHONE: _phone,
    FormField.Type.ADDRESS: _address,
}


def is_empty(value) -> bool:
    if isinstance(value, dict):
        return not any(str(v).strip() for v in value.values())
    if isinstance(value, list):
        return not any(str(v).strip() for v in value)
    return value is None or str(value).strip() == ""


def clean_answers(
    fields: Iterable[FormField], raw: dict[str, Any], *, uploaded: dict[str, int]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the answers to a form. `uploaded` maps a file field to the upload already kept
    for it. Returns (values, errors): values holds every field that is right (so a draft
    keeps them), errors one message per field that is wrong or missing."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for field in fields:
        if field.type == FormField.Type.FILE:
            if field.name in uploaded:
                values[field.name] = uploaded[field.name]
            elif field.required:
                errors[field.name] = _("Unggah berkas ini.")
            continue
        value = raw.get(field.name)
        if is_empty(value):
            if field.required:
                errors[field.name] = REQUIRED
            continue
        try:
            values[field.name] = CLEANERS[field.type](field, value)
        except FieldInvalid as error:
            errors[field.name] = error.message
    return values, errors


def raw_from_post(fields: Iterable[FormField], post) -> dict[str, Any]:
    """The web form's POST as the plain values clean_answers takes."""
    raw: dict[str, Any] = {}
    for field in fields:
        if field.type == FormField.Type.MULTICHOICE:
            raw[field.name] = post.getlist(field.name)
        elif field.type == FormField.Type.ADDRESS:
            raw[field.name] = {part: post.get(f"{field.name}__{part}", "") for part in ADDRESS_PARTS}
        elif field.type != FormField.Type.FILE:
            raw[field.name] = post.get(field.name, "")
    return raw


ADDRESS_PARTS = ("kelurahan", "rw", "rt", "street")


class SurveyForm(forms.Form):
    """Survei Kepuasan Masyarakat: the nine elements, each 1 (tidak baik) to 4 (sangat baik)."""

    SCALE = [(4, _("Sangat baik")), (3, _("Baik")), (2, _("Kurang baik")), (1, _("Tidak baik"))]
    ELEMENTS = [
        ("u1", _("Persyaratan pelayanan")),
        ("u2", _("Sistem, mekanisme, dan prosedur")),
        ("u3", _("Waktu penyelesaian")),
        ("u4", _("Biaya/tarif")),
        ("u5", _("Produk spesifikasi jenis pelayanan")),
        ("u6", _("Kompetensi pelaksana")),
        ("u7", _("Perilaku pelaksana")),
        ("u8", _("Penanganan pengaduan, saran, dan masukan")),
        ("u9", _("Sarana dan prasarana")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.ELEMENTS:
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=self.SCALE, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": REQUIRED},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Saran dan masukan (tidak wajib)"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def element_fields(self):
        return [self[name] for name, _label in self.ELEMENTS]


class DocumentForm(forms.Form):
    """Finishing an application: generate the output document, or upload a signed one."""

    number = forms.CharField(label=_("Nomor dokumen"), max_length=100, required=False,
                             help_text=_("Kosongkan agar nomor dibuat otomatis."))
    file = forms.FileField(label=_("Unggah dokumen bertanda tangan (PDF, tidak wajib)"), required=False)
    note = forms.CharField(label=_("Keterangan untuk warga"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RevisionForm(forms.Form):
    fields_to_fix = forms.MultipleChoiceField(label=_("Isian yang perlu diperbaiki"),
                                              widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Apa yang harus diperbaiki"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, service_fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_to_fix"].choices = [(f.name, f.label) for f in service_fields]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan (dibaca warga)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
