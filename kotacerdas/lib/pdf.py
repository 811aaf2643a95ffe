"""Small A4 PDFs: application receipts, output documents, certificates, and table reports.

One layout for the documents (`render_pdf`): title and subtitle (the issuing agency), a
label/value table, paragraphs, an optional QR code with a caption, and a footer on every
page. Reports (`render_report`) share its fonts and text handling: a title, then sections
of headings, paragraphs and multi-column tables whose header row repeats on every page. Text wraps at
the margins, including long unbroken strings such as URLs; content that does not fit on
one page continues on the next instead of running off it.

Text is set in Bitstream Vera, which ships inside the reportlab package, so rendering does
not depend on fonts installed on the server. Vera covers Latin (Indonesian, Dutch names,
é, ł...), common punctuation and a little Greek; a character it lacks would be printed as
an empty box and extracted as NUL, so arrows and check marks are spelled in ASCII and
anything else is reduced to its base letter ("ṭ" -> "t") or "?".
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from io import BytesIO
from pathlib import Path

import reportlab
import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

CREATOR = "kotacerdas"

FONT = "KotaCerdasVera"
FONT_BOLD = "KotaCerdasVera-Bold"
_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    f"{FONT}-Italic": "VeraIt.ttf",
    f"{FONT}-BoldItalic": "VeraBI.ttf",
}

MARGIN = 20 * mm
FOOTER_GAP = 4 * mm
QR_SIZE = 35 * mm
LABEL_SHARE = 0.35  # of the text width, for the label column of the table

_GREY = colors.HexColor("#555555")
_RULE = colors.HexColor("#BBBBBB")

# Characters Vera lacks that have a clear ASCII spelling.
_ASCII_FALLBACKS = {
    "\u2192": "->",  # →
    "\u2190": "<-",  # ←
    "\u2194": "<->",  # ↔
    "\u21d2": "=>",  # ⇒
    "\u21d0": "<=",  # ⇐
    "\u2713": "v",  # ✓
    "\u2714": "v",  # ✔
    "\u2717": "x",  # ✗
    "\u2718": "x",  # ✘
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
}


@dataclass(frozen=True)
class PdfPage:
    title: str
    subtitle: str = ""  # e.g. the issuing agency
    rows: Sequence[tuple[str, str]] = ()  # label/value table
    paragraphs: Sequence[str] = ()
    qr_data: str = ""  # e.g. a verification URL, printed as a QR code
    qr_caption: str = ""
    footer: str = ""


def render_pdf(page: PdfPage, *, document_title: str = "") -> bytes:
    """The page as an A4 PDF. ``document_title`` (default: the page title) is the PDF's
    metadata title, what viewers show in their title bar and tabs."""
    _register_fonts()
    styles = _styles()
    frame_width = A4[0] - 2 * MARGIN

    story: list[Flowable] = [Paragraph(_markup(page.title), styles["title"])]
    if page.subtitle:
        story.append(Paragraph(_markup(page.subtitle), styles["subtitle"]))
    story.append(Spacer(0, 6 * mm))
    if page.rows:
        story += [_table(page.rows, frame_width, styles), Spacer(0, 6 * mm)]
    story += [Paragraph(_markup(text), styles["body"]) for text in page.paragraphs]
    if page.qr_data:
        story.append(_qr(page.qr_data, page.qr_caption, styles))

    footer = Paragraph(_markup(page.footer), styles["footer"]) if page.footer else None
    footer_height = footer.wrap(frame_width, A4[1])[1] if footer else 0
    if footer is not None and footer_height > A4[1] / 4:
        # A footer this long would leave no room for the page; it goes after the content.
        story.append(footer)
        footer, footer_height = None, 0

    def draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if footer is not None:
            footer.drawOn(canvas, MARGIN, MARGIN)

    out = BytesIO()
    title = _plain(document_title or page.title)
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        title=title,
        subject=title,
        author=_plain(page.subtitle) or CREATOR,
        creator=CREATOR,
        displayDocTitle=True,
    )
    bottom = MARGIN + (footer_height + FOOTER_GAP if footer else 0)
    frame = Frame(
        MARGIN, bottom, frame_width, A4[1] - MARGIN - bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="content",
    )
    # Drawn when the page ends, so the footer also comes last in the text a screen reader
    # or a copy-and-paste reads.
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=draw_footer)])
    doc.build(story)
    return out.getvalue()


@dataclass(frozen=True)
class PdfTable:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    # Each column's share of the text width; equal shares when empty.
    widths: Sequence[float] = ()
    # Columns (by index) set flush right, for numbers.
    numeric: Sequence[int] = ()


@dataclass(frozen=True)
class PdfSection:
    heading: str = ""
    paragraphs: Sequence[str] = ()
    tables: Sequence[PdfTable] = ()
    level: int = 1  # 1 heading, 2 sub-heading


@dataclass(frozen=True)
class PdfReport:
    title: str
    subtitle: str = ""
    sections: Sequence[PdfSection] = ()
    footer: str = ""
    wide: bool = False  # landscape A4, for tables with many columns


def render_report(report: PdfReport, *, document_title: str = "") -> bytes:
    """Sections of headings, paragraphs and tables as an A4 PDF (landscape if `wide`); the
    footer and the page number are on every page. Rows longer than a page are split."""
    _register_fonts()
    styles = _styles()
    page_size = landscape(A4) if report.wide else A4
    frame_width = page_size[0] - 2 * MARGIN

    story: list[Flowable] = [Paragraph(_markup(report.title), styles["title"])]
    if report.subtitle:
        story.append(Paragraph(_markup(report.subtitle), styles["subtitle"]))
    story.append(Spacer(0, 4 * mm))
    for section in report.sections:
        if section.heading:
            style = styles["heading"] if section.level <= 1 else styles["subheading"]
            story.append(Paragraph(_markup(section.heading), style))
        story += [Paragraph(_markup(text), styles["body"]) for text in section.paragraphs]
        for table in section.tables:
            story += [_grid(table, frame_width, styles), Spacer(0, 4 * mm)]

    footer_style = styles["footer"]

    def draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        text = f"{_printable(report.footer)}   {doc.page}" if report.footer else str(doc.page)
        canvas.saveState()
        canvas.setFont(footer_style.fontName, footer_style.fontSize)
        canvas.setFillColor(_GREY)
        canvas.drawString(MARGIN, MARGIN / 2, text)
        canvas.restoreState()

    out = BytesIO()
    title = _plain(document_title or report.title)
    doc = BaseDocTemplate(out, pagesize=page_size, title=title, subject=title,
                          author=_plain(report.subtitle) or CREATOR, creator=CREATOR, displayDocTitle=True)
    frame = Frame(MARGIN, MARGIN, frame_width, page_size[1] - 2 * MARGIN,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="content")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=draw_footer)])
    doc.build(story)
    return out.getvalue()


def _grid(table: PdfTable, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    columns = len(table.header)
    shares = list(table.widths) if len(table.widths) == columns else [1.0] * columns
    total = sum(shares) or 1.0
    col_widths = [width * share / total for share in shares]

    def cell(text: str, column: int, style: str) -> Paragraph:
        return Paragraph(_markup(str(text)), styles[f"{style}_right" if column in table.numeric else style])

    data = [[cell(text, i, "cell_head") for i, text in enumerate(table.header)]]
    # A short row is padded, a long one cut, so one bad row cannot break the whole table.
    data += [[cell(text, i, "cell") for i, text in enumerate((list(row) + [""] * columns)[:columns])]
             for row in table.rows]
    grid = Table(data, colWidths=col_widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, _GREY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, _RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return grid


@cache
def _register_fonts() -> None:
    font_dir = Path(reportlab.__file__).parent / "fonts"
    for name, file_name in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_dir / file_name)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=f"{FONT}-Italic", boldItalic=f"{FONT}-BoldItalic"
    )


@cache
def _glyphs() -> frozenset[int]:
    # Regular and bold Vera cover the same characters.
    font = pdfmetrics.getFont(FONT)
    return frozenset(font.face.charToGlyph)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=3 * mm)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=_GREY)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11, leading=15, textColor=_GREY),
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD, spaceAfter=0),
        "value": ParagraphStyle("value", parent=body, spaceAfter=0),
        "caption": ParagraphStyle("caption", parent=small, alignment=TA_CENTER),
        "footer": ParagraphStyle("footer", parent=small, spaceAfter=0),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17,
                                  spaceBefore=3 * mm, keepWithNext=1),
        "subheading": ParagraphStyle("subheading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                                     spaceBefore=2 * mm, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10,
                                    spaceAfter=0),
        "cell_head_right": ParagraphStyle("cell_head_right", parent=body, fontName=FONT_BOLD, fontSize=8,
                                          leading=10, spaceAfter=0, alignment=TA_RIGHT),
    }


def _table(rows: Sequence[tuple[str, str]], width: float, styles: dict[str, ParagraphStyle]) -> Table:
    data = [
        [Paragraph(_markup(label), styles["label"]), Paragraph(_markup(value), styles["value"])]
        for label, value in rows
    ]
    label_width = width * LABEL_SHARE
    # splitInRow: a value longer than a page (a pasted letter, say) continues on the next
    # page instead of failing the whole document.
    table = Table(data, colWidths=[label_width, width - label_width], splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, _RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def _qr(data: str, caption: str, styles: dict[str, ParagraphStyle]) -> Flowable:
    png = BytesIO()
    # Level M survives a smudge or a fold in a printed receipt; border 4 is the quiet zone
    # the QR specification asks for.
    segno.make(data, error="m").save(png, kind="png", scale=8, border=4)
    png.seek(0)
    parts: list[Flowable] = [Spacer(0, 4 * mm), Image(png, width=QR_SIZE, height=QR_SIZE)]
    if caption:
        parts.append(Paragraph(_markup(caption), styles["caption"]))
    return KeepTogether(parts)


def _markup(text: str) -> str:
    # Paragraph reads a small XML markup: escape what a resident typed ("PT A & B <cabang>"),
    # keep their line breaks.
    return escape(_printable(text), quote=False).replace("\n", "<br/>")


def _plain(text: str) -> str:
    # Metadata is Unicode in the PDF; only control characters are unwelcome there.
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def _printable(text: str) -> str:
    glyphs = _glyphs()
    out = []
    for ch in text:
        if ch == "\n" or ord(ch) in glyphs:
            out.append(ch)
        elif ch in _ASCII_FALLBACKS:
            out.append(_ASCII_FALLBACKS[ch])
        elif unicodedata.category(ch) == "Cf":
            continue  # zero-width spaces and joiners, direction marks
        elif unicodedata.category(ch) in ("Cc", "Zs", "Zl", "Zp"):
            out.append(" ")
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) in glyphs)
            out.append(base or "?")
    return "".join(out)
