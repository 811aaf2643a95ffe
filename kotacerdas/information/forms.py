from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotacerdas.agencies.models import Agency
from kotacerdas.information.models import Decision, Document, News, Objection, ObjectionGround, Obtain


class RequestForm(forms.Form):
    information = forms.CharField(
        label=_("Informasi apa yang Anda minta?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sebutkan sejelas mungkin: dokumen apa, dari OPD mana, tahun berapa. "
                    "Jangan menulis data pribadi; isi ini tampil di register publik."),
    )
    purpose = forms.CharField(label=_("Untuk apa informasi ini?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    obtain = forms.ChoiceField(label=_("Cara memperoleh informasi"), choices=Obtain.choices,
                               initial=Obtain.ELECTRONIC, widget=forms.RadioSelect)
    submission_key = forms.CharField(widget=forms.HiddenInput)


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Alasan perpanjangan (dikirim ke pemohon)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices)
    answer = forms.CharField(label=_("Jawaban untuk pemohon"), max_length=10000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    legal_ground = forms.CharField(
        label=_("Dasar hukum (wajib bila ditolak, sebagian, atau tidak dikuasai)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObjectionForm(forms.Form):
    grounds = forms.MultipleChoiceField(label=_("Alasan keberatan (UU 14/2008 Pasal 35)"),
                                        choices=ObjectionGround.choices, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Uraian keberatan"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Putusan"), choices=Objection.Outcome.choices)
    response = forms.CharField(label=_("Tanggapan tertulis untuk pemohon"), max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 4}))


# -- news, announcements and documents ----------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NewsForm(forms.Form):
    agency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=Agency.objects.none(), empty_label=None,
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=News.Kind.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)
    summary = forms.CharField(
        label=_("Ringkasan"), max_length=300, required=False,
        help_text=_("Kosongkan untuk memakai awal isi. Tampil di daftar dan saat dibagikan."),
    )
    body = forms.CharField(
        label=pgettext_lazy("berita", "Isi"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Boleh memakai HTML sederhana: paragraf, tebal, miring, daftar, subjudul, kutipan "
                    "dan tautan. Selebihnya dibuang saat disimpan."),
    )
    image = forms.FileField(label=_("Gambar"), required=False,
                            help_text=_("JPG atau PNG. Data lokasi dan metadata lain dihapus."))
    remove_image = forms.BooleanField(label=_("Hapus gambar"), required=False)
    tags = forms.CharField(label=_("Tag"), max_length=400, required=False,
                           help_text=_("Pisahkan dengan koma."))
    featured = forms.BooleanField(label=_("Unggulan (tampil lebih dulu di beranda)"), required=False)
    publish_at = forms.DateTimeField(
        label=_("Waktu terbit"), required=False, widget=DATETIME,
        help_text=_("Kosongkan untuk terbit sekarang; isi waktu mendatang untuk menjadwalkan."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class DocumentForm(forms.Form):
    agency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=Agency.objects.none(), empty_label=None,
    )
    title = forms.CharField(label=_("Judul"), max_length=300)
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=Document.Kind.choices)
    number = forms.CharField(label=_("Nomor"), max_length=100, required=False,
                             help_text=_("Mis. 5 untuk Perda Nomor 5 Tahun 2021."))
    year = forms.IntegerField(label=_("Tahun"), min_value=1945, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=Document.Status.choices)
    summary = forms.CharField(label=_("Keterangan"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Berkas PDF"), required=False,
                           help_text=_("Hanya PDF. Isinya diperiksa dan teksnya diambil untuk pencarian."))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
