from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.agencies.queries import active_agencies
from kotacerdas.cases.models import Kind, Status


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Kode lacak"), max_length=20)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua yang terbuka"))] + Status.choices)
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua"))] + Kind.choices)
    overdue = forms.BooleanField(label=_("Hanya yang lewat tenggat"), required=False)
    mine = forms.BooleanField(label=_("Ditugaskan ke saya"), required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Status baru"), choices=Status.choices)
    note = forms.CharField(
        label=_("Keterangan untuk warga"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Isi"), widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("Tampilkan ke warga (tanggapan publik)"), required=False)


class HandoverForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Teruskan ke"), queryset=active_agencies())
    reason = forms.CharField(label=_("Alasan disposisi"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Petugas"), queryset=None, required=False
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
