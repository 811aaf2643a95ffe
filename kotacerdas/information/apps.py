from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "kotacerdas.information"
    verbose_name = _("Informasi publik")

    def ready(self) -> None:
        from kotacerdas.cases import panels
        from kotacerdas.cases.models import Kind
        from kotacerdas.information import views
        from kotacerdas.information.queries import search_documents, search_news
        from kotacerdas.search import sources

        panels.register(Kind.INFORMATION, staff=views.staff_panel, citizen=views.citizen_panel,
                        owns=views.owned_statuses)

        sources.register("news", search_news)
        sources.register("document", search_documents)
