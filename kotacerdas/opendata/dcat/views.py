"""DCAT endpoints, shaped like ckanext-dcat's so its RDF harvester works unchanged:
`/catalog.jsonld?page=&modified_since=` and `/dataset/<name or id>.jsonld`.

Only public datasets (published, not private) appear, whoever asks: a harvester copies what
it sees to portals we do not control.
"""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata.dcat import serialize
from kotacerdas.opendata.models import Dataset
from kotacerdas.opendata.queries import ANONYMOUS, dataset_for, public_datasets
from kotacerdas.regions.models import Region

CONTENT_TYPE = "application/ld+json"
DATASETS_PER_PAGE = 100  # ckanext.dcat.datasets_per_page
RELATED = ("tags", "topics", "resources")
# "+07:00" arrives as " 07:00" when a client forgets to encode the query string.
DIGITS = re.compile(r"[0-9]+")
UNENCODED_OFFSET = re.compile(r"^(\S+T\S+) (\d{2}:?\d{2})$")


def _document(data: dict, status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status, content_type=CONTENT_TYPE,
                            json_dumps_params={"ensure_ascii": False})
    # Public metadata: browser apps on other origins may read it as harvesters do.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int) -> HttpResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def parse_modified_since(value: str) -> datetime:
    """An ISO 8601 date or date-time. Without an offset it is UTC, as CKAN's
    metadata_modified is and as harvesters send it."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fixed = UNENCODED_OFFSET.match(value)
        if fixed is None:
            raise
        moment = datetime.fromisoformat(f"{fixed.group(1)}+{fixed.group(2)}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)  # OverflowError at the ends of the calendar, before the query


def _region_names(datasets: list[Dataset]) -> dict[str, str]:
    codes = {dataset.region_code for dataset in datasets if dataset.region_code}
    if not codes:
        return {}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _page_of(qs: QuerySet[Dataset], number: int, per_page: int, total: int) -> list[Dataset]:
    start = (number - 1) * per_page
    if start >= total:
        return []  # past the end: an empty page, as ckanext-dcat answers, without asking the database
    page = qs.select_related("agency").prefetch_related(*RELATED).order_by("-modified_at", "id")
    return list(page[start:start + per_page])


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    per_page = getattr(settings, "OPENDATA_DCAT_DATASETS_PER_PAGE", DATASETS_PER_PAGE)
    raw_page = request.GET.get("page", "").strip() or "1"
    if not DIGITS.fullmatch(raw_page) or int(raw_page) < 1:
        return _error(_("Parameter page harus bilangan bulat positif mulai dari 1. / "
                        "The page parameter must be a positive integer starting at 1."), 400)
    number = int(raw_page)

    params: dict[str, str] = {}
    since = None
    raw_since = request.GET.get("modified_since", "").strip()
    if raw_since:
        try:
            since = parse_modified_since(raw_since)
        except (ValueError, OverflowError):
            return _error(_("Format modified_since salah; gunakan ISO 8601, mis. 2025-05-01 atau "
                            "2025-05-01T09:00:00Z. / Wrong modified_since format; use ISO 8601, e.g. "
                            "2025-05-01 or 2025-05-01T09:00:00Z."), 400)
        params["modified_since"] = raw_since

    public = public_datasets()
    wanted = Q(modified_at__gte=since) if since else Q()
    # One query for the page count and the catalog's dct:modified (the newest public dataset).
    summary = public.aggregate(total=Count("pk", filter=wanted), latest=Max("modified_at"))
    total = summary["total"]
    datasets = _page_of(public.filter(wanted), number, per_page, total)

    page = serialize.Page(number=number, per_page=per_page, total=total, shown=len(datasets), params=params)
    walidata = Agency.objects.filter(code=settings.OPENDATA_WALIDATA_AGENCY).first()
    document = serialize.catalog_document(datasets, page=page, walidata=walidata, modified=summary["latest"],
                                          region_names=_region_names(datasets))
    return _document(document)


@require_safe
def dataset(request: HttpRequest, name_or_id: str) -> HttpResponse:
    # Always as an anonymous visitor: signed-in staff see drafts elsewhere, never here.
    found = dataset_for(ANONYMOUS, name_or_id)
    if found is None:
        return _error(_("Dataset tidak ditemukan. / Dataset not found."), 404)
    prefetch_related_objects([found], *RELATED)
    return _document(serialize.dataset_document(found, _region_names([found])))


@require_safe
def vocabulary(request: HttpRequest) -> HttpResponse:
    return _document(serialize.vocabulary_document())
