"""The read actions of CKAN's Action API v3, one function each (ckan/logic/action/get.py,
reference/ckan.md §3). Each takes the caller and the request's parameters and returns the
`result`; errors are raised as kotacerdas.opendata.ckan.errors.

Unknown parameters are ignored, as CKAN's show and list actions ignore them (ckanapi's
`dump` sends some), except in package_search and datastore_search, which refuse them as
CKAN does. Every dataset comes through queries.visible_datasets, so what a caller sees
here is what they would see on the portal.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata import licences
from kotacerdas.opendata.ckan import fq
from kotacerdas.opendata.ckan.dictize import (
    Dictizer,
    group_dict,
    licence_dict,
    organization_dict,
    resource_row,
    tag_dict,
)
from kotacerdas.opendata.ckan.errors import NotFound, SearchQueryError, ValidationError, missing
from kotacerdas.opendata.ckan.params import asbool, from_json, natural, string_list, text
from kotacerdas.opendata.models import Dataset, Resource, Tag
from kotacerdas.opendata.queries import (
    Viewer,
    dataset_facets_and_count,
    dataset_for,
    organizations_with_data,
    public_datasets,
    relevance_order,
    resource_for,
    topics_with_counts,
    visible_datasets,
)

ROWS_MAX = 1000  # CKAN's ckan.search.rows_max
LIST_MAX = 1000  # ckan.group_and_organization_list_max; also with all_fields, see list_organizations
DRAFTS = {Dataset.Status.DRAFT, Dataset.Status.REVIEW, Dataset.Status.RETURNED}


@dataclass
class Context:
    viewer: Viewer
    _dictizer: Dictizer | None = field(default=None, repr=False)

    @property
    def dictizer(self) -> Dictizer:
        if self._dictizer is None:
            walidata = Agency.objects.filter(code=settings.OPENDATA_WALIDATA_AGENCY).values_list(
                "name", flat=True)
            self._dictizer = Dictizer(walidata=walidata.first() or "")
        return self._dictizer


Handler = Callable[[Context, dict[str, Any]], Any]
ACTIONS: dict[str, Handler] = {}


def action(function: Handler) -> Handler:
    ACTIONS[function.__name__] = function
    return function


# -- site --------------------------------------------------------------------------------------


@action
def status_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return this portal's name, address and the CKAN API version it speaks."""
    return {
        "site_title": f"Satu Data {settings.KOTACERDAS_CITY_NAME}",
        "site_description": f"Portal data terbuka Satu Data {settings.KOTACERDAS_CITY_NAME}.",
        "site_url": settings.SITE_URL,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore"],
        # The Action API protocol we follow; clients compare it to pick features.
        "ckan_version": "2.11.0",
    }


@action
def site_read(ctx: Context, data: dict[str, Any]) -> bool:
    """Return true: the site can be read (removed in CKAN 2.11; older monitors still call it)."""
    return True


@action
def help_show(ctx: Context, data: dict[str, Any]) -> str:
    """Return the documentation of the action given as `name`."""
    name = text(data, "name")
    if not name:
        raise missing("name")
    handler = ACTIONS.get(name)
    if handler is None:
        raise NotFound("Action function not found")
    return (handler.__doc__ or "").strip()


@action
def license_list(ctx: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the licences a dataset may carry, with CKAN's licence ids."""
    return [licence_dict(licence) for licence in licences.LICENCES]


# -- datasets ----------------------------------------------------------------------------------


@action
def package_list(ctx: Context, data: dict[str, Any]) -> list[str]:
    """Return the names of all public datasets, sorted; `limit` and `offset` page through them."""
    limit = natural(data, "limit", None)
    offset = natural(data, "offset", 0) or 0
    names = public_datasets().order_by("name").values_list("name", flat=True)
    return list(names[offset:offset + limit] if limit is not None else names[offset:])


@action
def package_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one dataset by `id` (its id or name) with its resources, tags, groups and extras."""
    name_or_id = text(data, "id") or text(data, "name_or_id")
    if not name_or_id:
        raise missing("name_or_id")
    dataset = dataset_for(ctx.viewer, name_or_id)
    if dataset is None:
        raise NotFound()
    return ctx.dictizer.packages(Dataset.objects.filter(pk=dataset.pk))[0]


@action
def resource_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one resource by `id`."""
    resource_id = text(data, "id")
    if not resource_id:
        raise missing("id")
    resource = resource_for(ctx.viewer, resource_id)
    if resource is None:
        raise NotFound("Resource was not found.")
    return ctx.dictizer.resource(resource_row(resource))


SEARCH_PARAMS = {
    "q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field", "facet.limit", "facet.mincount",
    "include_private", "include_drafts", "include_deleted", "use_default_schema", "fl",
    # Solr tuning CKAN passes through; our search has nothing to tune.
    "qf", "defType", "mm", "tie", "bf", "boost", "q.op", "wt", "extras",
}
SORT_FIELDS = {
    "score": None,
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "name": "name",
    "title_string": "title",
    "id": "id",
}
DEFAULT_SORT = "score desc, metadata_modified desc"


@action
def package_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. `q` (words, or field:value terms), `fq` and `fq_list` (organization,
    groups, tags, res_format, license_id, name, id, capacity, metadata_modified and
    metadata_created ranges), `rows` (at most 1000), `start`, `sort` (score,
    metadata_modified, metadata_created, name, title_string, id; asc or desc), `facet.field`,
    `facet.limit`, `facet.mincount`, `include_private`, `include_drafts`, `include_deleted`."""
    unknown = sorted(key for key in data if key not in SEARCH_PARAMS and not key.startswith("ext_"))
    if unknown:
        raise SearchQueryError(f"Invalid search parameters: {unknown}")
    rows = natural(data, "rows", 10, ROWS_MAX) or 0
    start = natural(data, "start", 0) or 0
    query = text(data, "q")
    sort = text(data, "sort") or DEFAULT_SORT
    filter_queries = [text(data, "fq"), *string_list(data, "fq_list")]
    parsed = fq.parse(query, filter_queries)
    matching = parsed.apply(_searchable(
        ctx.viewer,
        include_private=asbool(data, "include_private"),
        include_drafts=asbool(data, "include_drafts"),
        include_deleted=asbool(data, "include_deleted"),
    ))
    ordering = _ordering(sort)
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    counted: int | None = None
    if asbool(data, "facet", True):
        facets, search_facets, counted = _facets(matching, data)
    count = matching.count() if counted is None else counted
    results: list[dict[str, Any]] = []
    if rows and start < count:
        ordered = relevance_order(matching, parsed.filters.text) if _uses_score(ordering) else matching
        ordered = ordered.order_by(*_order_by(ordering, bool(parsed.filters.text.split())))
        results = ctx.dictizer.packages(ordered[start:start + rows])
    fl = text(data, "fl")
    if fl and fl.strip() != "*":
        wanted = [name for name in fl.replace(",", " ").split() if name]
        results = [{name: result[name] for name in wanted if name in result} for result in results]
    return {"count": count, "facets": facets, "results": results, "sort": sort,
            "search_facets": search_facets}


def _searchable(viewer: Viewer, *, include_private: bool, include_drafts: bool,
                include_deleted: bool) -> QuerySet[Dataset]:
    statuses = {Dataset.Status.PUBLISHED}
    if include_drafts:
        statuses |= DRAFTS
    if include_deleted:
        statuses.add(Dataset.Status.WITHDRAWN)
    qs = visible_datasets(viewer, include_private=include_private,
                          include_drafts=include_drafts or include_deleted)
    qs = qs.filter(status__in=statuses)
    # A producer's own published private datasets are visible to it on the portal; the API,
    # like CKAN, lists private datasets only when asked.
    return qs if include_private else qs.filter(private=False)


def _ordering(sort: str) -> list[tuple[str, bool]]:
    terms = [term.split() for term in sort.split(",") if term.strip()]
    ordering = []
    for term in terms:
        if len(term) != 2 or term[0] not in SORT_FIELDS or term[1].lower() not in ("asc", "desc"):
            raise SearchQueryError('Invalid "sort" parameter')
        ordering.append((term[0], term[1].lower() == "desc"))
    if not ordering:
        raise SearchQueryError('Invalid "sort" parameter')
    return ordering


def _uses_score(ordering: list[tuple[str, bool]]) -> bool:
    return any(name == "score" for name, _desc in ordering)


def _order_by(ordering: list[tuple[str, bool]], has_text: bool) -> list[Any]:
    """Solr's sort as Django's; the id last so that paging is deterministic (the harvester
    aborts when two pages are the same)."""
    columns: list[Any] = []
    for name, descending in ordering:
        if name == "score":
            if has_text:  # without words every dataset scores the same
                columns.append("-score" if descending else "score")
            continue
        column = SORT_FIELDS[name] or name
        if name == "title_string":
            title = Lower(column)
            columns.append(title.desc() if descending else title.asc())
        else:
            columns.append(f"-{column}" if descending else column)
    if ("id", False) not in ordering and ("id", True) not in ordering:
        columns.append("id")
    return columns


def _facets(matching: QuerySet[Dataset],
            data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], int | None]:
    """CKAN's facets and search_facets, and the number of matching datasets if counting the
    facets gave it (see queries.dataset_facets_and_count)."""
    names = string_list(data, "facet.field")
    if not names:
        return {}, {}, None
    limit = _int_param(data, "facet.limit", 50)
    mincount = _int_param(data, "facet.mincount", 1)
    counted, total = dataset_facets_and_count(matching, names, limit=limit, mincount=mincount)
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    for name in names:
        rows = counted.get(name, [])
        facets[name] = {value: count for value, _display, count in rows}
        # CKAN sorts search_facets items by display name, descending (logic/action/get.py).
        rows = sorted(rows, key=lambda row: row[1] or row[0], reverse=True)
        items = [{"name": value, "display_name": display or value, "count": count}
                 for value, display, count in rows]
        search_facets[name] = {"title": name, "items": items}
    return facets, search_facets, total


def _int_param(data: dict[str, Any], name: str, default: int) -> int:
    value = data.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: ["Invalid integer"]}) from None


@action
def current_package_list_with_resources(ctx: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return full dataset dicts, most recently modified first; `limit`, `offset` or `page`."""
    limit = natural(data, "limit", 10, ROWS_MAX) or 0
    offset = natural(data, "offset", None)
    if offset is None:
        page = natural(data, "page", 1) or 1
        offset = (page - 1) * limit
    search = package_search(ctx, {"q": "", "rows": limit, "start": offset, "sort": "metadata_modified desc",
                                  "facet": False})
    return search["results"]


# -- organizations and groups ------------------------------------------------------------------

LIST_SORTS = {"name": "name", "title": "title", "package_count": "package_count"}


def _list_params(data: dict[str, Any]) -> tuple[list[str], int, int, str, bool]:
    parts = (text(data, "sort") or "title asc").split()
    direction = parts[1].lower() if len(parts) == 2 else "asc"
    if not parts or len(parts) > 2 or parts[0] not in LIST_SORTS or direction not in ("asc", "desc"):
        raise ValidationError({"sort": [f"Sort must be one of {sorted(LIST_SORTS)}, then asc or desc"]})
    # CKAN caps all_fields lists at 25 (group_and_organization_list_all_fields_max) because
    # its dicts are costly; ours are one query, so clients that do not page still get all.
    limit = natural(data, "limit", LIST_MAX, LIST_MAX) or 0
    offset = natural(data, "offset", 0) or 0
    return [parts[0], direction], limit, offset, text(data, "q"), asbool(data, "all_fields")


def _count(annotated: Any) -> int:
    """The package_count that organizations_with_data and topics_with_counts annotate."""
    return annotated.package_count


def _order(column: str, direction: str) -> Any:
    if column == "package_count":
        return f"-{column}" if direction == "desc" else column
    expression = Lower(column)
    return expression.desc() if direction == "desc" else expression.asc()


@action
def organization_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Return the organizations (OPD, the Produsen Data): names, or dicts with `all_fields`.
    `sort` (name, title or package_count, asc or desc), `limit` (at most 1000), `offset`,
    `q`, `organizations` (names to keep), `include_dataset_count`, `include_extras`."""
    (sort, direction), limit, offset, query, all_fields = _list_params(data)
    agencies = organizations_with_data(ctx.viewer).filter(Q(is_active=True) | Q(package_count__gt=0))
    if query:
        agencies = agencies.filter(Q(code__icontains=query) | Q(name__icontains=query)
                                   | Q(short_name__icontains=query))
    wanted = string_list(data, "organizations")
    if wanted:
        agencies = agencies.filter(code__in=wanted)
    column = {"name": "code", "title": "name", "package_count": "package_count"}[sort]
    agencies = agencies.order_by(_order(column, direction), "code")[offset:offset + limit]
    if not all_fields:
        return [agency.code for agency in agencies]
    counts = asbool(data, "include_dataset_count", True)
    extras = asbool(data, "include_extras")
    return [organization_dict(agency, package_count=_count(agency) if counts else None,
                              include_extras=extras) for agency in agencies]


@action
def organization_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one organization by `id` (its name or id); `include_datasets` adds up to 1000
    of its datasets as `packages`."""
    key = text(data, "id")
    if not key:
        raise missing("id")
    agencies = organizations_with_data(ctx.viewer)
    agency = agencies.filter(code=key).first()
    if agency is None and fq.is_uuid(key):
        agency = agencies.filter(code__in=fq.organization_codes([key])).first()
    if agency is None:
        raise NotFound()
    result = organization_dict(agency, package_count=_count(agency),
                               include_extras=asbool(data, "include_extras", True))
    result.update({"users": [], "groups": [], "tags": []})
    if asbool(data, "include_datasets"):
        datasets = _searchable(ctx.viewer, include_private=True, include_drafts=False, include_deleted=False)
        result["packages"] = _packages(ctx, datasets.filter(agency=agency))
    return result


def _packages(ctx: Context, datasets: QuerySet[Dataset]) -> list[dict[str, Any]]:
    return ctx.dictizer.packages(datasets.order_by("-modified_at", "id")[:ROWS_MAX])


@action
def group_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Return the groups (the smart-city dimensions and other topics): names, or dicts with
    `all_fields`. Same parameters as organization_list, with `groups` to keep."""
    (sort, direction), limit, offset, query, all_fields = _list_params(data)
    topics = topics_with_counts(ctx.viewer)
    if query:
        topics = topics.filter(Q(name__icontains=query) | Q(title__icontains=query)
                               | Q(description__icontains=query))
    wanted = string_list(data, "groups")
    if wanted:
        topics = topics.filter(name__in=wanted)
    topics = topics.order_by(_order(LIST_SORTS[sort], direction), "name")[offset:offset + limit]
    if not all_fields:
        return [topic.name for topic in topics]
    counts = asbool(data, "include_dataset_count", True)
    return [group_dict(topic, package_count=_count(topic) if counts else None) for topic in topics]


@action
def group_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one group by `id` (its name or id); `include_datasets` adds up to 1000 of its
    datasets as `packages`."""
    key = text(data, "id")
    if not key:
        raise missing("id")
    lookup = Q(name=key) | Q(id=key) if fq.is_uuid(key) else Q(name=key)
    topic = topics_with_counts(ctx.viewer).filter(lookup).first()
    if topic is None:
        raise NotFound()
    result = group_dict(topic, package_count=_count(topic))
    result.update({"users": [], "groups": [], "tags": [], "extras": []})
    if asbool(data, "include_datasets"):
        datasets = _searchable(ctx.viewer, include_private=False, include_drafts=False, include_deleted=False)
        result["packages"] = _packages(ctx, datasets.filter(topics=topic))
    return result


@action
def tag_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Return the tags of public datasets, by name; `query` narrows them, `all_fields` gives dicts."""
    if data.get("vocabulary_id"):
        raise NotFound("Could not find vocabulary")
    query = text(data, "query") or text(data, "q")
    tags = Tag.objects.filter(datasets__in=public_datasets().values("pk")).distinct().order_by("name")
    if query:
        tags = tags.filter(name__icontains=query)
    if asbool(data, "all_fields"):
        return [tag_dict(tag) for tag in tags]
    return list(tags.values_list("name", flat=True))


# -- datastore ---------------------------------------------------------------------------------

DATASTORE_PARAMS = {
    "resource_id", "id", "filters", "q", "fields", "sort", "limit", "offset", "include_total", "distinct",
    "records_format", "plain", "language", "full_text", "total_estimation_threshold",
}


@action
def datastore_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Read rows of a resource's table. `resource_id`, `filters` ({column: value or [values]}),
    `q` (text, or {column: text}), `fields`, `sort` ("column desc, ..."), `limit` (default
    100, at most 32000), `offset`, `include_total`, `distinct`, `records_format` (objects,
    lists, csv or tsv). Structured values may be sent as JSON text."""
    unknown = sorted(set(data) - DATASTORE_PARAMS)
    if unknown:
        raise ValidationError({"__junk": [f"The input field {name} was not expected." for name in unknown]})
    resource_id = text(data, "resource_id") or text(data, "id")
    if not resource_id:
        raise missing("resource_id")
    resource = resource_for(ctx.viewer, resource_id)
    if resource is None or resource.load_status != Resource.Load.DONE:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    filters = from_json(data.get("filters"))
    if filters is not None and not isinstance(filters, dict):
        raise ValidationError({"filters": ['Must be a JSON object, e.g. {"kecamatan": "Sukorejo"}']})
    q = from_json(data.get("q"))
    if q is not None and not isinstance(q, str | dict):
        raise ValidationError({"q": ["Must be a string or a JSON object"]})
    sort = from_json(data.get("sort"))
    if sort is not None and not isinstance(sort, str | list):
        raise ValidationError({"sort": ["Must be a string or a list"]})
    from kotacerdas.opendata.datastore import query as datastore

    try:
        return datastore.search(
            resource, filters=filters or None, q=q or None, fields=_datastore_fields(data.get("fields")),
            sort=sort or None, limit=_scalar(data, "limit", datastore.DEFAULT_LIMIT),
            offset=_scalar(data, "offset", 0), include_total=asbool(data, "include_total", True),
            distinct=asbool(data, "distinct"), records_format=text(data, "records_format") or "objects",
            link_path=reverse("opendata-ckan:action-v3", kwargs={"name": "datastore_search"}),
        )
    except datastore.DatastoreNotFound:
        raise NotFound(f'Resource "{resource_id}" was not found.') from None
    except datastore.DatastoreQueryError as error:
        raise ValidationError(error.errors) from error


def _scalar(data: dict[str, Any], name: str, default: int) -> int | str:
    value = data.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({name: ["Invalid integer"]})
    return value


def _datastore_fields(value: Any) -> list[str] | None:
    value = from_json(value)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return value
    raise ValidationError({"fields": ["Must be a list of column names or a comma-separated string"]})

