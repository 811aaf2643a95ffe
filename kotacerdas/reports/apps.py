from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kotacerdas.reports"
    verbose_name = _("Pengaduan")

    def ready(self) -> None:
        from kotacerdas.cases import panels
        from kotacerdas.cases.models import Kind
        from kotacerdas.reports import views
        from kotacerdas.reports.queries import search_documents
        from kotacerdas.search import sources

        panels.register(Kind.REPORT, staff=views.staff_panel, citizen=views.citizen_panel)

        sources.register("report", search_documents)
