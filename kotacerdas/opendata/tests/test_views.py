import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.audit.models import AuditEntry
from kotacerdas.opendata import actions
from kotacerdas.opendata.models import Dataset, Resource

CSV = (
    "kecamatan;kelurahan;jumlah;lat;lon\n"
    "Sukorejo;Sukorejo;1.234;-8.0901;112.1601\n"
    "Sukorejo;Karangsari;2.345;-8.0902;112.1602\n"
    "Sananwetan;Klampok;3.456;-8.1003;112.1803\n"
    + "".join(f"Kepanjenkidul;Kelurahan {i};10;-8.11{i:02d};112.15{i:02d}\n" for i in range(16))
    # One typo in a column of numbers: the column stays numeric and the cell is reported.
    + "Kepanjenkidul;Sentul;abc;-8.1104;112.1504\n"
).encode()


def publish(personas, walidata, capture, *, name="penduduk-kelurahan", content=CSV, private=False, **extra):
    dataset = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name=name,
                                     title="Penduduk per Kelurahan", notes="Jumlah penduduk",
                                     tags=["penduduk"],
                                     private=private, **extra)
    with capture(execute=True):
        resource = actions.resource_add(actor=personas.operator, dataset=dataset, name="Data 2024",
                                        upload=SimpleUploadedFile("penduduk.csv", content))
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    actions.dataset_approve(actor=walidata, dataset=dataset)
    resource.refresh_from_db()
    return dataset, resource


@pytest.mark.django_db
def test_resident_finds_previews_charts_and_downloads(client, personas, walidata,
                                                      django_capture_on_commit_callbacks):
    dataset, resource = publish(personas, walidata, django_capture_on_commit_callbacks)
    assert resource.load_status == Resource.Load.DONE, resource.load_error

    page = client.get("/data/", {"q": "penduduk"})
    assert page.status_code == 200 and "Penduduk per Kelurahan" in page.text
    assert "Dispendukcapil" in page.text  # the organisation facet
    assert client.get("/data/", {"q": "tidakada"}).context["count"] == 0
    # a column name is searchable too
    assert client.get("/data/", {"q": "kecamatan"}).context["count"] == 1
    assert client.get("/data/", {"res_format": "CSV"}).context["count"] == 1
    assert client.get("/data/", {"organization": "dpupr"}).context["count"] == 0

    page = client.get(f"/dataset/{dataset.name}/")
    assert page.status_code == 200 and "Data 2024" in page.text

    url = f"/dataset/{dataset.name}/resource/{resource.pk}/"
    preview = client.get(url, {"sort": "-jumlah"})
    assert preview.status_code == 200
    rows = preview.context["preview"]["rows"]
    assert rows[0][1] == "Klampok" and rows[0][2] == 3456
    filtered = client.get(url, {"kolom": "kecamatan", "nilai": "Sukorejo"})
    assert filtered.context["preview"]["result"]["total"] == 2
    chart = client.get(url, {"chart": "bar", "x": "kecamatan", "y": "jumlah"})
    svg = chart.context["chart"]["svg"]
    assert svg.startswith("<svg") and "Sukorejo: 3.579" in svg

    download = client.get(f"/dataset/{dataset.pk}/resource/{resource.pk}/download/penduduk.csv")
    assert download.status_code == 200 and b"".join(download.streaming_content) == CSV
    exported = client.get(f"{url}export.csv")
    assert exported.status_code == 200
    assert b"Klampok" in b"".join(exported.streaming_content)
    as_json = client.get(f"{url}export.json")
    assert "Karangsari" in b"".join(as_json.streaming_content).decode()
    xlsx = client.get(f"{url}export.xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"

    points = client.get(f"{url}map.geojson").json()
    assert len(points["features"]) == 20
    assert points["features"][0]["geometry"]["coordinates"] == [112.1601, -8.0901]


@pytest.mark.django_db
def test_bad_cells_are_reported_to_the_producer(staff_client, personas, walidata,
                                                django_capture_on_commit_callbacks):
    dataset, resource = publish(personas, walidata, django_capture_on_commit_callbacks)
    assert resource.row_count == 20
    assert any(p["value"] == "abc" for p in resource.load_problems)
    client = staff_client(personas.operator)
    page = client.get(f"/data/kelola/{dataset.name}/sumber/{resource.pk}/")
    assert page.status_code == 200 and "abc" in page.text


@pytest.mark.django_db
def test_drafts_and_private_data_are_hidden(client, personas, walidata, django_capture_on_commit_callbacks):
    draft = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name="draf-rahasia",
                                   title="Draf Rahasia")
    hidden, resource = publish(personas, walidata, django_capture_on_commit_callbacks, name="terbatas",
                               private=True)
    assert client.get(f"/dataset/{draft.name}/").status_code == 404
    assert client.get(f"/dataset/{hidden.name}/").status_code == 404
    assert client.get(f"/dataset/{hidden.pk}/resource/{resource.pk}/download/penduduk.csv").status_code == 404
    assert client.get(f"/dataset/{hidden.name}/resource/{resource.pk}/export.csv").status_code == 404
    listing = client.get("/data/")
    assert "Draf Rahasia" not in listing.text and listing.context["count"] == 0


@pytest.mark.django_db
def test_producer_creates_uploads_and_submits_in_the_browser_forms(staff_client, personas, walidata,
                                                                   django_capture_on_commit_callbacks):
    client = staff_client(personas.operator)
    response = client.post("/data/kelola/baru/", {
        "title": "Akta Kelahiran Terbit", "name": "akta-kelahiran", "notes": "Per bulan",
        "tags": "akta, kelahiran",
        "license_id": "cc-by", "frequency": "bulanan", "unit": "akta",
    })
    assert response.status_code == 302
    dataset = Dataset.objects.get(name="akta-kelahiran")
    assert set(dataset.tags.values_list("name", flat=True)) == {"akta", "kelahiran"}

    # A refused file keeps what was typed.
    refused = client.post("/data/kelola/akta-kelahiran/sumber/", {
        "name": "Rekap 2024", "description": "Jumlah akta per bulan",
        "file": SimpleUploadedFile("rekap.csv", b"%PDF-1.7 nope"),
    })
    assert refused.status_code == 400
    assert "Rekap 2024" in refused.text and "Jumlah akta per bulan" in refused.text
    assert "PDF" in refused.text

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post("/data/kelola/akta-kelahiran/sumber/", {
            "name": "Rekap 2024",
            "file": SimpleUploadedFile("rekap.csv", b"bulan,jumlah\nJanuari,120\nFebruari,98\n"),
        })
    assert added.status_code == 302
    resource = dataset.resources.get()
    assert resource.load_status == Resource.Load.DONE

    client.post("/data/kelola/akta-kelahiran/langkah/", {"do": "submit", "text": "Siap"})
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.REVIEW

    walidata_client = staff_client(walidata)
    queue = walidata_client.get("/data/walidata/")
    assert "Akta Kelahiran Terbit" in queue.text
    walidata_client.post("/data/walidata/akta-kelahiran/", {"do": "return", "text": ""})
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.REVIEW  # returning needs a reason
    walidata_client.post("/data/walidata/akta-kelahiran/", {"do": "approve", "text": "OK"})
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="dataset.approve", actor=walidata).exists()


@pytest.mark.django_db
def test_producer_corrects_a_column_type(staff_client, personas, walidata,
                                         django_capture_on_commit_callbacks):
    dataset, resource = publish(personas, walidata, django_capture_on_commit_callbacks)
    client = staff_client(personas.operator)
    fields = list(resource.fields.all())
    form = {f"type_{f.position}": f.type for f in fields}
    jumlah = next(f for f in fields if f.name == "jumlah")
    form[f"type_{jumlah.position}"] = "text"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/data/kelola/{dataset.name}/sumber/{resource.pk}/", {"do": "types", **form})
    resource.refresh_from_db()
    assert resource.fields.get(name="jumlah").type == "text"
    assert resource.load_status == Resource.Load.DONE and not resource.load_problems


@pytest.mark.django_db
def test_outsider_cannot_manage_another_agencys_data(staff_client, personas, walidata,
                                                     django_capture_on_commit_callbacks):
    dataset, resource = publish(personas, walidata, django_capture_on_commit_callbacks)
    client = staff_client(personas.outsider)
    assert client.get(f"/data/kelola/{dataset.name}/").status_code == 404
    withdraw = client.post(f"/data/kelola/{dataset.name}/langkah/", {"do": "withdraw", "text": "x"})
    assert withdraw.status_code == 404
    assert client.get("/data/walidata/").status_code == 404


@pytest.mark.django_db
def test_geojson_resource_has_a_map(client, personas, walidata, django_capture_on_commit_callbacks):
    geo = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [112.16, -8.09]},
         "properties": {"nama": "Taman Kebonrojo"}}]}).encode()
    dataset = actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, name="taman-kota",
                                     title="Taman Kota")
    resource = actions.resource_add(actor=personas.operator, dataset=dataset, name="Titik taman",
                                    upload=SimpleUploadedFile("taman.geojson", geo))
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    actions.dataset_approve(actor=walidata, dataset=dataset)
    assert resource.format == "GeoJSON"
    page = client.get(f"/dataset/taman-kota/resource/{resource.pk}/")
    assert page.context["has_map"]
    data = client.get(f"/dataset/taman-kota/resource/{resource.pk}/map.geojson").json()
    assert data["features"][0]["properties"]["title"] == "nama: Taman Kebonrojo"
