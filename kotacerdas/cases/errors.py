from django.utils.translation import gettext_lazy as _


class CaseError(Exception):
    """A case action that cannot be done; `message` is shown to the user."""

    message = _("Tindakan ini tidak dapat dilakukan.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class TransitionNotAllowed(CaseError):
    message = _("Perubahan status ini tidak diizinkan.")


class CaseConflict(CaseError):
    message = _("Perkara ini baru saja diubah oleh petugas lain. Muat ulang halaman lalu coba lagi.")


class NotYourAgency(CaseError):
    message = _("Perkara ini bukan milik perangkat daerah Anda.")


def errors_summary(errors: dict) -> str:
    """The per-field messages of a refused form in one line, for a flash message."""
    return " ".join(str(message) for message in errors.values())
