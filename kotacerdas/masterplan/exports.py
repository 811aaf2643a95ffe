"""The masterplan's programme and indicator tables as a spreadsheet (XLSX) and a report (PDF).

Public data only, like the public pages: no draft programmes, and only realisations Bappeda
has verified (or that come from the platform's own figures). Achievement is computed as on
the pages (queries.achievement): realisation against the year's target, not capped here so
over-achievement shows; the averages per programme and dimension are capped at 100 %.
"""

from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kotacerdas.lib.pdf import PdfReport, PdfSection, PdfTable, render_report
from kotacerdas.masterplan import queries
from kotacerdas.masterplan.models import Programme

PERCENT = "0.0%"


def public_programmes_with_figures():
    """Every public programme with its indicators, targets and verified realisations, in a
    fixed number of queries."""
    return queries.with_figures(queries.public_programmes()).order_by(
        "dimension__order", "subdimension__number", "start_year", "code")


def export_years(programmes: list[Programme]) -> range:
    """The plan's years, widened to any programme that starts before or ends after it."""
    plan = queries.current_plan()
    starts = [p.start_year for p in programmes] + ([plan.start_year] if plan else [])
    ends = [p.end_year for p in programmes] + ([plan.end_year] if plan else [])
    return range(min(starts), max(ends) + 1) if starts else range(0)


def _names(agencies) -> str:
    return ", ".join(a.short_name or a.name for a in agencies)


def _bold_header(sheet, header: list[str]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def masterplan_xlsx(year: int) -> bytes:
    """Sheets "Program" (with the chosen year's progress) and "Indikator" (target,
    verified realisation and achievement for every year of the plan)."""
    programmes = list(public_programmes_with_figures())
    years = export_years(programmes)
    book = Workbook()
    sheet = book.active
    sheet.title = "Program"
    _bold_header(sheet, [
        _("Kode"), _("Program"), _("Dimensi"), _("Sub-dimensi"), _("OPD pengampu"), _("OPD pendukung"),
        _("Jangka"), _("Tahun mulai"), _("Tahun selesai"), _("Sumber anggaran"), _("Anggaran (Rp)"),
        _("Status"),
        _("Indikator bertarget %(year)s") % {"year": year},
        _("Indikator terverifikasi %(year)s") % {"year": year},
        _("Capaian rata-rata %(year)s") % {"year": year},
    ])
    for programme in programmes:
        progress = queries.programme_progress(programme, year)
        sheet.append([
            programme.code, programme.name, programme.dimension.name, programme.subdimension.name,
            programme.lead_agency.name, _names(programme.supporting_agencies.all()),
            programme.get_horizon_display(), programme.start_year, programme.end_year,
            programme.budget_source, programme.budget_amount, programme.get_status_display(),
            progress.indicators, progress.reported, progress.achievement,
        ])
        sheet.cell(sheet.max_row, 15).number_format = PERCENT
    for column, width in enumerate([18, 40, 20, 30, 35, 30, 16, 8, 8, 16, 16, 14, 12, 12, 12], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    sheet = book.create_sheet("Indikator")
    fixed = [_("Kode program"), _("Program"), _("Dimensi"), _("Indikator"), _("Jenis"), _("Satuan"),
             _("Arah"), _("Nilai dasar"), _("Tahun dasar"), _("OPD pelapor")]
    per_year = []
    for each in years:
        per_year += [_("Target %(year)s") % {"year": each}, _("Realisasi %(year)s") % {"year": each},
                     _("Capaian %(year)s") % {"year": each}]
    _bold_header(sheet, fixed + per_year)
    for programme in programmes:
        for indicator in programme.indicators.all():
            row: list = [
                programme.code, programme.name, programme.dimension.name, indicator.name,
                indicator.get_kind_display(), indicator.unit, indicator.get_direction_display(),
                indicator.baseline, indicator.baseline_year, indicator.agency.name,
            ]
            for each in years:
                figures = queries.indicator_year(indicator, each)
                row += [figures.target, figures.realisation.value if figures.realisation else None,
                        figures.achievement]
            sheet.append(row)
            for offset in range(len(years)):
                sheet.cell(sheet.max_row, len(fixed) + 3 * offset + 3).number_format = PERCENT
    for column, width in enumerate([18, 40, 20, 45, 10, 12, 12, 10, 8, 35], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return number_format(value.normalize() if value == value.to_integral() else value, force_grouping=True)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{number_format(round(value * 100, 1), decimal_pos=1)} %"


def masterplan_pdf(year: int) -> bytes:
    """The plan's title and vision, progress per dimension, then per dimension its public
    programmes running in `year` with their indicators' target, verified realisation and
    achievement of that year."""
    plan = queries.current_plan()
    rows = queries.public_figures(year)
    progress = queries.progress_by_dimension(year)
    sections = []
    if plan is not None and plan.vision:
        sections.append(PdfSection(heading=_("Visi"), paragraphs=[plan.vision]))
    sections.append(PdfSection(
        heading=_("Capaian per dimensi, %(year)s") % {"year": year},
        tables=[PdfTable(
            header=[_("Dimensi"), _("Program"), _("Indikator bertarget"), _("Terverifikasi"),
                    _("Capaian rata-rata")],
            rows=[[p.name, str(p.programmes), str(p.indicators), str(p.reported), _percent(p.achievement)]
                  for p in progress],
            widths=[3, 1, 1.3, 1.3, 1.4], numeric=[1, 2, 3, 4],
        )],
    ))
    by_programme: dict[int, list[queries.IndicatorYear]] = {}
    for row in rows:
        by_programme.setdefault(row.indicator.programme_id, []).append(row)
    programmes = {row.indicator.programme_id: row.indicator.programme for row in rows}
    for dimension in progress:
        # Programmes running this year that have indicators (public_figures' rows), in order.
        ids = [pid for pid, p in programmes.items() if p.dimension.code == dimension.code]
        if not ids:
            continue
        sections.append(PdfSection(heading=dimension.name))
        for pid in ids:
            programme = programmes[pid]
            sections.append(PdfSection(
                heading=f"{programme.name} ({programme.code})", level=2,
                paragraphs=[_("%(agency)s · %(horizon)s · %(start)s–%(end)s · %(status)s") % {
                    "agency": programme.lead_agency.name, "horizon": programme.get_horizon_display(),
                    "start": programme.start_year, "end": programme.end_year,
                    "status": programme.get_status_display()}],
                tables=[PdfTable(
                    header=[_("Indikator"), _("Jenis"), _("Satuan"), _("Target %(year)s") % {"year": year},
                            _("Realisasi %(year)s") % {"year": year}, _("Capaian")],
                    rows=[[r.indicator.name, r.indicator.get_kind_display(), r.indicator.unit,
                           _number(r.target), _number(r.realisation.value if r.realisation else None),
                           _percent(r.achievement)]
                          for r in by_programme[pid]],
                    widths=[4, 1.2, 1.2, 1.2, 1.2, 1.2], numeric=[3, 4, 5],
                )],
            ))
    title = plan.title if plan is not None else _("Masterplan kota cerdas")
    report = PdfReport(
        title=title,
        subtitle=_("Laporan capaian tahun %(year)s") % {"year": year},
        sections=sections,
        footer=_("Data publik: tanpa program draf, hanya capaian terverifikasi Bappeda. Dibuat %(when)s.")
        % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
    )
    return render_report(report, document_title=_("%(title)s – %(year)s") % {"title": title, "year": year})
