"""The masterplan's tables as XLSX and PDF: public data only (no drafts, verified
realisations only), opened and read back."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from kotacerdas.masterplan.models import Indicator, Programme, Realisation, Target
from kotacerdas.masterplan.tests.fixtures_assessment import *  # noqa: F403 - fixtures
from kotacerdas.masterplan.tests.fixtures_assessment import YEAR

XLSX = "/masterplan/unduh/masterplan.xlsx"
PDF = "/masterplan/unduh/masterplan.pdf"


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(response.content))


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_xlsx_has_programme_and_indicator_sheets_with_public_data_only(client, plan_data):
    book = workbook(client.get(XLSX, {"tahun": YEAR}))

    assert book.sheetnames == ["Program", "Indikator"]
    programmes = {row["Kode"]: row for row in rows_of(book["Program"])}
    assert set(programmes) == {"layanan-daring", "wifi-taman"}  # the draft is not public
    online = programmes["layanan-daring"]
    assert online["Program"] == "Layanan adminduk daring"
    assert online["Dimensi"] == "Smart Governance"
    assert online["OPD pendukung"] == "DPUPR"
    assert online["Anggaran (Rp)"] == 150_000_000
    assert online[f"Indikator terverifikasi {YEAR}"] == 3
    # (0.80 + 1.00 + 0.80) / 3
    assert online[f"Capaian rata-rata {YEAR}"] == pytest.approx(0.8667, abs=1e-4)

    indicators = {row["Indikator"]: row for row in rows_of(book["Indikator"])}
    assert "Indikator program draf" not in indicators
    output = indicators["Jenis layanan daring"]
    assert (output["Target 2025"], output["Realisasi 2025"]) == (10, 7)
    assert output["Capaian 2025"] == pytest.approx(0.7)
    assert (output[f"Target {YEAR}"], output[f"Realisasi {YEAR}"]) == (10, 8)
    assert indicators["Permohonan lewat daring"][f"Capaian {YEAR}"] == pytest.approx(1.1)  # not capped here
    assert indicators["Waktu tunggu loket"]["Arah"] == "Makin rendah makin baik"
    # The submitted (unverified) 999 is not shown.
    wifi_users = indicators["Pengguna Wi-Fi taman"]
    assert (wifi_users[f"Target {YEAR}"], wifi_users[f"Realisasi {YEAR}"]) == (500, None)
    assert not any(999 in row.values() for row in indicators.values())
    assert "Target 2033" in wifi_users  # one column group per year of the plan


def test_pdf_has_title_vision_progress_and_programmes_of_the_year(client, plan_data):
    text = pdf_text(client.get(PDF, {"tahun": YEAR}))

    for expected in ("Masterplan Kota Blitar Cerdas 2024-2033", f"Laporan capaian tahun {YEAR}",
                     "Blitar kota cerdas yang melayani warganya", f"Capaian per dimensi, {YEAR}",
                     "Smart Governance", "Smart Living", "Layanan adminduk daring (layanan-daring)",
                     "Wi-Fi taman kota", "Jenis layanan daring", "Waktu tunggu loket", "80,0 %",
                     "Pengguna Wi-Fi taman"):
        assert expected in text, expected
    assert "rahasia" not in text and "Program rahasia draf" not in text
    assert "999" not in text


def test_pdf_of_another_year_lists_the_programmes_running_then(client, plan_data):
    text = pdf_text(client.get(PDF, {"tahun": 2025}))

    assert "Layanan adminduk daring" in text and "70,0 %" in text
    assert "Wi-Fi taman kota" not in text  # runs in 2026 only


def test_unverified_realisation_appears_once_verified(client, plan_data):
    Realisation.objects.filter(indicator=plan_data.wifi_outcome).update(status=Realisation.Status.VERIFIED)

    book = workbook(client.get(XLSX, {"tahun": YEAR}))
    indicators = {row["Indikator"]: row for row in rows_of(book["Indikator"])}
    assert indicators["Pengguna Wi-Fi taman"][f"Realisasi {YEAR}"] == 999


@pytest.mark.parametrize("url", [XLSX, PDF])
@pytest.mark.parametrize("year", ["dua-ribu", "1999", "20266"])
def test_a_bad_year_is_a_clear_400(client, plan_data, url, year):
    response = client.get(url, {"tahun": year})

    assert response.status_code == 400
    assert "tahun" in response.content.decode()


@pytest.mark.parametrize("url", [XLSX, PDF])
def test_without_a_year_this_year_is_used(client, plan_data, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]


def test_exports_work_without_a_plan_or_programmes(client, reference):
    assert client.get(XLSX).status_code == 200
    assert "Masterplan kota cerdas" in pdf_text(client.get(PDF))


def _more_programmes(plan_data, count: int) -> None:
    for n in range(count):
        programme = Programme.objects.create(
            code=f"tambahan-{n}", name=f"Program tambahan {n}", dimension=plan_data.online.dimension,
            subdimension=plan_data.online.subdimension, lead_agency=plan_data.online.lead_agency,
            horizon="short", start_year=2025, end_year=2027, status="ongoing")
        indicator = Indicator.objects.create(programme=programme, kind="output", name=f"Indikator {n}",
                                             unit="%", agency=programme.lead_agency)
        Target.objects.create(indicator=indicator, year=YEAR, value=10)
        Realisation.objects.create(indicator=indicator, year=YEAR, value=5, status="verified")


@pytest.mark.parametrize("url", [XLSX, PDF])
def test_export_queries_do_not_grow_with_programmes(client, plan_data, django_assert_max_num_queries, url):
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"tahun": YEAR})
    _more_programmes(plan_data, 5)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, {"tahun": YEAR}).status_code == 200
    assert len(few.captured_queries) <= 15
