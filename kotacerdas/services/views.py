from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kotacerdas.services import queries
from kotacerdas.services.forms import CatalogFilterForm
from kotacerdas.services.models import LifeEvent


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None, agencies=queries.agencies_with_services())
    filters = form.cleaned_data if form.is_valid() else {}
    services = queries.catalog(
        text=filters.get("q", ""),
        agency=filters.get("agency", ""),
        category=filters.get("category", ""),
        life_event=filters.get("life_event", ""),
    )
    context = {"form": form, "services": services, "life_events": LifeEvent.choices}
    template = "services/catalog_rows.html" if request.headers.get("HX-Request") else "services/catalog.html"
    return render(request, template, context)


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = queries.service_public(slug)
    if service is None:
        raise Http404
    return render(request, "services/service.html", {"service": service})
