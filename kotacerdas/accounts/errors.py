from django.utils.translation import gettext_lazy as _


class AccountError(Exception):
    """An account action that cannot be done; `field` names the form field at fault."""

    def __init__(self, message, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(str(message))


THROTTLED = _(
    "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit lalu coba lagi."
)
BAD_LOGIN = _("E-mail/nomor HP atau kata sandi salah.")
BAD_CODE = _("Kode tidak cocok atau sudah kedaluwarsa. Minta kode baru bila perlu.")
STAFF_NO_CODE_SIGNIN = _(
    "Akun staf tidak dapat masuk dengan kode. Masuk dengan kata sandi dan aplikasi autentikator."
)
UNPROVEN_CONTACT = _(
    "E-mail atau nomor HP ini belum terverifikasi di akunnya. Masuk dengan kata sandi "
    "(bila lupa, pakai halaman Lupa kata sandi), atau dengan kode lewat kontak yang sudah terverifikasi."
)
INACTIVE = _("Akun ini tidak aktif. Hubungi petugas bila menurut Anda ini keliru.")
BAD_EMAIL = _("Alamat e-mail tidak valid.")
CODE_REQUESTS_THROTTLED = _("Terlalu banyak permintaan kode dari jaringan ini. Coba lagi dalam 15 menit.")
