from django.utils.translation import gettext_lazy as _

from kotacerdas.cases.errors import CaseError


class ReportError(CaseError):
    message = _("Pengaduan ini tidak dapat diproses.")


class ReportInvalid(ReportError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


OUTSIDE_CITY = _(
    "Titik ini berada di luar wilayah Kota Blitar. Pengaduan hanya untuk masalah di dalam kota; "
    "untuk wilayah lain gunakan SP4N-LAPOR! (lapor.go.id)."
)


class OutsideCity(ReportInvalid):
    def __init__(self):
        super().__init__({"location": OUTSIDE_CITY})


class NotReporter(ReportError):
    message = _("Hanya pelapor yang dapat melakukan ini.")
