from django.db.models import Q, QuerySet

from kotacerdas.agencies.models import Agency
from kotacerdas.services.models import Service


def catalog(
    *, text: str = "", agency: str = "", category: str = "", life_event: str = ""
) -> QuerySet[Service]:
    """Published services, filtered the ways residents look for them."""
    rows = Service.objects.filter(is_published=True).select_related("agency")
    if text:
        words = text.split()
        for word in words[:8]:
            rows = rows.filter(
                Q(name__icontains=word) | Q(summary__icontains=word) | Q(product__icontains=word)
                | Q(agency__name__icontains=word) | Q(agency__short_name__icontains=word)
            )
    if agency == "kelurahan":
        rows = rows.filter(all_kelurahan=True)
    elif agency:
        rows = rows.filter(agency__code=agency)
    if category:
        rows = rows.filter(category=category)
    if life_event:
        # JSON list membership, portable across SQLite and PostgreSQL.
        rows = rows.filter(life_events__icontains=f'"{life_event}"')
    return rows.order_by("name")


def service_public(slug: str) -> Service | None:
    return (
        Service.objects.filter(slug=slug, is_published=True)
        .select_related("agency")
        .prefetch_related("fields")
        .first()
    )


def agencies_with_services() -> QuerySet[Agency]:
    return Agency.objects.filter(services__is_published=True).distinct().order_by("name")
