from django.utils.translation import gettext_lazy as _


class WifiError(Exception):
    message = _("Permintaan Wi-Fi ini tidak dapat diproses.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


class HotspotInvalid(WifiError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors


class ImportRejected(WifiError):
    """A CSV with errors changes nothing; `errors` lists (line, message) for the field team."""

    message = _("Berkas CSV tidak diimpor: perbaiki baris yang disebut lalu unggah lagi.")

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__()
        self.errors = errors


class NotReportable(WifiError):
    message = _("Titik ini sedang tidak dipakai, jadi tidak dapat dilaporkan.")
