from django.utils.translation import gettext_lazy as _


class EventError(Exception):
    """A step on an event that cannot be taken; ``message`` says why, for the person."""

    message = _("Permintaan ini tidak dapat diproses.")

    def __init__(self, message=None):
        super().__init__()
        if message is not None:
            self.message = message


class EventInvalid(EventError):
    """`errors` maps a field name (or "__all__") to its message."""

    message = _("Periksa kembali isian yang ditandai.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors
