from io import BytesIO

from pypdf import PdfReader

from kotacerdas.lib.pdf import PdfReport, PdfSection, PdfTable, render_report


def text_of(pdf: bytes) -> tuple[PdfReader, str]:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_report_has_title_headings_paragraphs_and_table_cells() -> None:
    report = PdfReport(
        title="Laporan masterplan",
        subtitle="Bappeda Kota Blitar",
        sections=[
            PdfSection(heading="Smart Governance", paragraphs=["Capaian rata-rata 80 %."], tables=[
                PdfTable(header=["Program", "Target", "Realisasi"],
                         rows=[["Layanan & izin <daring>", "10", "8"]],
                         widths=[3, 1, 1], numeric=[1, 2]),
            ]),
        ],
        footer="Dibuat oleh kotacerdas",
    )
    reader, text = text_of(render_report(report, document_title="Masterplan 2026"))

    assert len(reader.pages) == 1
    for expected in ("Laporan masterplan", "Bappeda Kota Blitar", "Smart Governance",
                     "Capaian rata-rata 80 %.",
                     "Program", "Realisasi", "Layanan & izin <daring>", "Dibuat oleh kotacerdas"):
        assert expected in text
    assert reader.metadata.title == "Masterplan 2026"


def test_long_table_continues_on_more_pages_with_its_header_and_page_numbers() -> None:
    rows = [[f"Indikator nomor {n}", str(n)] for n in range(200)]
    reader, _text = text_of(render_report(PdfReport(
        title="Panjang",
        sections=[PdfSection(tables=[PdfTable(header=["Nama indikator", "Nilai"], rows=rows)])],
    )))

    assert len(reader.pages) > 2
    for number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert "Nama indikator" in page_text
        assert page_text.rstrip().endswith(str(number))
    assert "Indikator nomor 199" in reader.pages[-1].extract_text()


def test_wide_report_is_landscape_and_odd_characters_do_not_break_it() -> None:
    reader, text = text_of(render_report(PdfReport(
        title="Lebar → tabel", wide=True,
        sections=[PdfSection(heading="Ṭes", tables=[PdfTable(header=["a", "b", "c"], rows=[["1", "2"]])])],
    )))

    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height
    assert "Lebar -> tabel" in text
