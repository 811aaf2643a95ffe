import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata.datastore import export
from kotacerdas.opendata.datastore.load import MAX_PROBLEMS, LoadError, drop_table, load_table
from kotacerdas.opendata.datastore.query import search
from kotacerdas.opendata.models import Dataset, DatastoreField, Resource

T = DatastoreField.Type


def naive(*parts: int) -> datetime:
    """Timestamp columns hold WIB wall-clock time without a zone, like CKAN's `timestamp`."""
    return datetime(*parts)  # noqa: DTZ001


@pytest.fixture
def resource(db) -> Resource:
    agency = Agency.objects.create(code="dispendukcapil", short_name="Dispendukcapil",
                                   name="Dinas Kependudukan dan Pencatatan Sipil", kind="dinas")
    dataset = Dataset.objects.create(name="penduduk", title="Jumlah penduduk", agency=agency)
    return Resource.objects.create(dataset=dataset, name="Penduduk per kelurahan", format="CSV")


def write(tmp_path, text: str, name: str = "data.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(resource) -> list[dict]:
    return search(resource, limit=1000)["records"]


def types(result) -> dict[str, str]:
    return {f.name: f.type for f in result.fields}


def test_semicolon_csv_with_indonesian_numbers(resource, tmp_path):
    path = write(tmp_path, (
        "kelurahan;tahun;jumlah;anggaran;persen;tanggal\n"
        "Sukorejo;2023;1.234;Rp 1.500.000,-;12,5%;31/01/2024\n"
        "Kepanjenkidul;2023;987;Rp 250.000;7%;1 Februari 2024\n"
        "Sananwetan;2024;12.345;-;-;\n"
    ))
    result = load_table(resource, path, format="CSV")
    assert result.delimiter == ";"
    assert result.row_count == 3
    assert result.problems == [] and result.problem_count == 0
    assert types(result) == {"kelurahan": T.TEXT, "tahun": T.INT, "jumlah": T.INT, "anggaran": T.INT,
                             "persen": T.NUMERIC, "tanggal": T.DATE}
    assert rows(resource) == [
        {"_id": 1, "kelurahan": "Sukorejo", "tahun": 2023, "jumlah": 1234, "anggaran": 1500000,
         "persen": 12.5, "tanggal": "2024-01-31"},
        {"_id": 2, "kelurahan": "Kepanjenkidul", "tahun": 2023, "jumlah": 987, "anggaran": 250000,
         "persen": 7, "tanggal": "2024-02-01"},
        {"_id": 3, "kelurahan": "Sananwetan", "tahun": 2024, "jumlah": 12345, "anggaran": None,
         "persen": None, "tanggal": None},
    ]


def test_comma_csv_with_english_decimals_and_quotes(resource, tmp_path):
    path = write(tmp_path, 'nama,lat,lon,catatan\n"Alun-alun, Blitar",-8.0954,112.1683,"baris ""satu"""\n'
                           'Makam Bung Karno,-8.0843,112.176,\n')
    result = load_table(resource, path, format="CSV")
    assert types(result) == {"nama": T.TEXT, "lat": T.NUMERIC, "lon": T.NUMERIC, "catatan": T.TEXT}
    assert [r["lon"] for r in rows(resource)] == [112.1683, 112.176]
    assert rows(resource)[0]["nama"] == "Alun-alun, Blitar"
    assert rows(resource)[0]["catatan"] == 'baris "satu"'


def test_tab_separated_and_bom(resource, tmp_path):
    path = write(tmp_path, "\ufeffa\tb\n1\tx\n2\ty\n")
    result = load_table(resource, path, format="CSV")
    assert result.delimiter == "\t"
    assert [f.name for f in result.fields] == ["a", "b"]


def test_latin1_file_falls_back(resource, tmp_path):
    path = write(tmp_path, "nama;nilai\nCaf\u00e9;1\n", encoding="cp1252")
    result = load_table(resource, path, format="CSV")
    assert result.encoding == "cp1252"
    assert rows(resource)[0]["nama"] == "Caf\u00e9"


def test_invalid_utf8_late_in_the_file_falls_back(resource, tmp_path):
    head = "nama;nilai\n" + "".join(f"baris{i};{i}\n" for i in range(20000))
    path = tmp_path / "late.csv"
    path.write_bytes(head.encode() + "Caf\u00e9;1\n".encode("cp1252"))
    result = load_table(resource, path, format="CSV")
    assert result.encoding == "cp1252"
    assert result.row_count == 20001


def test_bad_cells_are_nulled_and_reported_rows_kept(resource, tmp_path):
    body = "".join(f"Sukorejo;{n}\n" for n in range(1, 40)) + "Sukorejo;tidak ada data\n"
    path = write(tmp_path, "kelurahan;jumlah\n" + body)
    result = load_table(resource, path, format="CSV")
    assert types(result)["jumlah"] == T.INT
    assert result.row_count == 40
    assert result.problem_count == 1
    problem = result.problems[0]
    assert problem["row"] == 41 and problem["column"] == "jumlah" and problem["value"] == "tidak ada data"
    assert "/" in problem["error"]  # bilingual
    assert rows(resource)[-1] == {"_id": 40, "kelurahan": "Sukorejo", "jumlah": None}


def test_problem_list_is_capped_but_counted(resource, tmp_path, monkeypatch):
    monkeypatch.setattr("kotacerdas.opendata.datastore.load.MAX_PROBLEMS", 5)
    body = "".join(f"{n}\n" for n in range(1, 400)) + "x\n" * 10
    path = write(tmp_path, "jumlah\n" + body)
    result = load_table(resource, path, format="CSV")
    assert result.problem_count == 10
    assert len(result.problems) == 5
    assert MAX_PROBLEMS == 1000


def test_mostly_text_column_stays_text(resource, tmp_path):
    path = write(tmp_path, "keterangan\n" + "1\n" * 8 + "lihat lampiran\n" * 2)
    result = load_table(resource, path, format="CSV")
    assert types(result) == {"keterangan": T.TEXT}
    assert result.problem_count == 0
    assert rows(resource)[0]["keterangan"] == "1"


def test_override_changes_the_type_and_keeps_the_inferred_one(resource, tmp_path):
    path = write(tmp_path, "kode;jumlah\n3572;1\n3573;2\n")
    result = load_table(resource, path, format="CSV", overrides={"kode": "text"})
    kode = result.fields[0]
    assert (kode.type, kode.inferred_type) == (T.TEXT, T.INT)
    assert rows(resource)[0]["kode"] == "3572"


def test_override_to_a_narrower_type_reports_cells(resource, tmp_path):
    path = write(tmp_path, "nilai\n1\ndua\n")
    result = load_table(resource, path, format="CSV", overrides={"nilai": "int"})
    assert result.problem_count == 1 and result.problems[0]["row"] == 3


def test_override_of_unknown_column_or_type(resource, tmp_path):
    path = write(tmp_path, "a\n1\n")
    with pytest.raises(LoadError, match="Unknown column: b"):
        load_table(resource, path, format="CSV", overrides={"b": "int"})
    with pytest.raises(LoadError, match="Unknown column type"):
        load_table(resource, path, format="CSV", overrides={"a": "json"})


def test_headers_are_deduplicated_and_blank_ones_named(resource, tmp_path):
    path = write(tmp_path, "jumlah;;jumlah;_id;jumlah_2\n1;2;3;4;5\n")
    result = load_table(resource, path, format="CSV")
    assert [f.name for f in result.fields] == ["jumlah", "kolom_2", "jumlah_2", "id", "jumlah_2_2"]
    assert [f.column for f in result.fields] == ["c0", "c1", "c2", "c3", "c4"]


def test_blank_rows_are_skipped_and_short_rows_padded(resource, tmp_path):
    path = write(tmp_path, "a;b;c\n1;2;3\n\n;;\n4\n")
    result = load_table(resource, path, format="CSV")
    assert result.row_count == 2
    assert rows(resource)[1] == {"_id": 2, "a": 4, "b": None, "c": None}


def test_longer_rows_get_a_column_and_trailing_empty_columns_are_dropped(resource, tmp_path):
    path = write(tmp_path, "a;b;;\n1;2;;\n3;4;5;\n")
    result = load_table(resource, path, format="CSV")
    assert [f.name for f in result.fields] == ["a", "b", "kolom_3"]


def test_empty_file_is_a_load_error(resource, tmp_path):
    with pytest.raises(LoadError, match="Empty file"):
        load_table(resource, write(tmp_path, "\n\n"), format="CSV")


def test_xlsx_uploaded_as_csv_is_a_load_error(resource, tmp_path):
    path = tmp_path / "data.xlsx"
    Workbook().save(path)
    with pytest.raises(LoadError, match="not CSV"):
        load_table(resource, path, format="CSV")


def test_other_formats_cannot_be_loaded(resource, tmp_path):
    with pytest.raises(LoadError, match="Only CSV and XLSX"):
        load_table(resource, write(tmp_path, "{}"), format="JSON")


def test_xlsx_first_sheet_with_typed_cells(resource, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["kelurahan", 2023, "tanggal", "aktif", "jumlah teks", None])
    sheet.append(["Sukorejo", 1500, naive(2024, 1, 31), True, "1.234", None])
    sheet.append(["Bendogerit", 2.5, date(2024, 2, 1), False, "12,5", None])
    sheet.append([None, None, None, None, None, None])
    other = book.create_sheet("lain")
    other.append(["ignored"])
    path = tmp_path / "data.xlsx"
    book.save(path)

    result = load_table(resource, path, format="XLSX")
    assert types(result) == {"kelurahan": T.TEXT, "2023": T.NUMERIC, "tanggal": T.DATE, "aktif": T.BOOL,
                             "jumlah teks": T.NUMERIC}
    assert result.row_count == 2
    assert rows(resource) == [
        {"_id": 1, "kelurahan": "Sukorejo", "2023": 1500, "tanggal": "2024-01-31", "aktif": True,
         "jumlah teks": 1234},
        {"_id": 2, "kelurahan": "Bendogerit", "2023": 2.5, "tanggal": "2024-02-01", "aktif": False,
         "jumlah teks": 12.5},
    ]


def test_broken_xlsx_is_a_load_error(resource, tmp_path):
    with pytest.raises(LoadError, match="XLSX"):
        load_table(resource, write(tmp_path, "not a zip", name="x.xlsx"), format="XLSX")


def test_reload_replaces_the_table_and_keeps_labels(resource, tmp_path):
    load_table(resource, write(tmp_path, "kelurahan;jumlah\nSukorejo;1\n"), format="CSV")
    DatastoreField.objects.filter(resource=resource, name="jumlah").update(label="Jumlah jiwa", notes="orang")
    result = load_table(resource, write(tmp_path, "kelurahan;jumlah;tahun\nA;1\nB;2;2024\n", "v2.csv"),
                        format="CSV")
    assert result.row_count == 2
    names = [f.name for f in DatastoreField.objects.filter(resource=resource)]
    assert names == ["kelurahan", "jumlah", "tahun"]
    jumlah = DatastoreField.objects.get(resource=resource, name="jumlah")
    assert (jumlah.label, jumlah.notes) == ("Jumlah jiwa", "orang")
    assert [r["kelurahan"] for r in rows(resource)] == ["A", "B"]
    assert _tables(resource) == {resource.table_name} | _fts(resource)


def test_drop_table_removes_table_and_fields(resource, tmp_path):
    load_table(resource, write(tmp_path, "a\n1\n"), format="CSV")
    drop_table(resource)
    assert _tables(resource) == set()
    assert not DatastoreField.objects.filter(resource=resource).exists()


def test_failed_load_leaves_the_previous_table(resource, tmp_path, monkeypatch):
    load_table(resource, write(tmp_path, "a\n1\n"), format="CSV")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("kotacerdas.opendata.datastore.load._indexes", boom)
    with pytest.raises(RuntimeError):
        load_table(resource, write(tmp_path, "a\n2\n", "v2.csv"), format="CSV")
    assert rows(resource) == [{"_id": 1, "a": 1}]
    assert _tables(resource) == {resource.table_name} | _fts(resource)


def test_exports(resource, tmp_path):
    load_table(resource, write(tmp_path, "kelurahan;jumlah;tanggal;aktif\nSukorejo;1,5;31/01/2024;ya\n"
                                         "Sananwetan;-;;tidak\n"), format="CSV")
    csv_text = b"".join(export.export_csv(resource)).decode()
    assert csv_text == ("_id,kelurahan,jumlah,tanggal,aktif\r\n1,Sukorejo,1.5,2024-01-31,true\r\n"
                        "2,Sananwetan,,,false\r\n")
    dumped = json.loads(b"".join(export.export_json(resource)))
    assert dumped["fields"][0] == {"id": "_id", "type": "int"}
    assert dumped["records"] == [
        [1, "Sukorejo", 1.5, "2024-01-31", True], [2, "Sananwetan", None, None, False],
    ]
    path = tmp_path / "out.xlsx"
    export.export_xlsx(resource, path)
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("_id", "kelurahan", "jumlah", "tanggal", "aktif")
    assert values[1] == (1, "Sukorejo", 1.5, naive(2024, 1, 31), True)


def test_export_pages_through_large_tables(resource, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "PAGE_ROWS", 7)
    load_table(resource, write(tmp_path, "n\n" + "".join(f"{i}\n" for i in range(1, 51))), format="CSV")
    lines = b"".join(export.export_csv(resource)).decode().splitlines()
    assert len(lines) == 51 and lines[-1] == "50,50"
    assert len(json.loads(b"".join(export.export_json(resource)))["records"]) == 50


def test_numeric_values_are_exact_on_postgresql(resource, tmp_path):
    load_table(resource, write(tmp_path, "nilai\n0,1\n0,2\n"), format="CSV")
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT SUM("c0") FROM {connection.ops.quote_name(resource.table_name)}')  # noqa: S608
        total = cursor.fetchone()[0]
    if connection.vendor == "postgresql":
        assert total == Decimal("0.3")
    else:
        assert total == pytest.approx(0.3)


def _tables(resource) -> set[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    shadow = f"{resource.table_name}_fts_"  # FTS5's own tables, dropped with the FTS table
    return {n for n in names if n.startswith(resource.table_name) and not n.startswith(shadow)}


def _fts(resource) -> set[str]:
    return {f"{resource.table_name}_fts"} if connection.vendor == "sqlite" else set()


def test_value_after_the_sampled_rows_is_still_reported(resource, tmp_path, monkeypatch):
    monkeypatch.setattr("kotacerdas.opendata.datastore.load.SURVEY_ALL_ROWS", 10)
    monkeypatch.setattr("kotacerdas.opendata.datastore.load.SURVEY_EVERY", 1000)
    path = write(tmp_path, "jumlah\n" + "".join(f"{n}\n" for n in range(1, 50)) + "lihat catatan\n")
    result = load_table(resource, path, format="CSV")
    assert types(result) == {"jumlah": T.INT}
    assert result.row_count == 50
    assert result.problems == [{"row": 51, "column": "jumlah", "value": "lihat catatan",
                                "error": "Bukan bilangan / Not a number"}]
