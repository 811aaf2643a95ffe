"""The dashboard's pictures, drawn on the server (lib.svgchart); each has a table beside it
on the page carrying the same numbers."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.lib.svgchart import Point, bar_chart

TOP = 12


def _months(figures, index: int, title: str) -> str | None:
    if len(figures.months) < 2:
        return None
    return bar_chart(title, [Point(date_format(month, "M Y"), row[index]) for month, *row in figures.months])


def progress_chart(progress) -> str | None:
    if not progress:
        return None
    return bar_chart(
        _("Capaian masterplan per dimensi (%)"),
        [Point(d.name, round(100 * (d.achievement or 0), 1)) for d in progress],
    )


def executive(figures) -> dict[str, str | None]:
    return {
        "applications": _months(figures, 0, _("Permohonan layanan per bulan")),
        "reports": _months(figures, 1, _("Pengaduan per bulan")),
        "categories": bar_chart(
            _("Pengaduan per kategori"),
            [Point(row.category.name, row.reports) for row in figures.categories[:TOP]],
        )
        if figures.categories
        else None,
        "kelurahan": bar_chart(
            _("Pengaduan per kelurahan"), [Point(row.region.name, row.reports) for row in figures.kelurahan]
        )
        if any(row.reports for row in figures.kelurahan)
        else None,
    }


def transparency(figures) -> dict[str, str | None]:
    ikm = [(row.agency.short_name or row.agency.name, row.ikm) for row in figures.agencies]
    return {
        "applications": _months(figures, 0, _("Permohonan layanan per bulan")),
        "reports": _months(figures, 1, _("Pengaduan per bulan")),
        "ikm": bar_chart(
            _("IKM per perangkat daerah"),
            [Point(name, result.converted) for name, result in ikm if result is not None],
        )
        if any(r for _n, r in ikm)
        else None,
    }
