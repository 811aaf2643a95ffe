"""Reads for Satu Data: who sees which dataset, search with facets, the review queue.

Search reads `Dataset.search_text`, which the actions rewrite in the same transaction as
any change to what it holds, so there is no index to fall out of sync (CKAN's Solr drift,
reference/ckan.md §7) and it works the same on SQLite and PostgreSQL.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from kotacerdas.accounts.models import Membership
from kotacerdas.agencies.models import Agency
from kotacerdas.opendata.models import Dataset, Resource, Topic

WALIDATA_ROLES = {Membership.Role.VERIFIKATOR, Membership.Role.KEPALA, Membership.Role.ADMIN}


@dataclass(frozen=True)
class Viewer:
    """Who asks: a signed-in user (or a user's API token), or a partner system's API key."""

    user: object | None = None
    partner: bool = False

    @property
    def membership(self) -> Membership | None:
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return getattr(user, "staff_membership", None)

    @property
    def agency_id(self) -> int | None:
        membership = self.membership
        return membership.agency_id if membership else None

    @property
    def is_walidata(self) -> bool:
        return is_walidata(self.user)


ANONYMOUS = Viewer()


def is_walidata(user) -> bool:
    """The Walidata checks and publishes every OPD's data (Perpres 39/2019 Pasal 1 angka 14):
    the verifiers, head and admins of the agency named by OPENDATA_WALIDATA_AGENCY."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    membership = getattr(user, "staff_membership", None)
    return bool(
        membership
        and membership.role in WALIDATA_ROLES
        and membership.agency.code == settings.OPENDATA_WALIDATA_AGENCY
    )


def is_producer(user, dataset: Dataset | None = None) -> bool:
    """Every staff member of an OPD produces that OPD's data."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    membership = getattr(user, "staff_membership", None)
    if membership is None:
        return False
    return dataset is None or dataset.agency_id == membership.agency_id


def public_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(status=Dataset.Status.PUBLISHED, private=False)


def visible_datasets(viewer: Viewer = ANONYMOUS, *, include_private: bool = True,
                     include_drafts: bool = True) -> QuerySet[Dataset]:
    """Datasets this viewer may read. Drafts are seen only by their OPD and, once submitted,
    by the Walidata; private datasets also by partner systems holding an API key."""
    rule = Q(status=Dataset.Status.PUBLISHED, private=False)
    if include_private and (viewer.partner or viewer.is_walidata):
        rule |= Q(status=Dataset.Status.PUBLISHED, private=True)
    if viewer.agency_id is not None:
        own = Q(agency_id=viewer.agency_id)
        rule |= own if include_drafts else own & Q(status=Dataset.Status.PUBLISHED)
    if viewer.is_walidata and include_drafts:
        rule |= ~Q(status=Dataset.Status.DRAFT)
    return Dataset.objects.filter(rule)


def dataset_for(viewer: Viewer, name_or_id: str) -> Dataset | None:
    qs = visible_datasets(viewer).select_related("agency")
    found = qs.filter(name=name_or_id).first()
    if found is None and _looks_like_uuid(name_or_id):
        found = qs.filter(id=name_or_id).first()
    return found


def resource_for(viewer: Viewer, resource_id: str) -> Resource | None:
    if not _looks_like_uuid(resource_id):
        return None
    # Exists on the one resource's dataset: `dataset__in=<visible datasets>` made SQLite build
    # the list of every visible dataset first (tens of ms at 10,000 datasets).
    visible = visible_datasets(viewer).filter(pk=OuterRef("dataset_id"))
    return (
        Resource.objects.select_related("dataset", "dataset__agency")
        .filter(Exists(visible), id=resource_id)
        .first()
    )


def _looks_like_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


@dataclass
class SearchFilters:
    text: str = ""
    organizations: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    modified_from: datetime | None = None
    modified_to: datetime | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def dataset_search(qs: QuerySet[Dataset], filters: SearchFilters) -> QuerySet[Dataset]:
    """Every word of the text must appear in the dataset's title, description, tags, topics,
    agency, resource names or column names; the facets narrow by exact value."""
    words = filters.text.lower().split()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    if filters.organizations:
        qs = qs.filter(agency__code__in=filters.organizations)
    for group in filters.groups:
        qs = qs.filter(topics__name=group)
    for tag in filters.tags:
        qs = qs.filter(tags__name=tag)
    if filters.formats:
        wanted = Resource.objects.filter(dataset=OuterRef("pk"), format__in=_format_variants(filters.formats))
        qs = qs.filter(Exists(wanted))
    if filters.licences:
        qs = qs.filter(license_id__in=filters.licences)
    if filters.names:
        qs = qs.filter(name__in=filters.names)
    if filters.modified_from:
        qs = qs.filter(modified_at__gte=filters.modified_from)
    if filters.modified_to:
        qs = qs.filter(modified_at__lte=filters.modified_to)
    if filters.created_from:
        qs = qs.filter(created_at__gte=filters.created_from)
    if filters.created_to:
        qs = qs.filter(created_at__lte=filters.created_to)
    return qs


def _format_variants(formats: Iterable[str]) -> list[str]:
    """CKAN clients send formats in any case ("csv", "CSV"); ours are stored canonical."""
    canonical = {choice.upper(): choice for choice in Resource.Format.values if choice}
    return [canonical.get(value.upper(), value) for value in formats]


def relevance_order(qs: QuerySet[Dataset], text: str) -> QuerySet[Dataset]:
    """Datasets whose title holds the words come first, the newest first within each band."""
    words = text.lower().split()
    if not words:
        return qs.order_by("-modified_at", "id")
    title_hit = Q()
    for word in words:
        title_hit &= Q(title__icontains=word)
    return qs.annotate(
        score=Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-score", "-modified_at", "id")


FACETS = ("organization", "groups", "tags", "res_format", "license_id")


def dataset_facets(qs: QuerySet[Dataset], fields: Iterable[str] = FACETS,
                   limit: int = 50, mincount: int = 1) -> dict[str, list[tuple[str, str, int]]]:
    """For each facet: (value, display name, count) over the matching datasets, largest first."""
    return dataset_facets_and_count(qs, fields, limit=limit, mincount=mincount)[0]


def dataset_facets_and_count(
    qs: QuerySet[Dataset], fields: Iterable[str] = FACETS, *, limit: int = 50, mincount: int = 1,
) -> tuple[dict[str, list[tuple[str, str, int]]], int | None]:
    """dataset_facets, and how many datasets match when the facets read every one of them
    anyway (organization, license_id or res_format), else None: the caller need not count
    them again with a second scan of the search text.

    Three queries whatever the facets: the matching datasets' own columns (agency, licence,
    formats) counted here, and one grouped count each over the tag and topic link tables,
    each with the names it shows. Counting through joins with COUNT(DISTINCT) cost ten times
    more at 10,000 datasets."""
    from kotacerdas.opendata.licences import licence

    wanted = [name for name in fields if name in FACETS]
    # Keyed by (value, display name): agency, tag and topic names come with the counts.
    counters: dict[str, Counter] = {name: Counter() for name in wanted}
    total = None
    if {"organization", "license_id", "res_format"} & set(wanted):
        own_columns = list(qs.order_by().values_list("agency__code", "agency__name", "license_id", "formats"))
        total = len(own_columns)
        if "organization" in counters:
            counters["organization"].update((code, name) for code, name, _licence, _formats in own_columns)
        if "license_id" in counters:
            licences = Counter(licence_id for _code, _name, licence_id, _formats in own_columns)
            counters["license_id"].update({(key, licence(key).title or key): n
                                           for key, n in licences.items()})
        if "res_format" in counters:
            formats: Counter[str] = Counter()
            for _code, _name, _licence, listed in own_columns:
                if listed:
                    formats.update(listed.split(","))
            counters["res_format"].update({(key, key): n for key, n in formats.items()})
    ids = qs.order_by().values("pk")
    if "tags" in counters:
        tagged = Dataset.tags.through.objects.filter(dataset_id__in=ids).values_list("tag__name")
        counters["tags"].update({(name, name): n for name, n in tagged.annotate(n=Count("pk"))})
    if "groups" in counters:
        grouped = Dataset.topics.through.objects.filter(dataset_id__in=ids)
        titled = grouped.values_list("topic__name", "topic__title").annotate(n=Count("pk"))
        counters["groups"].update({(name, title): n for name, title, n in titled})
    result: dict[str, list[tuple[str, str, int]]] = {}
    for name in wanted:
        counted = [(value, display, n) for (value, display), n in counters[name].items() if n >= mincount]
        counted.sort(key=lambda item: (-item[2], item[0]))
        result[name] = counted[:limit] if limit >= 0 else counted
    return result, total


def producer_datasets(user) -> QuerySet[Dataset]:
    membership = getattr(user, "staff_membership", None)
    if membership is None:
        return Dataset.objects.none()
    return Dataset.objects.filter(agency_id=membership.agency_id).order_by("-modified_at")


def review_queue() -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(status=Dataset.Status.REVIEW).select_related("agency").order_by("modified_at")
    )


def organizations_with_data(viewer: Viewer = ANONYMOUS) -> QuerySet[Agency]:
    visible = visible_datasets(viewer, include_drafts=False).values("pk")
    return Agency.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
    )


def topics_with_counts(viewer: Viewer = ANONYMOUS) -> QuerySet[Topic]:
    visible = visible_datasets(viewer, include_drafts=False).values("pk")
    return Topic.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
    )


def search_documents(datasets: QuerySet[Dataset] | None = None):
    """Public datasets for the site-wide search (kotacerdas.search)."""
    from kotacerdas.search.sources import Document

    rows = public_datasets() if datasets is None else datasets
    for dataset in rows.only("id", "name", "title", "notes", "search_text", "agency_id",
                                          "published_at", "modified_at"):
        yield Document(kind="dataset", key=f"dataset:{dataset.pk}", title=dataset.title,
                       text=dataset.search_text, summary=dataset.notes[:300], url=f"/dataset/{dataset.name}/",
                       agency_id=dataset.agency_id, published_at=dataset.published_at or dataset.modified_at)
