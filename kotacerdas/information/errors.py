from django.utils.translation import gettext_lazy as _

from kotacerdas.cases.errors import CaseError


class PpidError(CaseError):
    message = _("Permohonan informasi ini tidak dapat diproses.")


class PpidInvalid(PpidError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


class PublishError(CaseError):
    """News and documents: refused changes."""

    message = _("Perubahan ini tidak dapat disimpan.")


class PublishInvalid(PublishError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


class PublishNotAllowed(PublishError):
    message = _("Hanya staf perangkat daerah pemilik atau admin Diskominfotik yang dapat mengubahnya.")
