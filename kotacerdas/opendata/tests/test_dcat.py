"""DCAT endpoints: what ckanext-dcat's RDF harvester reads (reference/ckan.md §5.1)."""

import importlib.util
import json
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.opendata import actions
from kotacerdas.opendata.dcat import serialize
from kotacerdas.opendata.models import Dataset, Topic

SITE = "https://data.blitarkota.test"
CSV = b"kelurahan;tahun;jumlah\nSukorejo;2024;1.234\nKepanjenkidul;2024;2.345\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def publish(personas, walidata, name, *, private=False, upload=True, **fields):
    dataset = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name=name,
                                     title=fields.pop("title", f"Data {name}"), private=private, **fields)
    if upload:
        actions.resource_add(actor=personas.operator, dataset=dataset, name="Data 2024",
                             description="Per kelurahan",
                             upload=SimpleUploadedFile("penduduk 2024.csv", CSV, content_type="text/csv"))
    else:
        actions.resource_add(actor=personas.operator, dataset=dataset, name="Portal BPS",
                             url="https://blitarkota.bps.go.id/indikator", format="HTML")
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    actions.dataset_approve(actor=walidata, dataset=dataset)
    dataset.refresh_from_db()
    return dataset


@pytest.fixture
def rich(personas, walidata):
    """A published dataset with every DCAT-relevant field filled."""
    topic = Topic.objects.create(name="smart-society", title="Masyarakat Cerdas", title_en="Smart Society")
    return publish(
        personas, walidata, "jumlah-penduduk", title="Jumlah Penduduk per Kelurahan",
        notes="Penduduk menurut kelurahan.", tags=["penduduk", "kependudukan"], topics=[topic],
        frequency="semesteran", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
        contact_name="Bidang Data Dispendukcapil", contact_email="data@dukcapil.test", version="2024.1",
        concept="Penduduk adalah ...", definition="Jumlah jiwa terdaftar", unit="jiwa", measure="jumlah",
        source="SIAK",
    )


def stamp(moment):
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def catalog_of(document):
    return next(node for node in document["@graph"] if node["@type"] == "dcat:Catalog")


def view_of(document):
    return next(node for node in document["@graph"] if "hydra:PartialCollectionView" in node["@type"])


def dataset_ids(document):
    return [node["dct:identifier"] for node in catalog_of(document).get("dcat:dataset", [])]


def compact_iris(value, found):
    """Every prefix:term key, @type and @id in the document, to check against @context."""
    if isinstance(value, list):
        for item in value:
            compact_iris(item, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                continue
            if not key.startswith("@"):
                found.add(key)
            if key == "@type":
                found.update(item if isinstance(item, list) else [item])
            elif key == "@id" and not item.startswith(("http://", "https://", "mailto:")):
                found.add(item)
            else:
                compact_iris(item, found)
    return found


HAS_RDFLIB = importlib.util.find_spec("rdflib") is not None


def assert_valid_jsonld(document):
    """Every compact IRI has its prefix in @context; with rdflib installed (it is not a
    dependency), the document also parses as RDF and survives a round trip."""
    prefixes = set(document["@context"])
    for iri in compact_iris(document, set()):
        prefix, _, term = iri.partition(":")
        assert prefix in prefixes and term, f"{iri} uses an undeclared prefix"
    if HAS_RDFLIB:
        import rdflib

        graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
        again = rdflib.Graph().parse(data=graph.serialize(format="json-ld"), format="json-ld")
        assert len(graph) == len(again) > 0
        assert rdflib.compare.isomorphic(graph, again)


# -- catalog ----------------------------------------------------------------------------------

def test_catalog_lists_only_public_datasets(client, personas, walidata, rich):
    private = publish(personas, walidata, "data-terbatas", private=True)
    draft = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name="draf",
                                   title="Draf")
    reviewed = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name="diperiksa",
                                      title="Diperiksa")
    actions.resource_add(actor=personas.operator, dataset=reviewed, name="x", url="https://example.test/x")
    actions.dataset_submit(actor=personas.operator, dataset=reviewed)
    withdrawn = publish(personas, walidata, "ditarik")
    actions.dataset_withdraw(actor=walidata, dataset=withdrawn, text="Salah angka")

    document = get_json(client, "/catalog.jsonld")

    assert dataset_ids(document) == [str(rich.pk)]
    text = json.dumps(document)
    for hidden in (private, draft, reviewed, withdrawn):
        assert str(hidden.pk) not in text
    assert view_of(document)["hydra:totalItems"] == 1


def test_catalog_describes_itself_with_walidata_as_publisher(client, rich):
    document = get_json(client, "/catalog.jsonld")
    catalog = catalog_of(document)
    assert catalog["@id"] == f"{SITE}/catalog"
    assert catalog["dct:title"][0] == {"@value": "Satu Data Kota Blitar", "@language": "id"}
    assert catalog["dct:description"]
    assert catalog["dct:publisher"]["@id"] == f"{SITE}/organization/diskominfotik"
    assert catalog["dct:publisher"]["foaf:name"] == "Dinas Komunikasi, Informatika dan Statistik"
    assert catalog["dct:modified"]["@value"] == stamp(rich.modified_at)
    assert_valid_jsonld(document)


def test_catalog_pages_like_ckanext_dcat(client, personas, walidata, settings):
    settings.OPENDATA_DCAT_DATASETS_PER_PAGE = 2
    published = [publish(personas, walidata, f"data-{n}") for n in range(5)]
    newest_first = [str(d.pk) for d in sorted(published, key=lambda d: d.modified_at, reverse=True)]

    first = get_json(client, "/catalog.jsonld")
    view = view_of(first)
    assert dataset_ids(first) == newest_first[:2]
    assert view["@id"] == f"{SITE}/catalog.jsonld?page=1"
    assert view["hydra:first"] == {"@id": f"{SITE}/catalog.jsonld?page=1"}
    assert view["hydra:last"] == {"@id": f"{SITE}/catalog.jsonld?page=3"}
    assert view["hydra:next"] == {"@id": f"{SITE}/catalog.jsonld?page=2"}
    assert view["hydra:nextPage"] == view["hydra:next"]  # the deprecated name older harvesters read
    assert "hydra:previous" not in view
    assert (view["hydra:totalItems"], view["hydra:itemsPerPage"]) == (5, 2)

    second = get_json(client, "/catalog.jsonld", page=2)
    assert dataset_ids(second) == newest_first[2:4]
    assert view_of(second)["hydra:previous"] == {"@id": f"{SITE}/catalog.jsonld?page=1"}
    assert view_of(second)["hydra:next"] == {"@id": f"{SITE}/catalog.jsonld?page=3"}

    last = get_json(client, "/catalog.jsonld", page=3)
    assert dataset_ids(last) == newest_first[4:]
    assert "hydra:next" not in view_of(last)

    # Past the end: an empty page whose "previous" is the last page, as ckanext-dcat answers.
    beyond = get_json(client, "/catalog.jsonld", page=9)
    assert dataset_ids(beyond) == []
    assert view_of(beyond)["hydra:previous"] == {"@id": f"{SITE}/catalog.jsonld?page=3"}
    assert "hydra:next" not in view_of(beyond)


def test_following_next_visits_every_dataset_once(client, personas, walidata, settings):
    settings.OPENDATA_DCAT_DATASETS_PER_PAGE = 2
    published = {str(publish(personas, walidata, f"data-{n}").pk) for n in range(5)}
    seen, url = [], "/catalog.jsonld"
    while url:
        document = get_json(client, url.removeprefix(SITE))
        seen += dataset_ids(document)
        url = view_of(document).get("hydra:next", {}).get("@id")
    assert sorted(seen) == sorted(published)


def test_empty_catalog_has_one_page(client, personas):
    document = get_json(client, "/catalog.jsonld")
    assert dataset_ids(document) == []
    view = view_of(document)
    assert view["hydra:totalItems"] == 0
    assert view["hydra:last"] == {"@id": f"{SITE}/catalog.jsonld?page=1"}


@pytest.mark.parametrize("page", ["0", "-1", "dua", "1.5", "²"])
def test_bad_page_is_400(client, personas, page):
    response = client.get("/catalog.jsonld", {"page": page})
    assert response.status_code == 400
    assert " / " in response.json()["error"]


def test_modified_since_keeps_datasets_changed_from_then(client, personas, walidata):
    old = publish(personas, walidata, "lama")
    new = publish(personas, walidata, "baru-saja")
    Dataset.objects.filter(pk=old.pk).update(modified_at=datetime(2024, 3, 1, 12, tzinfo=UTC))
    Dataset.objects.filter(pk=new.pk).update(modified_at=datetime(2025, 5, 1, 9, 30, tzinfo=UTC))

    assert dataset_ids(get_json(client, "/catalog.jsonld", modified_since="2025-01-01")) == [str(new.pk)]
    exact = get_json(client, "/catalog.jsonld", modified_since="2025-05-01T09:30:00Z")
    assert dataset_ids(exact) == [str(new.pk)]
    # Without an offset it is UTC, like CKAN's metadata_modified.
    assert dataset_ids(get_json(client, "/catalog.jsonld", modified_since="2025-05-01T09:30:01")) == []
    # 16:30 in Blitar is 09:30 UTC.
    assert dataset_ids(get_json(client, "/catalog.jsonld", modified_since="2025-05-01T16:30:00+07:00")) == [
        str(new.pk)
    ]
    # A "+" the client forgot to encode arrives as a space.
    response = client.get("/catalog.jsonld?modified_since=2025-05-01T16:30:00+07:00")
    assert response.status_code == 200
    assert dataset_ids(json.loads(response.content)) == [str(new.pk)]

    both = get_json(client, "/catalog.jsonld", modified_since="2024-01-01")
    assert sorted(dataset_ids(both)) == sorted([str(old.pk), str(new.pk)])


def test_modified_since_is_kept_in_paging_links(client, personas, walidata, settings):
    settings.OPENDATA_DCAT_DATASETS_PER_PAGE = 1
    for n in range(2):
        publish(personas, walidata, f"data-{n}")
    view = view_of(get_json(client, "/catalog.jsonld", modified_since="2020-01-01"))
    next_url = urlsplit(view["hydra:next"]["@id"])
    assert parse_qs(next_url.query) == {"modified_since": ["2020-01-01"], "page": ["2"]}


@pytest.mark.parametrize("value", ["kemarin", "2025-13-01", "01/05/2025", "2025-05-01T25:00",
                                   "9999-12-31T23:00:00-05:00"])
def test_invalid_modified_since_is_400_in_both_languages(client, personas, value):
    response = client.get("/catalog.jsonld", {"modified_since": value})
    assert response.status_code == 400
    message = response.json()["error"]
    indonesian, english = message.split(" / ")
    assert "modified_since" in indonesian and "salah" in indonesian
    assert "Wrong modified_since format" in english


def test_catalog_page_has_a_query_budget(client, personas, walidata, django_assert_max_num_queries):
    topic = Topic.objects.create(name="smart-living", title="Lingkungan Cerdas")
    for n in range(6):
        dataset = publish(personas, walidata, f"data-{n}", tags=["a-tag", f"tag-{n}"], topics=[topic])
        actions.resource_add(actor=personas.operator, dataset=dataset, name="Tautan",
                             url="https://example.test/x")
    # aggregate, page, tags, topics, resources, Walidata agency, region names
    with django_assert_max_num_queries(7):
        document = get_json(client, "/catalog.jsonld")
    assert len(dataset_ids(document)) == 6


# -- one dataset ------------------------------------------------------------------------------

def test_dataset_by_name_and_by_uuid_is_the_same_document(client, rich):
    by_name = get_json(client, f"/dataset/{rich.name}.jsonld")
    by_id = get_json(client, f"/dataset/{rich.pk}.jsonld")
    assert by_name == by_id
    assert by_name["@id"] == f"{SITE}/dataset/{rich.pk}"
    assert_valid_jsonld(by_name)


def test_dataset_carries_dcat_ap_properties(client, personas, rich):
    node = get_json(client, f"/dataset/{rich.name}.jsonld")
    assert node["@type"] == "dcat:Dataset"
    assert node["dct:identifier"] == str(rich.pk)
    assert node["adms:identifier"]["skos:notation"] == "jumlah-penduduk"
    assert node["dct:title"] == {"@value": "Jumlah Penduduk per Kelurahan", "@language": "id"}
    assert node["dct:description"]["@value"] == "Penduduk menurut kelurahan."
    assert node["dcat:landingPage"]["@id"] == f"{SITE}/dataset/jumlah-penduduk/"
    assert sorted(node["dcat:keyword"]) == ["kependudukan", "penduduk"]
    assert node["dcat:theme"][0]["@id"] == f"{SITE}/group/smart-society"
    assert node["dct:accrualPeriodicity"]["@id"] == "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2"
    assert node["dct:temporal"] == {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": {"@value": "2024-01-01", "@type": "xsd:date"},
        "dcat:endDate": {"@value": "2024-12-31", "@type": "xsd:date"},
    }
    assert node["dct:spatial"]["dct:identifier"] == "35.72"
    assert node["dct:language"]["@id"] == "http://publications.europa.eu/resource/authority/language/IND"
    assert node["dct:publisher"] == {
        "@id": f"{SITE}/organization/dispendukcapil",
        "@type": ["foaf:Organization", "foaf:Agent"],
        "foaf:name": "Dinas Kependudukan dan Pencatatan Sipil",
        "skos:altLabel": "Dispendukcapil",
        "dct:identifier": "dispendukcapil",
        "dct:type": {"@id": "http://purl.org/adms/publishertype/LocalAuthority", "@type": "skos:Concept",
                     "skos:prefLabel": {"@value": "Local Authority", "@language": "en"}},
    }
    assert node["dcat:contactPoint"] == {
        "@type": ["vcard:Organization", "vcard:Kind"],
        "vcard:fn": "Bidang Data Dispendukcapil",
        "vcard:hasEmail": {"@id": "mailto:data@dukcapil.test"},
    }
    assert node["owl:versionInfo"] == "2024.1"
    assert node["satudata:konsep"]["@value"] == "Penduduk adalah ..."
    assert node["satudata:satuan"] == {"@value": "jiwa", "@language": "id"}
    assert node["satudata:sumber"]["@value"] == "SIAK"
    assert node["dct:conformsTo"]["@id"] == f"{SITE}/ns/satudata"
    for key in ("dct:issued", "dct:modified"):
        assert node[key]["@type"] == "xsd:dateTime"
        assert datetime.fromisoformat(node[key]["@value"]).tzinfo is not None
    assert node["dct:modified"]["@value"] == stamp(rich.modified_at)
    assert node["dct:issued"]["@value"] == stamp(rich.published_at)
    # No personal data: the operator who created the record is nowhere.
    assert personas.operator.email not in json.dumps(node)
    assert personas.operator.name not in json.dumps(node)


def test_uploaded_file_is_a_download_with_checksum(client, rich):
    resource = rich.resources.get()
    node = get_json(client, f"/dataset/{rich.name}.jsonld")
    [distribution] = node["dcat:distribution"]
    download = f"{SITE}/dataset/{rich.pk}/resource/{resource.pk}/download/penduduk%202024.csv"
    assert distribution["@id"] == f"{SITE}/dataset/{rich.pk}/resource/{resource.pk}"
    assert distribution["dct:identifier"] == str(resource.pk)
    assert distribution["dcat:accessURL"]["@id"] == distribution["dcat:downloadURL"]["@id"] == download
    assert distribution["dct:title"]["@value"] == "Data 2024"
    assert distribution["dct:description"]["@value"] == "Per kelurahan"
    assert distribution["dct:format"]["@id"] == "http://publications.europa.eu/resource/authority/file-type/CSV"
    assert distribution["dcat:mediaType"]["@id"] == "https://www.iana.org/assignments/media-types/text/csv"
    assert distribution["dct:license"]["@id"] == "http://www.opendefinition.org/licenses/cc-by"
    assert distribution["dcat:byteSize"] == {"@value": str(len(CSV)), "@type": "xsd:nonNegativeInteger"}
    assert resource.hash.startswith("sha256:")
    assert distribution["spdx:checksum"] == {
        "@type": "spdx:Checksum",
        "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256",
                           "@type": "spdx:ChecksumAlgorithm"},
        "spdx:checksumValue": {"@value": resource.hash.removeprefix("sha256:"), "@type": "xsd:hexBinary"},
    }


def test_link_is_an_access_url_only(client, personas, walidata):
    dataset = publish(personas, walidata, "tautan-bps", upload=False, license_id="other-open")
    [distribution] = get_json(client, f"/dataset/{dataset.name}.jsonld")["dcat:distribution"]
    assert distribution["dcat:accessURL"]["@id"] == "https://blitarkota.bps.go.id/indikator"
    assert "dcat:downloadURL" not in distribution
    assert "spdx:checksum" not in distribution and "dcat:byteSize" not in distribution
    assert "dct:license" not in distribution  # "Other (Open)" has no licence document to point at


def test_sparse_dataset_still_has_mandatory_properties(client, personas, walidata):
    dataset = publish(personas, walidata, "seadanya", upload=False, region_code="")
    node = get_json(client, f"/dataset/{dataset.name}.jsonld")
    assert node["dct:title"]["@value"] == "Data seadanya"
    assert node["dct:description"]["@value"] == "Data seadanya"  # mandatory: falls back to the title
    assert node["dcat:contactPoint"]["vcard:fn"] == "Dinas Kependudukan dan Pencatatan Sipil"
    for absent in ("dct:temporal", "dct:spatial", "dct:conformsTo", "satudata:konsep", "owl:versionInfo"):
        assert absent not in node
    assert_valid_jsonld(node)


@pytest.mark.parametrize("which", ["draft", "review", "private", "withdrawn", "unknown"])
def test_dataset_not_public_is_404(client, personas, walidata, staff_client, which):
    if which == "private":
        dataset = publish(personas, walidata, "terbatas", private=True)
    elif which == "withdrawn":
        dataset = publish(personas, walidata, "ditarik")
        actions.dataset_withdraw(actor=personas.operator, dataset=dataset, text="Revisi")
    elif which == "review":
        dataset = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name="diperiksa",
                                         title="Diperiksa")
        actions.resource_add(actor=personas.operator, dataset=dataset, name="x", url="https://example.test/x")
        actions.dataset_submit(actor=personas.operator, dataset=dataset)
    else:
        dataset = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name="draf",
                                         title="Draf")
    keys = ["tidak-ada", "00000000-0000-4000-8000-000000000000"] if which == "unknown" else [dataset.name,
                                                                                             str(dataset.pk)]
    # Not even its own producer sees it here: harvesters copy what this endpoint shows.
    signed_in = staff_client(personas.operator)
    for key in keys:
        response = signed_in.get(f"/dataset/{key}.jsonld")
        assert response.status_code == 404
        assert response.json()["error"] == "Dataset tidak ditemukan. / Dataset not found."


def test_making_a_dataset_private_drops_it_from_the_catalog(client, personas, walidata, rich):
    actions.dataset_set_private(actor=personas.operator, dataset=rich, private=True)
    assert dataset_ids(get_json(client, "/catalog.jsonld")) == []
    assert client.get(f"/dataset/{rich.name}.jsonld").status_code == 404


# -- stable URIs ------------------------------------------------------------------------------

def test_uris_are_stable_and_use_the_ckan_ids(client, rich):
    """The DCAT harvester uses the dataset URI as its GUID: it must not change between calls,
    after edits, nor differ from what ckanext-dcat would mint from our package_show ids."""
    first = get_json(client, f"/dataset/{rich.name}.jsonld")
    actions.dataset_update(actor=rich.created_by, dataset=rich, title="Judul Baru")
    second = get_json(client, f"/dataset/{rich.name}.jsonld")
    in_catalog = catalog_of(get_json(client, "/catalog.jsonld"))["dcat:dataset"][0]
    assert first["@id"] == second["@id"] == in_catalog["@id"]
    assert [d["@id"] for d in first["dcat:distribution"]] == [
        d["@id"] for d in in_catalog["dcat:distribution"]
    ]

    package = client.get("/api/3/action/package_show", {"id": rich.name}).json()["result"]
    assert first["@id"] == f"{SITE}/dataset/{package['id']}"
    assert first["dct:identifier"] == package["id"]
    [resource] = package["resources"]
    [distribution] = first["dcat:distribution"]
    assert distribution["@id"] == f"{SITE}/dataset/{package['id']}/resource/{resource['id']}"
    assert distribution["dcat:accessURL"]["@id"] == resource["url"]


def test_vocabulary_explains_the_satu_data_terms(client, personas):
    document = get_json(client, "/ns/satudata")
    terms = {node["@id"] for node in document["@graph"]}
    assert {f"satudata:{term}" for term, *_ in serialize.SATU_DATA_TERMS} < terms
    assert document["@context"]["satudata"] == f"{SITE}/ns/satudata#"
    assert_valid_jsonld(document)
