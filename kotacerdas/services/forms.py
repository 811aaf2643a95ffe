from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.services.models import Category, LifeEvent


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
