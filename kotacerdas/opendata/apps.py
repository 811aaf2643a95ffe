from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "kotacerdas.opendata"
    verbose_name = _("Satu Data")

    def ready(self) -> None:
        from kotacerdas.opendata.queries import search_documents
        from kotacerdas.search import sources

        sources.register("dataset", search_documents)
