from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kotacerdas.events"
    verbose_name = _("Agenda dan acara")

    def ready(self) -> None:
        from kotacerdas.events.queries import search_documents
        from kotacerdas.search import sources

        sources.register("event", search_documents)
