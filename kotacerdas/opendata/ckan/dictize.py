"""Our records as CKAN's package, resource, organization, group and tag dicts
(reference/ckan.md §3.1–3.2).

Another CKAN imports these dicts as they are and runs its own validators on them, so the
formats are CKAN's: UUID ids (an agency, whose key is an integer, gets a uuid5 that never
changes), naive-UTC timestamps always with microseconds (the harvester compares them as
strings), Satu Data's fields as `extras` whose keys never repeat a root field. No personal
data leaves: author and maintainer are the dataset's published contact, never its creator.

`Dictizer` reads a page of datasets in four queries whatever its size and keeps what is the
same for every dataset of a response (the site address, each agency's dict).
"""

import uuid
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata import licences
from kotacerdas.opendata.models import Dataset, Resource, Tag, Topic

CKAN_TIME = "%Y-%m-%dT%H:%M:%S.%f"

STATE: dict[str, str] = {
    Dataset.Status.PUBLISHED: "active",
    Dataset.Status.WITHDRAWN: "deleted",
    Dataset.Status.DRAFT: "draft",
    Dataset.Status.REVIEW: "draft",
    Dataset.Status.RETURNED: "draft",
}

# Satu Data's standard (Perpres 39/2019 Pasal 4) and reference codes, as extras: key, field.
EXTRA_FIELDS = (
    ("konsep", "concept"),
    ("definisi", "definition"),
    ("klasifikasi", "classification"),
    ("ukuran", "measure"),
    ("satuan", "unit"),
    ("frekuensi", "frequency"),
    ("periode_mulai", "period_start"),
    ("periode_selesai", "period_end"),
    ("kode_wilayah", "region_code"),
    ("sumber", "source"),
)


def ckan_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime(CKAN_TIME)


@lru_cache(maxsize=4)
def _namespace(site_url: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, site_url)


@lru_cache(maxsize=1024)
def _uuid(site_url: str, kind: str, key: str) -> str:
    return str(uuid.uuid5(_namespace(site_url), f"{kind}/{key}"))


def organization_id(code: str) -> str:
    """An agency's CKAN id: stable as long as SITE_URL and the agency's code are."""
    return _uuid(settings.SITE_URL, "organization", code)


def user_id(pk: int | None) -> str | None:
    return _uuid(settings.SITE_URL, "user", str(pk)) if pk is not None else None


def tag_dict(tag: Tag) -> dict[str, Any]:  # also inlined in Dictizer.packages
    return {"id": str(tag.id), "name": tag.name, "display_name": tag.name, "state": "active",
            "vocabulary_id": None}


def _group_core(topic: Topic) -> dict[str, Any]:
    return {"id": str(topic.id), "name": topic.name, "title": topic.title, "display_name": topic.title,
            "description": topic.description, "image_display_url": ""}


def group_dict(topic: Topic, *, package_count: int | None = None) -> dict[str, Any]:
    result = {
        **_group_core(topic),
        "image_url": "",
        "created": ckan_time(topic.created_at),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
        "num_followers": 0,
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def _organization_core(agency: Agency) -> dict[str, Any]:
    # Agencies have no creation date; CKAN's harvester drops `created` before importing.
    return {
        "id": organization_id(agency.code),
        "name": agency.code,
        "title": agency.name,
        "type": "organization",
        "description": "",
        "image_url": "",
        "created": None,
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def organization_dict(agency: Agency, *, package_count: int | None = None,
                      include_extras: bool = False) -> dict[str, Any]:
    result = {**_organization_core(agency), "display_name": agency.name, "image_display_url": "",
              "num_followers": 0}
    if package_count is not None:
        result["package_count"] = package_count
    if include_extras:
        result["extras"] = [{"key": "singkatan", "value": agency.short_name}]
    return result


def licence_dict(licence: licences.Licence) -> dict[str, Any]:
    return {
        "id": licence.id,
        "title": licence.title,
        "url": licence.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "is_generic": False,
        "domain_content": False,
        "domain_data": True,
        "domain_software": False,
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "is_okd_compliant": licence.is_open,
        "is_osi_compliant": False,
    }


DATASET_COLUMNS = (
    "id", "name", "title", "notes", "status", "private", "license_id", "version", "contact_name",
    "contact_email", "created_by_id", "created_at", "modified_at", "is_demo", "agency_id", "agency__code",
    "agency__name", *(field for _key, field in EXTRA_FIELDS),
)
RESOURCE_COLUMNS = (
    "id", "dataset_id", "position", "name", "description", "format", "url", "filename", "size", "hash",
    "mimetype", "created_at", "modified_at", "load_status",
)


class Dictizer:
    """Dictizes the datasets of one response from `values()` rows: four queries for any
    number of datasets, and no model instances, which cost more than the dicts themselves."""

    def __init__(self, walidata: str = ""):
        self.site_url = settings.SITE_URL
        self.walidata = walidata
        self._organizations: dict[int, dict[str, Any]] = {}

    def packages(self, datasets: QuerySet[Dataset]) -> list[dict[str, Any]]:
        """Package dicts of `datasets` (ordered and sliced by the caller), in that order."""
        rows = list(datasets.values(*DATASET_COLUMNS))
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        tags: dict[uuid.UUID, list[dict[str, Any]]] = {}
        tagged = Dataset.tags.through.objects.filter(dataset_id__in=ids).order_by("tag__name")
        for dataset_id, tag_id, name in tagged.values_list("dataset_id", "tag_id", "tag__name"):
            tags.setdefault(dataset_id, []).append({
                "id": str(tag_id), "name": name, "display_name": name, "state": "active",
                "vocabulary_id": None,
            })
        groups: dict[uuid.UUID, list[dict[str, Any]]] = {}
        grouped = Dataset.topics.through.objects.filter(dataset_id__in=ids)
        grouped = grouped.order_by("topic__title", "topic_id")
        for dataset_id, topic_id, name, title, description in grouped.values_list(
            "dataset_id", "topic_id", "topic__name", "topic__title", "topic__description"
        ):
            groups.setdefault(dataset_id, []).append({
                "id": str(topic_id), "name": name, "title": title, "display_name": title,
                "description": description, "image_display_url": "",
            })
        resources: dict[uuid.UUID, list[dict[str, Any]]] = {}
        listed = Resource.objects.filter(dataset_id__in=ids).order_by("position", "created_at")
        for resource in listed.values(*RESOURCE_COLUMNS):
            resources.setdefault(resource["dataset_id"], []).append(self.resource(resource))
        return [
            self.package(row, tags.get(key, []), groups.get(key, []), resources.get(key, []))
            for key, row in zip(ids, rows, strict=True)
        ]

    def organization(self, row: dict[str, Any]) -> dict[str, Any]:
        found = self._organizations.get(row["agency_id"])
        if found is None:
            agency = Agency(pk=row["agency_id"], code=row["agency__code"], name=row["agency__name"])
            found = self._organizations[row["agency_id"]] = _organization_core(agency)
        return found

    def resource(self, row: dict[str, Any]) -> dict[str, Any]:
        resource_id, dataset_id = str(row["id"]), str(row["dataset_id"])
        if row["filename"]:
            url = (f"{self.site_url}/dataset/{dataset_id}/resource/{resource_id}/download/"
                   f"{quote(row['filename'])}")
            url_type: str | None = "upload"
        else:
            url, url_type = row["url"], None
        modified = ckan_time(row["modified_at"])
        return {
            "id": resource_id,
            "package_id": dataset_id,
            "position": row["position"],
            "name": row["name"],
            "description": row["description"],
            "format": row["format"],
            "url": url,
            "url_type": url_type,
            "mimetype": row["mimetype"] or None,
            "mimetype_inner": None,
            "size": row["size"],
            "hash": row["hash"],
            "resource_type": None,
            "created": ckan_time(row["created_at"]),
            "last_modified": modified,
            "metadata_modified": modified,
            "cache_url": None,
            "cache_last_updated": None,
            "state": "active",
            "datastore_active": row["load_status"] == Resource.Load.DONE,
        }

    def package(self, row: dict[str, Any], tags: list[dict[str, Any]], groups: list[dict[str, Any]],
                resources: list[dict[str, Any]]) -> dict[str, Any]:
        licence = licences.licence(row["license_id"])
        organization = self.organization(row)
        contact, email = row["contact_name"], row["contact_email"]
        return {
            "id": str(row["id"]),
            "name": row["name"],
            "title": row["title"],
            "notes": row["notes"],
            "type": "dataset",
            "state": STATE.get(row["status"], "draft"),
            "private": row["private"],
            "license_id": row["license_id"],
            "license_title": licence.title or row["license_id"],
            "license_url": licence.url,
            "isopen": licence.is_open,
            "url": "",
            "version": row["version"],
            "author": contact,
            "author_email": email,
            "maintainer": contact,
            "maintainer_email": email,
            "creator_user_id": user_id(row["created_by_id"]),
            "owner_org": organization["id"],
            "organization": organization,
            "metadata_created": ckan_time(row["created_at"]),
            "metadata_modified": ckan_time(row["modified_at"]),
            "groups": groups,
            "tags": tags,
            "extras": self.extras(row),
            "resources": resources,
            "num_resources": len(resources),
            "num_tags": len(tags),
            "relationships_as_subject": [],
            "relationships_as_object": [],
        }

    def extras(self, row: dict[str, Any]) -> list[dict[str, str]]:
        extras = []
        for key, field in EXTRA_FIELDS:
            value = row[field]
            if isinstance(value, date):
                value = value.isoformat()
            if value:
                extras.append({"key": key, "value": str(value)})
        if self.walidata:
            extras.append({"key": "walidata", "value": self.walidata})
        if row["is_demo"]:
            extras.append({"key": "demo", "value": "true"})
        return extras


def resource_row(resource: Resource) -> dict[str, Any]:
    return {column: getattr(resource, column) for column in RESOURCE_COLUMNS}
