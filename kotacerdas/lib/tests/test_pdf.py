from io import BytesIO

from pypdf import PdfReader

from kotacerdas.lib.pdf import PdfPage, render_pdf

A4_POINTS = (595.28, 841.89)

RECEIPT = PdfPage(
    title="Tanda terima permohonan",
    subtitle="Dinas Kependudukan dan Pencatatan Sipil Kota Blitar",
    rows=[
        ("Kode lacak", "7KQM-3XPC"),
        ("Layanan", "Akta kelahiran"),
        ("Pemohon", "Siti Aminah"),
    ],
    paragraphs=["Simpan kode lacak ini. Status permohonan bisa dilihat kapan saja tanpa login."],
    qr_data="https://kotacerdas.example/lacak?code=7KQM-3XPC",
    qr_caption="Pindai untuk melihat status",
    footer="Dokumen ini dibuat otomatis oleh sistem dan sah tanpa tanda tangan.",
)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_receipt_is_one_a4_page_with_all_its_text() -> None:
    reader = read(render_pdf(RECEIPT))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    text = flat(text_of(reader))
    for expected in [
        RECEIPT.title,
        RECEIPT.subtitle,
        *[part for row in RECEIPT.rows for part in row],
        *RECEIPT.paragraphs,
        RECEIPT.qr_caption,
        RECEIPT.footer,
    ]:
        assert expected in text


def test_footer_comes_last_in_reading_order() -> None:
    text = flat(text_of(read(render_pdf(RECEIPT))))
    assert text.endswith(RECEIPT.footer)
    assert text.startswith(RECEIPT.title)


def test_metadata_title_and_creator() -> None:
    reader = read(render_pdf(RECEIPT, document_title="Tanda terima 7KQM-3XPC"))
    assert reader.metadata is not None
    assert reader.metadata.title == "Tanda terima 7KQM-3XPC"
    assert reader.metadata.creator == "kotacerdas"
    assert reader.metadata.author == RECEIPT.subtitle


def test_metadata_title_defaults_to_the_page_title() -> None:
    metadata = read(render_pdf(PdfPage(title="Sertifikat pelatihan"))).metadata
    assert metadata is not None
    assert metadata.title == "Sertifikat pelatihan"


def test_qr_code_is_embedded_as_an_image() -> None:
    page = read(render_pdf(RECEIPT)).pages[0]
    assert len(page.images) == 1
    qr = page.images[0].image
    assert qr is not None
    assert qr.width == qr.height


def test_no_qr_no_image() -> None:
    page = read(render_pdf(PdfPage(title="Tanpa QR", rows=[("Nomor", "1")]))).pages[0]
    assert len(page.images) == 0


def test_non_ascii_text_renders_without_crashing() -> None:
    page = PdfPage(
        title="Café “Mas Ibin” – Rp 15.000 · 2×",
        subtitle="Kelurahan Kepanjenlor → Kecamatan Kepanjenkidul",
        rows=[("Status", "Selesai ✓"), ("Nama", "Łukasz Żółć, Ñandú")],
        paragraphs=["Aksara Jawa ꦗꦮ, 北京, emoji 😀, zero\u200bwidth, ṭ."],
        footer="Ω ≤ π",
    )
    text = text_of(read(render_pdf(page)))

    # Vera has Ł, ó, ł, ć, Ñ but not Ż: that one is printed as its base letter.
    assert "\x00" not in text  # a missing glyph would be extracted as NUL
    flat_text = flat(text)
    for expected in ["Café “Mas Ibin” – Rp 15.000 · 2×", "Kepanjenlor -> Kecamatan", "Selesai v",
                     "Łukasz Zółć, Ñandú", "zerowidth", "t.", "Ω ≤ π"]:
        assert expected in flat_text


def test_markup_characters_are_text() -> None:
    page = PdfPage(title="PT A & B <cabang>", rows=[("Catatan", "<b>tidak tebal</b> & 1 < 2")])
    text = flat(text_of(read(render_pdf(page))))
    assert "PT A & B <cabang>" in text
    assert "<b>tidak tebal</b> & 1 < 2" in text


def test_line_breaks_in_values_are_kept() -> None:
    page = PdfPage(title="Alamat", rows=[("Alamat", "Jl. Merapi No. 10\nRT 002 RW 003\nSentul")])
    lines = text_of(read(render_pdf(page))).splitlines()
    assert "Jl. Merapi No. 10" in lines and "RT 002 RW 003" in lines


def text_positions(reader: PdfReader) -> list[float]:
    xs: list[float] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text.strip():
            xs.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return xs


def test_long_paragraph_wraps_within_the_page() -> None:
    words = [f"kata{i}" for i in range(400)]
    reader = read(render_pdf(PdfPage(title="Panjang", paragraphs=[" ".join(words)])))

    text = text_of(reader)
    assert flat(text).split()[1:] == words
    assert len(text.splitlines()) > 20
    assert all(0 <= x < A4_POINTS[0] - 50 for x in text_positions(reader))


def test_long_unbroken_value_is_split_across_lines() -> None:
    url = "https://kotacerdas.example/verifikasi/" + "ABCD" * 60
    reader = read(render_pdf(PdfPage(title="URL", rows=[("Tautan", url)], qr_data=url, qr_caption=url)))

    text = text_of(reader)
    assert url not in text  # not on one line
    assert "".join(text.split()).count(url) == 2  # all of it, in the table and the caption


def test_content_longer_than_a_page_continues_with_the_footer_on_every_page() -> None:
    paragraphs = [f"Paragraf {i}: " + "isi yang panjang " * 40 for i in range(30)]
    page = PdfPage(
        title="Lampiran", rows=[("Isi", "x " * 3000)], paragraphs=paragraphs, footer="Halaman resmi"
    )
    reader = read(render_pdf(page))

    assert len(reader.pages) > 2
    assert all("Halaman resmi" in p.extract_text() for p in reader.pages)
    assert "Paragraf 29:" in text_of(reader)


def test_title_only_page() -> None:
    reader = read(render_pdf(PdfPage(title="Sertifikat")))
    assert len(reader.pages) == 1
    assert flat(text_of(reader)) == "Sertifikat"
