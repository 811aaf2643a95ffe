from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "kotacerdas.services"
    verbose_name = _("Layanan publik")

    def ready(self) -> None:
        from kotacerdas.cases import panels
        from kotacerdas.cases.models import Kind
        from kotacerdas.search import sources
        from kotacerdas.services import views
        from kotacerdas.services.queries import search_documents

        panels.register(Kind.SERVICE, staff=views.staff_panel, citizen=views.citizen_panel)

        sources.register("service", search_documents)
