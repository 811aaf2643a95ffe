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
from kotacerdas.opendata.models import Dataset, Resource, Tag, Topic

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
    return (
        Resource.objects.select_related("dataset", "dataset__agency")
        .filter(id=resource_id, dataset__in=visible_datasets(viewer))
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
    """For each facet: (value, display name, count) over the matching datasets, largest first.

    Three queries whatever the facets: the matching datasets' own columns (agency, licence,
    formats) counted here, and one grouped count each over the tag and topic link tables.
    Counting through joins with COUNT(DISTINCT) cost ten times more at 10,000 datasets."""
    from kotacerdas.opendata.licences import licence

    wanted = [name for name in fields if name in FACETS]
    counters: dict[str, Counter] = {name: Counter() for name in wanted}
    if {"organization", "license_id", "res_format"} & set(wanted):
        own_columns = qs.order_by().values_list("agency_id", "license_id", "formats")
        for agency_id, licence_id, formats in own_columns:
            if "organization" in counters:
                counters["organization"][agency_id] += 1
            if "license_id" in counters:
                counters["license_id"][licence_id] += 1
            if "res_format" in counters and formats:
                counters["res_format"].update(formats.split(","))
    ids = qs.order_by().values("pk")
    for name, link, column in (("tags", Dataset.tags.through, "tag_id"),
                               ("groups", Dataset.topics.through, "topic_id")):
        if name in counters:
            rows = link.objects.filter(dataset_id__in=ids).values_list(column).annotate(n=Count("pk"))
            counters[name].update(dict(rows))
    labels: dict[str, dict] = {}
    if "organization" in counters:
        agencies = Agency.objects.filter(pk__in=counters["organization"])
        labels["organization"] = {a.pk: (a.code, a.name) for a in agencies}
    if "groups" in counters:
        labels["groups"] = {t.pk: (t.name, t.title) for t in Topic.objects.filter(pk__in=counters["groups"])}
    if "tags" in counters:
        labels["tags"] = {t.pk: (t.name, t.name) for t in Tag.objects.filter(pk__in=counters["tags"])}
    result: dict[str, list[tuple[str, str, int]]] = {}
    for name in wanted:
        counted = []
        for key, n in counters[name].items():
            if n < mincount:
                continue
            if name in labels:
                value, display = labels[name].get(key, (str(key), str(key)))
            elif name == "license_id":
                value, display = key, licence(key).title or key
            else:
                value, display = key, key
            counted.append((value, display, n))
        counted.sort(key=lambda item: (-item[2], item[0]))
        result[name] = counted[:limit] if limit >= 0 else counted
    return result


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
