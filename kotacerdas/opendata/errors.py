from django.utils.translation import gettext_lazy as _

from kotacerdas.cases.errors import CaseError


class OpendataError(CaseError):
    message = _("Tindakan atas data ini tidak dapat dilakukan.")


class OpendataInvalid(OpendataError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


class NotAllowed(OpendataError):
    message = _("Anda tidak berwenang atas data ini.")
