from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kotacerdas.portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from kotacerdas import checks  # noqa: F401 - registers the start-up checks
