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
