from django.utils.translation import gettext_lazy as _


class MasterplanError(Exception):
    """A step in the masterplan that cannot be taken; ``message`` says why, for the person."""

    message = _("Permintaan ini tidak dapat diproses.")

    def __init__(self, message=None):
        super().__init__()
        if message is not None:
            self.message = message


class MasterplanInvalid(MasterplanError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


class StepNotAllowed(MasterplanError):
    """The realisation is no longer in the state the step needs (someone else moved it)."""

    message = _("Capaian ini sudah diproses orang lain. Muat ulang halaman.")
