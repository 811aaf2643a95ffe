from django.utils.translation import gettext_lazy as _

from kotacerdas.cases.errors import CaseError


class ApplicationError(CaseError):
    message = _("Permohonan ini tidak dapat diproses.")


class ApplicationInvalid(ApplicationError):
    """Some answers are missing or wrong; `errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


class ApprovalRequired(ApplicationError):
    message = _("Layanan ini harus disetujui dan diselesaikan oleh kepala perangkat daerah.")


class NotYourApplication(ApplicationError):
    message = _("Permohonan ini bukan milik Anda.")


class SurveyNotOpen(ApplicationError):
    message = _("Survei kepuasan dibuka setelah permohonan selesai.")


class SurveyAlreadyFilled(ApplicationError):
    message = _("Terima kasih, survei untuk permohonan ini sudah Anda isi.")
