"""Issue 5 end to end in headless Chromium: Dispendukcapil's operator publishes a table of
residents per kelurahan through Satu Data, the Walidata of Diskominfotik approves it, and a
resident on her phone finds it, sorts, filters, charts and downloads it.

Screenshots go to /tmp/opendata-*.png for a human to look at."""

import csv
import io
import re
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from kotacerdas.conftest import PASSWORD, otp_for
from kotacerdas.opendata.models import Dataset, Resource
from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import BROWSER, PHONE, horizontal_overflow, log_in

# The browser (one per module) and fresh contexts on the live server, as in the portal's tests.
browser = shared.browser
new_page = shared.new_page

# The upload's on-commit hook (which loads the table into the datastore) fires only when a
# real transaction commits: BROWSER's transactional database gives that too.
pytestmark = BROWSER

SCREENSHOTS = Path(tempfile.gettempdir())
TITLE = "Jumlah Penduduk per Kelurahan 2025"
NAME = "jumlah-penduduk-kelurahan-2025"
RESOURCE = "Rekap semester II 2025"
# As a spreadsheet set to Indonesian saves it: semicolons, and a dot grouping thousands.
TABLE = (
    b"kecamatan;kelurahan;jumlah_penduduk\n"
    b"Sukorejo;Sukorejo;1.234\n"
    b"Sukorejo;Karangsari;2.345\n"
    b"Sananwetan;Klampok;3.456\n"
    b"Sananwetan;Rembang;987\n"
    b"Kepanjenkidul;Sentul;4.321\n"
)
# A scanned report someone renamed to .csv: the portal must read the content, not the name.
NOT_A_CSV = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"opendata-{name}.png", full_page=True)


def fits_the_phone(page, name: str) -> None:
    snap(page, name)
    assert horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways on a 360 px screen"


def column(page, index: int) -> list[str]:
    """The preview table's cells in one column, top to bottom."""
    return page.locator("#preview tbody tr").evaluate_all(
        "(rows, i) => rows.map((row) => row.cells[i].textContent.trim())", index
    )


def test_producer_publishes_a_table_and_a_resident_charts_and_downloads_it(
    new_page, personas, walidata, tmp_path
):
    fake = tmp_path / "rekap-penduduk.csv"
    fake.write_bytes(NOT_A_CSV)
    real = tmp_path / "penduduk-kelurahan-2025.csv"
    real.write_bytes(TABLE)

    # 1. Dispendukcapil's operator drafts the dataset.
    producer = new_page()
    producer.goto("/data/kelola/")
    log_in(producer, personas.operator.email, PASSWORD, otp=lambda: otp_for(personas.operator))
    expect(producer).to_have_url(re.compile(r"/data/kelola/$"))
    expect(producer.get_by_role("heading", level=1)).to_have_text("Kelola data")
    expect(producer.get_by_role("main")).to_contain_text("OPD Anda belum punya dataset.")
    producer.get_by_role("link", name="Dataset baru").click()

    expect(producer.get_by_role("heading", level=1)).to_have_text("Dataset baru")
    producer.get_by_label("Judul").fill(TITLE)
    producer.get_by_label("Nama (slug)").fill(NAME)
    producer.get_by_label("Deskripsi").fill("Penduduk menurut kelurahan, hasil konsolidasi SIAK.")
    producer.get_by_label("Tag", exact=True).fill("penduduk, kependudukan")
    producer.get_by_label("Lisensi").select_option(label="Creative Commons Attribution")
    producer.get_by_label("Frekuensi pemutakhiran").select_option(label="Semesteran")
    snap(producer, "01-new")
    producer.get_by_role("button", name="Buat draf").click()

    expect(producer).to_have_url(re.compile(rf"/data/kelola/{NAME}/$"))
    expect(producer.get_by_role("status")).to_contain_text("Draf dataset dibuat")
    expect(producer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(producer.locator(".badge.status-draft")).to_have_text("Draf")
    dataset = Dataset.objects.get(name=NAME)
    assert dataset.agency == personas.dukcapil
    assert dataset.license_id == "cc-by" and dataset.frequency == "semesteran"
    assert set(dataset.tags.values_list("name", flat=True)) == {"penduduk", "kependudukan"}

    # A PDF renamed .csv is refused by its content; what was typed stays in the form.
    # The resource form is found by its heading: on this page the dataset form's "Nama (slug)"
    # has the same id (id_name) as "Nama sumber data", so that label points at the slug field.
    upload = producer.locator("form").filter(has=producer.get_by_role("heading", name="Tambah sumber data"))
    upload.locator("input[name=name]").fill(RESOURCE)
    upload.get_by_label("Keterangan").fill("Data per 31 Desember 2025")
    upload.get_by_label("Berkas").set_input_files(fake)
    upload.get_by_role("button", name="Tambahkan").click()

    refused = upload.locator(".field.has-error").get_by_role("alert")
    expect(refused).to_have_text("Isi berkas bukan CSV seperti namanya (terbaca sebagai PDF).")
    expect(upload.locator("input[name=name]")).to_have_value(RESOURCE)
    expect(upload.get_by_label("Keterangan")).to_have_value("Data per 31 Desember 2025")
    snap(producer, "02-refused")
    assert not Resource.objects.exists()

    # The real table: it is loaded into the datastore as the upload's transaction commits.
    upload.get_by_label("Berkas").set_input_files(real)
    upload.get_by_role("button", name="Tambahkan").click()
    expect(producer).to_have_url(re.compile(rf"/data/kelola/{NAME}/$"))
    expect(producer.get_by_role("status")).to_contain_text(f'Sumber data "{RESOURCE}" ditambahkan.')
    listed = producer.locator("#sumber + ul li").filter(has_text=RESOURCE)
    expect(listed).to_contain_text("CSV")
    expect(listed).to_contain_text("Dimuat")
    resource = Resource.objects.get()
    assert resource.load_status == Resource.Load.DONE, resource.load_error
    assert resource.row_count == 5 and resource.load_problems == []

    listed.get_by_role("link", name=RESOURCE).click()
    expect(producer.get_by_role("main")).to_contain_text("5 baris dimuat.")
    expect(producer.get_by_label("jumlah_penduduk")).to_have_value("int")  # 1.234 read as a thousand
    producer.get_by_role("link", name=TITLE).click()

    producer.get_by_role("button", name="Ajukan untuk diterbitkan").click()
    expect(producer.get_by_role("status")).to_contain_text("Dataset diajukan ke Walidata.")
    expect(producer.locator(".badge.status-review")).to_have_text("Diperiksa Walidata")
    expect(producer.get_by_role("button", name="Ajukan untuk diterbitkan")).to_have_count(0)

    # 2. The Walidata checks it and publishes it.
    reviewer = new_page()
    reviewer.goto("/data/walidata/")
    log_in(reviewer, walidata.email, PASSWORD, otp=lambda: otp_for(walidata))
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Pemeriksaan Walidata")
    entry = reviewer.get_by_role("listitem").filter(has_text=TITLE)
    expect(entry).to_contain_text(personas.dukcapil.name)
    entry.get_by_role("link", name=TITLE).click()

    expect(reviewer.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = reviewer.locator("table.facts-table")
    expect(facts.get_by_role("row", name="Nama (slug)")).to_contain_text(NAME)
    expect(facts.get_by_role("row", name="Lisensi")).to_contain_text("Creative Commons Attribution")
    expect(facts.get_by_role("row", name="Frekuensi pemutakhiran")).to_contain_text("Semesteran")
    expect(reviewer.get_by_role("main").get_by_role("listitem").filter(has_text=RESOURCE)).to_contain_text("Dimuat")
    snap(reviewer, "03-review")
    reviewer.get_by_role("button", name="Setujui dan terbitkan").click()
    expect(reviewer).to_have_url(re.compile(r"/data/walidata/$"))
    expect(reviewer.get_by_role("status")).to_contain_text("Dataset diterbitkan.")
    expect(reviewer.get_by_role("main")).to_contain_text("Tidak ada dataset yang menunggu pemeriksaan.")
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED

    # 3. A resident finds it on her phone.
    resident = new_page(viewport=PHONE, has_touch=True, accept_downloads=True)
    resident.goto("/data/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Satu Data Kota Blitar")
    resident.get_by_label("Cari data").fill("penduduk kelurahan")
    resident.get_by_role("button", name="Cari", exact=True).click()
    expect(resident).to_have_url(re.compile(r"/data/\?q=penduduk"))
    results = resident.locator(".dataset-list > li")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(personas.dukcapil.short_name)
    fits_the_phone(resident, "04-search")
    results.get_by_role("link", name=TITLE).click()

    expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(resident.get_by_role("main")).not_to_contain_text("Belum publik")
    expect(resident.get_by_role("link", name="Sunting dataset")).to_have_count(0)
    fits_the_phone(resident, "05-dataset")
    resident.get_by_role("link", name=RESOURCE).click()

    expect(resident.get_by_role("heading", level=1)).to_contain_text(RESOURCE)
    preview = resident.locator("#preview")
    expect(preview).to_contain_text("5 baris")
    expect(preview.locator("tbody tr")).to_have_count(5)
    expect(preview.get_by_role("columnheader")).to_have_text(["kecamatan", "kelurahan", "jumlah_penduduk"])
    assert column(resident, 1) == ["Sukorejo", "Karangsari", "Klampok", "Rembang", "Sentul"]
    fits_the_phone(resident, "06-preview")

    # Sorting is a tap on the header; a second tap reverses it.
    preview.get_by_role("link", name="jumlah_penduduk").click()
    expect(preview.get_by_role("columnheader", name="jumlah_penduduk ▲")).to_be_visible()
    assert column(resident, 1) == ["Rembang", "Sukorejo", "Karangsari", "Klampok", "Sentul"]
    preview.get_by_role("link", name="jumlah_penduduk").click()
    expect(preview.get_by_role("columnheader", name="jumlah_penduduk ▼")).to_be_visible()
    assert column(resident, 1) == ["Sentul", "Klampok", "Karangsari", "Sukorejo", "Rembang"]
    assert column(resident, 2)[0] in ("4321", "4.321")

    # Filtering by one column's value.
    resident.get_by_label("Kolom").select_option("kecamatan")
    resident.get_by_label("bernilai").fill("Sananwetan")
    resident.get_by_role("button", name="Saring").click()
    expect(preview).to_contain_text("2 baris")
    expect(preview.locator("tbody tr")).to_have_count(2)
    assert sorted(column(resident, 1)) == ["Klampok", "Rembang"]
    assert set(column(resident, 0)) == {"Sananwetan"}
    # The headers keep the filter: sorting now orders only the two matching rows.
    preview.get_by_role("link", name="jumlah_penduduk").click()
    expect(preview.get_by_role("columnheader", name="jumlah_penduduk ▲")).to_be_visible()
    expect(preview.locator("tbody tr")).to_have_count(2)
    assert column(resident, 1) == ["Rembang", "Klampok"]
    fits_the_phone(resident, "07-filtered")

    # A bar chart of residents per kecamatan, drawn on the server as SVG.
    resident.get_by_label("Jenis").select_option(label="Batang")
    resident.get_by_label("Kelompok (sumbu X)").select_option("kecamatan")
    resident.get_by_label("Nilai dijumlahkan (sumbu Y)").select_option("jumlah_penduduk")
    resident.get_by_role("button", name="Buat grafik").click()
    chart = resident.locator("figure.chart-box svg")
    expect(chart).to_be_visible()
    expect(resident.get_by_role("img", name="jumlah_penduduk menurut kecamatan")).to_be_visible()
    expect(chart.locator("rect")).not_to_have_count(0)
    titles = chart.locator("title").all_text_contents()
    assert "Sukorejo: 3.579" in titles, titles  # 1.234 + 2.345, summed as thousands
    assert "Sananwetan: 4.443" in titles, titles
    assert "Kepanjenkidul: 4.321" in titles, titles
    expect(resident.locator("figure.chart-box figcaption")).to_have_text("jumlah_penduduk menurut kecamatan")
    fits_the_phone(resident, "08-chart")

    # The whole table as clean CSV, and the producer's own file as uploaded.
    with resident.expect_download() as exported:
        resident.get_by_role("link", name="CSV", exact=True).click()
    assert exported.value.suggested_filename == f"{NAME}-{str(resource.pk)[:8]}.csv"
    rows = list(csv.DictReader(io.StringIO(exported.value.path().read_text(encoding="utf-8"))))
    assert [(r["kelurahan"], r["jumlah_penduduk"]) for r in rows] == [  # plain numbers for machines
        ("Sukorejo", "1234"), ("Karangsari", "2345"), ("Klampok", "3456"), ("Rembang", "987"),
        ("Sentul", "4321"),
    ]
    assert {r["kecamatan"] for r in rows} == {"Sukorejo", "Sananwetan", "Kepanjenkidul"}

    with resident.expect_download() as original:
        resident.get_by_role("link", name="Unduh CSV asli").click()
    assert original.value.suggested_filename == real.name
    assert original.value.path().read_bytes() == TABLE
