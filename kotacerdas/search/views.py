from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kotacerdas.agencies.models import Agency
from kotacerdas.search import queries
from kotacerdas.search.models import Kind


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("jenis", "")
    kind = kind if kind in Kind.values else ""
    try:
        agency_id = int(request.GET.get("opd", "")) or None
    except ValueError:
        agency_id = None
    hits = queries.search(text, kind=kind, agency_id=agency_id) if text else []
    suggestion = queries.suggestion(text) if text and not hits else ""
    page = Paginator(hits, 20).get_page(request.GET.get("page"))
    base = request.GET.copy()
    base.pop("page", None)
    return render(request, "search/results.html", {
        "q": text, "kind": kind, "agency_id": agency_id, "page": page, "kinds": Kind.choices,
        "agencies": Agency.objects.filter(is_active=True).only("pk", "name").order_by("name"),
        "query": base.urlencode(), "count": len(hits), "suggestion": suggestion,
    })
