from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("E-mail atau nomor HP"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OTPForm(forms.Form):
    otp = forms.CharField(
        label=_("Kode 6 digit dari aplikasi autentikator"), max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=150,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail"), required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP"), required=False, max_length=20,
        help_text=_("Contoh: 0812 3456 7890. Isi e-mail atau nomor HP, atau keduanya."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    nik = forms.CharField(
        label=_("NIK (tidak wajib)"), required=False, max_length=24,
        help_text=_("16 digit sesuai KTP-el. Diperlukan untuk sebagian layanan; dapat diisi nanti."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), help_text=_("Minimal 8 karakter, jangan hanya angka."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


class QuickSigninForm(forms.Form):
    name = forms.CharField(
        label=_("Nama lengkap"), max_length=150,
        help_text=_("Untuk akun baru. Bila e-mail/nomor HP ini sudah terdaftar, nama di akun tidak berubah."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("E-mail atau nomor HP"), max_length=254,
        help_text=_("Kami mengirim kode 6 digit ke sini. Contoh: nama@contoh.id atau 0812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class QuickSigninCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode masuk"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(label=_("E-mail atau nomor HP"), max_length=254)


class ResetConfirmForm(CodeForm):
    password = forms.CharField(
        label=_("Kata sandi baru"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    channels = forms.MultipleChoiceField(
        label=_("Kirim notifikasi lewat"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("email", _("E-mail")), ("sms", _("SMS")), ("whatsapp", _("WhatsApp"))],
    )
