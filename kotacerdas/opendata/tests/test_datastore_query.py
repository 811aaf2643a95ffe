from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata.datastore.load import load_table
from kotacerdas.opendata.datastore.query import (
    DatastoreNotFound,
    DatastoreQueryError,
    preview,
    search,
)
from kotacerdas.opendata.models import Dataset, DatastoreField, Resource

CSV = """kelurahan;kecamatan;tahun;jenis kelamin;jumlah;rasio;tanggal;aktif
Sukorejo;Sukorejo;2023;Laki-laki;1.234;0,5;31/01/2023;ya
Sukorejo;Sukorejo;2023;Perempuan;1.300;0,75;31/01/2023;ya
Sukorejo;Sukorejo;2024;Laki-laki;1.250;;31/01/2024;tidak
Kepanjenkidul;Kepanjenkidul;2023;Laki-laki;987;1,25;31/01/2023;ya
Kepanjenkidul;Kepanjenkidul;2024;Perempuan;-;2;01/02/2024;
Sananwetan;Sananwetan;2024;Perempuan;2.001;0,1;15 Maret 2024;tidak
"""


@pytest.fixture
def resource(db, tmp_path) -> Resource:
    agency = Agency.objects.create(code="dispendukcapil", short_name="Dispendukcapil",
                                   name="Dinas Kependudukan dan Pencatatan Sipil", kind="dinas")
    dataset = Dataset.objects.create(name="penduduk", title="Jumlah penduduk", agency=agency)
    resource = Resource.objects.create(dataset=dataset, name="Penduduk", format="CSV")
    path = tmp_path / "penduduk.csv"
    path.write_text(CSV)
    load_table(resource, path, format="CSV")
    DatastoreField.objects.filter(resource=resource, name="jumlah").update(label="Jumlah jiwa", notes="orang")
    return resource


def ids(result) -> list[int]:
    return [r["_id"] for r in result["records"]]


def test_result_has_ckans_shape(resource):
    result = search(resource)
    assert result["resource_id"] == str(resource.id)
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert [(f["id"], f["type"]) for f in result["fields"][1:]] == [
        ("kelurahan", "text"), ("kecamatan", "text"), ("tahun", "int"), ("jenis kelamin", "text"),
        ("jumlah", "int"), ("rasio", "numeric"), ("tanggal", "date"), ("aktif", "bool"),
    ]
    assert result["fields"][5]["info"] == {"label": "Jumlah jiwa", "notes": "orang"}
    assert result["records"][0] == {
        "_id": 1, "kelurahan": "Sukorejo", "kecamatan": "Sukorejo", "tahun": 2023,
        "jenis kelamin": "Laki-laki", "jumlah": 1234, "rasio": 0.5, "tanggal": "2023-01-31", "aktif": True,
    }
    assert (result["limit"], result["offset"]) == (100, 0)
    assert (result["total"], result["total_was_estimated"]) == (6, False)
    assert result["records_format"] == "objects" and result["include_total"] is True
    assert result["_links"] == {
        "start": f"/api/3/action/datastore_search?resource_id={resource.id}",
        "next": f"/api/3/action/datastore_search?offset=100&resource_id={resource.id}",
    }


def test_filters_equal_and_in(resource):
    assert ids(search(resource, filters={"kelurahan": "Sukorejo", "tahun": 2023})) == [1, 2]
    assert ids(search(resource, filters={"tahun": "2024"})) == [3, 5, 6]
    assert ids(search(resource, filters={"kelurahan": ["Sananwetan", "Kepanjenkidul"]})) == [4, 5, 6]
    assert ids(search(resource, filters={"jenis kelamin": "Perempuan", "aktif": False})) == [6]
    assert ids(search(resource, filters={"tanggal": "2023-01-31"})) == [1, 2, 4]
    assert ids(search(resource, filters={"rasio": 0.75})) == [2]
    assert ids(search(resource, filters={"jumlah": None})) == [5]
    assert ids(search(resource, filters={"_id": [2, 3]})) == [2, 3]
    assert search(resource, filters={"kelurahan": "Sukorejo"})["total"] == 3


def test_filter_value_of_the_wrong_type(resource):
    with pytest.raises(DatastoreQueryError) as error:
        search(resource, filters={"tahun": "dua ribu"})
    assert error.value.errors == {
        "filters": ["Nilai tidak sesuai tipe kolom / Value does not fit the column type: tahun"]
    }


def test_full_text_q_over_the_row(resource):
    assert ids(search(resource, q="sukorejo")) == [1, 2, 3]
    assert ids(search(resource, q="Sukorejo perempuan")) == [2]
    assert ids(search(resource, q="laki")) == [1, 3, 4]
    assert ids(search(resource, q="kepanjen*")) == [4, 5]
    assert ids(search(resource, q="maret")) == [6]
    assert search(resource, q="tidakada")["total"] == 0
    assert ids(search(resource, q="  !!! ")) == [1, 2, 3, 4, 5, 6]


def test_full_text_q_per_column(resource):
    assert ids(search(resource, q={"jenis kelamin": "perempuan"})) == [2, 5, 6]
    assert ids(search(resource, q={"kelurahan": "kepanjen*"})) == [4, 5]
    assert ids(search(resource, q={"kelurahan": "kepanjen"})) == []  # words, as in q over the row
    assert ids(search(resource, q={"kecamatan": "sukorejo"})) == [1, 2, 3]
    assert ids(search(resource, q={"jenis kelamin": "sukorejo"})) == []


def test_fts_operators_typed_by_a_visitor_are_words(resource):
    assert search(resource, q='sukorejo OR NEAR("x") kelurahan:y')["total"] == 0
    assert search(resource, q="sukorejo AND")["total"] == 0


def test_fields_and_sort(resource):
    result = search(resource, fields="kelurahan, jumlah", sort="jumlah desc nulls last")
    assert [f["id"] for f in result["fields"]] == ["kelurahan", "jumlah"]
    assert result["records"][0] == {"kelurahan": "Sananwetan", "jumlah": 2001}
    assert result["records"][-1] == {"kelurahan": "Kepanjenkidul", "jumlah": None}
    result = search(resource, fields=["_id", "jenis kelamin"], sort='"jenis kelamin" desc, _id desc')
    assert ids(result) == [6, 5, 2, 4, 3, 1]
    assert result["sort"] == '"jenis kelamin" desc, _id desc'


def test_limit_offset_and_links(resource):
    result = search(resource, limit=2, offset=2, filters={"tahun": 2023})
    assert ids(result) == [4]
    assert result["total"] == 3
    next_link = parse_qs(urlsplit(result["_links"]["next"]).query)
    assert next_link["offset"] == ["4"] and next_link["limit"] == ["2"]
    assert next_link["filters"] == ['{"tahun": 2023}']
    assert search(resource, limit=0)["records"] == []
    assert search(resource, limit=0)["total"] == 6
    assert search(resource, offset=100)["records"] == []


def test_include_total_false(resource):
    result = search(resource, include_total=False)
    assert "total" not in result


def test_distinct(resource):
    result = search(resource, fields=["kelurahan"], distinct=True)
    assert result["records"] == [{"kelurahan": "Kepanjenkidul"}, {"kelurahan": "Sananwetan"},
                                 {"kelurahan": "Sukorejo"}]
    assert result["total"] == 3


def test_records_formats(resource):
    lists = search(resource, fields="_id,tahun", limit=2, records_format="lists")
    assert lists["records"] == [[1, 2023], [2, 2023]]
    assert search(resource, fields="_id,kelurahan", limit=2, records_format="csv")["records"] == (
        "1,Sukorejo\n2,Sukorejo\n"
    )
    tsv = search(resource, fields="_id,kelurahan", limit=1, records_format="tsv")
    assert tsv["records"] == "1\tSukorejo\n"


@pytest.mark.parametrize(
    ("params", "key", "message"),
    [
        ({"fields": ["nope"]}, "fields", "Kolom tidak dikenal / Unknown column: nope"),
        ({"filters": {"nope": 1}}, "filters", "Unknown column: nope"),
        ({"q": {"nope": "x"}}, "q", "Unknown column: nope"),
        ({"sort": "nope desc"}, "sort", "Unknown column: nope"),
        ({"limit": 32001}, "limit", "0–32000"),
        ({"limit": -1}, "limit", "0–32000"),
        ({"limit": "sepuluh"}, "limit", "0–32000"),
        ({"offset": -5}, "offset", "0 or more"),
        ({"records_format": "xml"}, "records_format", "Unknown records_format"),
        ({"filters": ["kelurahan"]}, "filters", "Must be an object"),
        ({"fields": ["kelurahan"], "distinct": True, "sort": "tahun"}, "sort", "selected fields only"),
    ],
)
def test_errors_are_bilingual_per_parameter(resource, params, key, message):
    with pytest.raises(DatastoreQueryError) as error:
        search(resource, **params)
    assert message in " ".join(error.value.errors[key])
    assert " / " in error.value.errors[key][0]


@pytest.mark.parametrize(
    "attack",
    [
        'kelurahan"; DROP TABLE opendata_dataset; --',
        "c0",  # the SQL column name is not a field name
        "1=1) OR (1",
        "kelurahan desc; DELETE FROM opendata_resource",
        '"kelurahan" desc, (SELECT 1)',
    ],
)
def test_injection_attempts_in_names_are_unknown_columns(resource, attack):
    for params in ({"sort": attack}, {"fields": [attack]}, {"filters": {attack: "x"}}, {"q": {attack: "x"}}):
        with pytest.raises(DatastoreQueryError):
            search(resource, **params)
    assert Dataset.objects.count() == 1 and Resource.objects.count() == 1


def test_injection_attempts_in_values_are_just_values(resource):
    attack = "x'); DROP TABLE opendata_dataset; --"
    assert search(resource, filters={"kelurahan": attack})["total"] == 0
    assert search(resource, q=attack)["total"] == 0
    assert search(resource, q={"kelurahan": "%' OR '1'='1"})["total"] == 0
    assert Dataset.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(resource.table_name)}")  # noqa: S608
        assert cursor.fetchone()[0] == 6


def test_resource_without_table(resource):
    other = Resource.objects.create(dataset=resource.dataset, name="PDF", format="PDF")
    with pytest.raises(DatastoreNotFound):
        search(other)


def test_preview_pages(resource):
    page = preview(resource, page=2, per_page=4)
    assert [r["_id"] for r in page["records"]] == [5, 6]
    assert (page["total"], page["pages"], page["page"]) == (6, 2, 2)


def test_three_queries_per_search(resource, django_assert_num_queries):
    with django_assert_num_queries(3):
        search(resource, filters={"tahun": 2023}, q="sukorejo")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite builds without FTS5")
def test_q_without_fts5_scans_the_words_column(db, tmp_path, monkeypatch):
    from kotacerdas.opendata.datastore import tables

    monkeypatch.setattr(tables, "uses_fts5", lambda connection: False)
    agency = Agency.objects.create(code="dpupr", short_name="DPUPR", name="DPUPR", kind="dinas")
    dataset = Dataset.objects.create(name="jalan", title="Jalan", agency=agency)
    resource = Resource.objects.create(dataset=dataset, name="Jalan", format="CSV")
    path = tmp_path / "jalan.csv"
    path.write_text(CSV)
    load_table(resource, path, format="CSV")
    assert ids(search(resource, q="Sukorejo perempuan")) == [2]
    assert ids(search(resource, q="kepanjen*")) == [4, 5]
