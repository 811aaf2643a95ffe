from django import forms
from django.utils.translation import gettext_lazy as _


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Judul materi"), max_length=200)
    file = forms.FileField(label=_("Berkas (PDF, paling besar 20 MB)"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
