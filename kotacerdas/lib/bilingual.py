"""API errors speak Bahasa Indonesia and English at once: a partner system or a mobile app
shows the message as it comes, to a resident who may read either."""

from django.utils import translation


def both(message) -> str:
    """"<Indonesian> / <English>" for a lazy translatable message (just one if they agree)."""
    with translation.override("id"):
        indonesian = str(message)
    with translation.override("en"):
        english = str(message)
    return indonesian if indonesian == english else f"{indonesian} / {english}"
