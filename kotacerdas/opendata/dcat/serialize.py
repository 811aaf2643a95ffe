"""Satu Data as DCAT-AP in JSON-LD, for DCAT harvesters (ckanext-dcat's RDF harvester, the
EU Data Portal and anything else that reads DCAT).

The URIs are the ones ckanext-dcat would mint for the same CKAN ids (reference/ckan.md §5.1):
`{SITE_URL}/dataset/{uuid}` and `{SITE_URL}/dataset/{uuid}/resource/{uuid}`. They never use the
name, which a producer may still change before first publication, because the DCAT harvester
takes the dataset URI as its GUID and deletes the copy whose GUID disappears.

Satu Data's data standard (Perpres 39/2019 Pasal 4: konsep, definisi, klasifikasi, ukuran,
satuan) has no DCAT property, so its values go under a small vocabulary of ours, served at
`{SITE_URL}/ns/satudata`, and the dataset says it follows that standard with dct:conformsTo.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata import licences
from kotacerdas.opendata.models import Dataset, Frequency, Resource, Topic

Node = dict[str, Any]

EU = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
LANGUAGE = f"{EU}/language/IND"
PUBLIC_ACCESS = f"{EU}/access-right/PUBLIC"
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"
SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

# EU frequency vocabulary (publications.europa.eu/resource/authority/frequency).
FREQUENCIES: dict[str, str] = {
    Frequency.HARIAN: "DAILY",
    Frequency.MINGGUAN: "WEEKLY",
    Frequency.BULANAN: "MONTHLY",
    Frequency.TRIWULANAN: "QUARTERLY",
    Frequency.SEMESTERAN: "ANNUAL_2",
    Frequency.TAHUNAN: "ANNUAL",
    Frequency.TIDAK_TENTU: "IRREG",
}
# EU file-type vocabulary and IANA media types. The format was sniffed from the file's
# content (actions.sniff_format); the browser's Content-Type for an upload was not.
FILE_TYPES: dict[str, tuple[str, str]] = {
    Resource.Format.CSV: ("CSV", "text/csv"),
    Resource.Format.XLSX: ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    Resource.Format.JSON: ("JSON", "application/json"),
    Resource.Format.GEOJSON: ("GEOJSON", "application/geo+json"),
    Resource.Format.PDF: ("PDF", "application/pdf"),
    Resource.Format.HTML: ("HTML", "text/html"),
}
MEDIA_TYPE = re.compile(r"^[a-z0-9][\w.+-]*/[\w.+-]+$")
SHA256_HASH = re.compile(r"^sha256:([0-9a-f]{64})$")

# Satu Data's standard fields: (term in our vocabulary, Dataset field, Indonesian label, English label).
SATU_DATA_TERMS = [
    ("konsep", "concept", "Konsep", "Concept"),
    ("definisi", "definition", "Definisi", "Definition"),
    ("klasifikasi", "classification", "Klasifikasi", "Classification"),
    ("ukuran", "measure", "Ukuran", "Measure"),
    ("satuan", "unit", "Satuan", "Unit of measurement"),
    ("sumber", "source", "Sumber data", "Data source"),
]
STANDARD_FIELDS = ("concept", "definition", "classification", "measure", "unit")


def _site() -> str:
    return settings.SITE_URL


def vocabulary_uri() -> str:
    return f"{_site()}/ns/satudata"


def context() -> Node:
    return {
        "adms": "http://www.w3.org/ns/adms#",
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "spdx": "http://spdx.org/rdf/terms#",
        "vcard": "http://www.w3.org/2006/vcard/ns#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "satudata": f"{vocabulary_uri()}#",
    }


# -- stable URIs ------------------------------------------------------------------------------

def catalog_uri() -> str:
    return f"{_site()}/catalog"


def dataset_uri(dataset: Dataset) -> str:
    return f"{_site()}/dataset/{dataset.pk}"


def resource_uri(resource: Resource) -> str:
    return f"{_site()}/dataset/{resource.dataset_id}/resource/{resource.pk}"


def download_url(resource: Resource) -> str:
    """Where an uploaded file is served; a link resource is its own URL."""
    if not resource.is_upload:
        return resource.url
    return f"{resource_uri(resource)}/download/{quote(resource.filename)}"


def organization_uri(agency: Agency) -> str:
    return f"{_site()}/organization/{agency.code}"


def topic_uri(topic: Topic) -> str:
    return f"{_site()}/group/{topic.name}"


def themes_uri() -> str:
    return f"{_site()}/group"


# -- literals ---------------------------------------------------------------------------------

def _text(value: str, language: str = "id") -> Node:
    return {"@value": value, "@language": language}


def _datetime(value: datetime) -> Node:
    # Always with microseconds and an offset: harvesters compare these lexically.
    return {"@value": value.astimezone(UTC).isoformat(timespec="microseconds"), "@type": "xsd:dateTime"}


def _date(value: date) -> Node:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _ref(uri: str, kind: str | None = None) -> Node:
    # DCAT-AP's SHACL shapes check the class of every linked node (sh:class), so the
    # controlled-vocabulary links carry their class, as ckanext-dcat writes them.
    return {"@id": uri, "@type": kind} if kind else {"@id": uri}


def _drop_empty(node: Node) -> Node:
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


# -- nodes ------------------------------------------------------------------------------------

def publisher(agency: Agency) -> Node:
    return _drop_empty({
        "@id": organization_uri(agency),
        "@type": ["foaf:Organization", "foaf:Agent"],
        "foaf:name": agency.name,
        "skos:altLabel": agency.short_name,
        "dct:identifier": agency.code,
        "dct:type": {"@id": LOCAL_AUTHORITY, "@type": "skos:Concept",
                     "skos:prefLabel": _text("Local Authority", "en")},
    })


def theme(topic: Topic) -> Node:
    return _drop_empty({
        "@id": topic_uri(topic),
        "@type": "skos:Concept",
        "skos:prefLabel": [_text(topic.title)] + ([_text(topic.title_en, "en")] if topic.title_en else []),
        "skos:inScheme": _ref(themes_uri()),
    })


def contact_point(dataset: Dataset) -> Node:
    """The contact the producer filled in for the dataset, else the OPD's office; never the
    e-mail of whoever created the record."""
    email = dataset.contact_email or dataset.agency.email
    return _drop_empty({
        "@type": ["vcard:Organization", "vcard:Kind"],
        "vcard:fn": dataset.contact_name or dataset.agency.name,
        "vcard:hasEmail": _ref(f"mailto:{email}") if email else None,
    })


def spatial(code: str, region_names: Mapping[str, str]) -> Node:
    # Kemendagri codes have no published URIs, so the location is a blank node carrying the code.
    return _drop_empty({
        "@type": "dct:Location",
        "dct:identifier": code,
        "skos:prefLabel": _text(region_names[code]) if code in region_names else None,
    })


def temporal(dataset: Dataset) -> Node | None:
    if not (dataset.period_start or dataset.period_end):
        return None
    return _drop_empty({
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _date(dataset.period_start) if dataset.period_start else None,
        "dcat:endDate": _date(dataset.period_end) if dataset.period_end else None,
    })


def checksum(resource: Resource) -> Node | None:
    match = SHA256_HASH.match(resource.hash)
    if match is None:
        return None
    return {
        "@type": "spdx:Checksum",
        "spdx:algorithm": _ref(SHA256, "spdx:ChecksumAlgorithm"),
        "spdx:checksumValue": {"@value": match.group(1), "@type": "xsd:hexBinary"},
    }


def licence_node(licence_id: str) -> Node | None:
    licence = licences.licence(licence_id)
    if not licence.url:
        return None
    return {"@id": licence.url, "@type": "dct:LicenseDocument", "rdfs:label": licence.title}


def distribution(resource: Resource, dataset: Dataset) -> Node:
    file_type, media_type = FILE_TYPES.get(resource.format, ("", resource.mimetype))
    if not MEDIA_TYPE.match(media_type):
        media_type = ""
    access = download_url(resource)
    size = resource.size
    return _drop_empty({
        "@id": resource_uri(resource),
        "@type": "dcat:Distribution",
        "dct:identifier": str(resource.pk),
        "dct:title": _text(resource.name),
        "dct:description": _text(resource.description) if resource.description else None,
        "dcat:accessURL": _ref(access, "rdfs:Resource") if access else None,
        # A link may be a web page or an API; only our own files are known downloads.
        "dcat:downloadURL": _ref(access, "rdfs:Resource") if resource.is_upload else None,
        "dct:format": _ref(f"{EU}/file-type/{file_type}", "dct:MediaTypeOrExtent") if file_type else None,
        "dcat:mediaType": _ref(f"{IANA}/{media_type}", "dct:MediaType") if media_type else None,
        "dct:license": licence_node(dataset.license_id),
        # DCAT-AP 3 types it xsd:nonNegativeInteger (2.x said xsd:decimal).
        "dcat:byteSize": None if size is None else {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": checksum(resource),
        "dct:issued": _datetime(resource.created_at),
        "dct:modified": _datetime(resource.modified_at),
    })


def conforms_to() -> Node:
    return {
        "@id": vocabulary_uri(),
        "@type": "dct:Standard",
        "dct:title": [
            _text("Standar Data Satu Data Indonesia (Perpres 39/2019)"),
            _text("Satu Data Indonesia data standard (Presidential Regulation 39/2019)", "en"),
        ],
    }


def dataset_node(dataset: Dataset, region_names: Mapping[str, str] | None = None) -> Node:
    """One dataset with its distributions. Expects agency selected and tags, topics and
    resources prefetched (see views.py), so a page of a hundred costs no extra queries."""
    node: Node = {
        "@id": dataset_uri(dataset),
        "@type": "dcat:Dataset",
        "dct:identifier": str(dataset.pk),
        "adms:identifier": {"@type": "adms:Identifier", "skos:notation": dataset.name},
        "dct:title": _text(dataset.title),
        # dct:description is mandatory in DCAT-AP; a dataset without one repeats its title.
        "dct:description": _text(dataset.notes or dataset.title),
        "dcat:landingPage": _ref(f"{_site()}/dataset/{dataset.name}/", "foaf:Document"),
        "dct:publisher": publisher(dataset.agency),
        "dcat:contactPoint": contact_point(dataset),
        "dcat:keyword": [tag.name for tag in dataset.tags.all()],
        "dcat:theme": [theme(topic) for topic in dataset.topics.all()],
        "dct:accrualPeriodicity": _ref(f"{EU}/frequency/{FREQUENCIES.get(dataset.frequency, 'UNKNOWN')}",
                                       "dct:Frequency"),
        "dct:temporal": temporal(dataset),
        "dct:spatial": spatial(dataset.region_code, region_names or {}) if dataset.region_code else None,
        "dct:language": _ref(LANGUAGE, "dct:LinguisticSystem"),
        "dct:accessRights": _ref(PUBLIC_ACCESS, "dct:RightsStatement"),
        "dct:issued": _datetime(dataset.published_at or dataset.created_at),
        "dct:modified": _datetime(dataset.modified_at),
        "owl:versionInfo": dataset.version or None,
        "dct:conformsTo": conforms_to() if any(getattr(dataset, f) for f in STANDARD_FIELDS) else None,
    }
    for term, field, _label_id, _label_en in SATU_DATA_TERMS:
        value = getattr(dataset, field)
        node[f"satudata:{term}"] = _text(value) if value else None
    node["dcat:distribution"] = [distribution(resource, dataset) for resource in dataset.resources.all()]
    return _drop_empty(node)


def dataset_document(dataset: Dataset, region_names: Mapping[str, str] | None = None) -> Node:
    return {"@context": context(), **dataset_node(dataset, region_names)}


# -- catalog ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    """Where this page sits in the whole list, as ckanext-dcat's `_pagination_info` computes it."""

    number: int
    per_page: int
    total: int
    shown: int
    params: Mapping[str, str]

    def url(self, number: int) -> str:
        query = urlencode({**self.params, "page": number})
        return f"{_site()}/catalog.jsonld?{query}"

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def previous(self) -> int | None:
        if self.number == 1:
            return None
        # Past the end, "previous" is the last page that has datasets, as in ckanext-dcat.
        if (self.number - 1) * self.per_page + self.shown <= self.total:
            return self.number - 1
        return self.last

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number * self.per_page < self.total else None


def collection_view(page: Page) -> Node:
    """Hydra paging. Typed and linked both the current way (PartialCollectionView, next) and
    the deprecated one (PagedCollection, nextPage) that ckanext-dcat still writes and that
    harvesters older than its 2.x releases look for."""
    node: Node = {
        "@id": page.url(page.number),
        "@type": ["hydra:PartialCollectionView", "hydra:PagedCollection"],
        "hydra:totalItems": page.total,
        "hydra:itemsPerPage": page.per_page,
    }
    links = {"first": 1, "last": page.last, "next": page.next, "previous": page.previous}
    for name, number in links.items():
        if number is not None:
            node[f"hydra:{name}"] = node[f"hydra:{name}Page"] = _ref(page.url(number))
    return node


def catalog_node(datasets: Iterable[Dataset], *, walidata: Agency | None, modified: datetime | None,
                 region_names: Mapping[str, str] | None = None) -> Node:
    city = settings.KOTACERDAS_CITY_NAME
    walidata_node = publisher(walidata) if walidata else {
        "@id": f"{_site()}/organization/{settings.OPENDATA_WALIDATA_AGENCY}",
        "@type": ["foaf:Organization", "foaf:Agent"],
        "foaf:name": settings.OPENDATA_WALIDATA_AGENCY,
    }
    return _drop_empty({
        "@id": catalog_uri(),
        "@type": "dcat:Catalog",
        "dct:title": [_text(f"Satu Data {city}"), _text(f"{city} One Data", "en")],
        "dct:description": [
            _text(f"Data terbuka perangkat daerah {city}, diperiksa dan diterbitkan oleh Walidata."),
            _text(f"Open data of the {city} government agencies, reviewed and published by the Walidata.",
                  "en"),
        ],
        "dct:publisher": walidata_node,
        "foaf:homepage": _ref(f"{_site()}/", "foaf:Document"),
        "dct:language": _ref(LANGUAGE, "dct:LinguisticSystem"),
        "dct:modified": _datetime(modified) if modified else None,
        "dcat:themeTaxonomy": {
            "@id": themes_uri(), "@type": "skos:ConceptScheme",
            "dct:title": [_text("Topik"), _text("Topics", "en")],
        },
        "dcat:dataset": [dataset_node(dataset, region_names) for dataset in datasets],
    })


def catalog_document(datasets: Iterable[Dataset], *, page: Page, walidata: Agency | None,
                     modified: datetime | None, region_names: Mapping[str, str] | None = None) -> Node:
    return {
        "@context": context(),
        "@graph": [
            catalog_node(datasets, walidata=walidata, modified=modified, region_names=region_names),
            collection_view(page),
        ],
    }


def vocabulary_document() -> Node:
    """The terms of our Satu Data vocabulary, so its URIs resolve to their meaning."""
    return {
        "@context": context(),
        "@graph": [
            {
                "@id": vocabulary_uri(), "@type": ["owl:Ontology", "dct:Standard"],
                "dct:title": conforms_to()["dct:title"],
                "rdfs:comment": [
                    _text("Standar Data menurut Perpres 39/2019 Pasal 4: konsep, definisi, klasifikasi, "
                          "ukuran dan satuan, ditambah sumber data."),
                    _text("The data standard of Presidential Regulation 39/2019 Art. 4: concept, definition, "
                          "classification, measure and unit, plus the data source.", "en"),
                ],
            },
            *[
                {
                    "@id": f"satudata:{term}", "@type": "rdf:Property",
                    "rdfs:label": [_text(label_id), _text(label_en, "en")],
                    "rdfs:domain": _ref("dcat:Dataset"),
                    "rdfs:isDefinedBy": _ref(vocabulary_uri()),
                }
                for term, _field, label_id, label_en in SATU_DATA_TERMS
            ],
        ],
    }
