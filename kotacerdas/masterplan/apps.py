from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    name = "kotacerdas.masterplan"
    verbose_name = _("Masterplan kota cerdas")

    def ready(self) -> None:
        from kotacerdas.masterplan.queries import search_documents
        from kotacerdas.search import sources

        sources.register("programme", search_documents)
