from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WifiConfig(AppConfig):
    name = "kotacerdas.wifi"
    verbose_name = _("Wi-Fi gratis")

    def ready(self) -> None:
        from kotacerdas.search import sources
        from kotacerdas.wifi.queries import search_documents

        sources.register("hotspot", search_documents)
