"""Every live figure of the platform by name, so the masterplan's indicators can take their
realisation from the system instead of someone re-typing it.

``metric_value(key, year)`` computes a figure for one calendar year from the other apps'
queries. The two that read every case of the year (services_within_standard,
reports_within_sla: seconds on a million reports) come from the dashboard's rollups
(kotacerdas.dashboard.actions) when every month of that year has one — at most a few minutes
old — and straight from the cases otherwise; the tests hold the two equal.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.ikm import ikm_from_totals

# Days after which a dataset with this update frequency (opendata Frequency) counts as late:
# the period plus a short grace. "tidak_tentu" is never late.
UPDATE_GRACE_DAYS = {
    "harian": 2,
    "mingguan": 10,
    "bulanan": 35,
    "triwulanan": 100,
    "semesteran": 190,
    "tahunan": 380,
}


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    unit: str
    description: Promise


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January 00:00, next 1 January 00:00) in the city's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


def percent(part: float, whole: float) -> float | None:
    return 100 * part / whole if whole else None


def services_online_share(year: int) -> float | None:
    # The catalogue keeps no history: this is the share now, whatever the year.
    from kotacerdas.services.queries import online_share

    published, online = online_share()
    return percent(online, published)


def _rolled_up(year: int, group: str, part: int, whole: int) -> float | None | bool:
    """100 x sum(part) / sum(whole) over a year's month rollups of one cell group; False when
    a month of the year (up to this one) has no rollup yet."""
    from django.utils import timezone

    from kotacerdas.dashboard.models import Rollup

    today = timezone.localdate()
    last = 12 if year < today.year else today.month
    if year > today.year:
        return False
    wanted = [f"{year}-{month:02d}" for month in range(1, last + 1)]
    rows = list(Rollup.objects.filter(period__in=wanted).values_list("cells", flat=True))
    if len(rows) != len(wanted):
        return False
    totals = [0, 0]
    for cells in rows:
        for values in cells.get(group, {}).values():
            totals[0] += values[part]
            totals[1] += values[whole]
    return percent(totals[0], totals[1])


def services_within_standard(year: int) -> float | None:
    from kotacerdas.services.queries import application_rows

    rolled = _rolled_up(year, "svc", part=2, whole=1)
    if rolled is not False:
        return rolled
    finished = on_time = 0
    for _agency, _kelurahan, done, in_time in application_rows(*year_bounds(year)):
        finished += done
        on_time += in_time
    return percent(on_time, finished)


def ikm_city(year: int) -> float | None:
    from kotacerdas.services.queries import survey_totals_by_agency

    rows = survey_totals_by_agency(*year_bounds(year))
    totals = [sum(row[f"u{i}"] for row in rows) for i in range(1, 10)]
    result = ikm_from_totals(totals, sum(row["n"] for row in rows))
    return result.converted if result else None


def reports_within_sla(year: int) -> float | None:
    from kotacerdas.reports.queries import report_rows

    rolled = _rolled_up(year, "rep", part=2, whole=0)
    if rolled is not False:
        return rolled
    received = within = 0
    for _agency, _kelurahan, _category, _answered, in_time in report_rows(*year_bounds(year)):
        received += 1
        within += in_time
    return percent(within, received)


def ppid_within_deadline(year: int) -> float | None:
    from kotacerdas.information.queries import request_rows

    decided = within = 0
    for _agency, _kelurahan, done, in_time in request_rows(*year_bounds(year)):
        decided += done
        within += in_time
    return percent(within, decided)


def wifi_uptime(year: int) -> float | None:
    from kotacerdas.wifi.uptime import uptime_city

    share = uptime_city(date(year, 1, 1), date(year, 12, 31))
    return None if share is None else 100 * share


def datasets_published(year: int) -> float | None:
    """Public datasets at the end of that year (or now, for this year)."""
    from kotacerdas.opendata.queries import public_datasets

    _start, end = year_bounds(year)
    return float(
        sum(
            1
            for published_at in public_datasets().values_list("published_at", flat=True)
            if published_at is None or published_at < end
        )
    )


def dataset_is_late(frequency: str, modified_at: datetime, now: datetime) -> bool:
    grace = UPDATE_GRACE_DAYS.get(frequency)
    return grace is not None and (now - modified_at).days > grace


def datasets_on_time(year: int) -> float | None:
    # Whether a dataset is kept up to date is a state now, not a yearly figure.
    from django.utils import timezone

    from kotacerdas.opendata.queries import public_datasets

    now = timezone.now()
    rows = list(public_datasets().values_list("frequency", "modified_at"))
    late = sum(dataset_is_late(frequency, modified, now) for frequency, modified in rows)
    return percent(len(rows) - late, len(rows))


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric(
            "services_online_share",
            _("Layanan yang bisa sepenuhnya daring"),
            "%",
            _("Bagian layanan terbit yang dapat diurus sepenuhnya secara daring (saat ini)."),
        ),
        Metric(
            "services_within_standard",
            _("Permohonan selesai tepat waktu"),
            "%",
            _("Bagian permohonan selesai dalam tahun itu yang selesai dalam waktu standar."),
        ),
        Metric(
            "ikm_city",
            _("Indeks Kepuasan Masyarakat kota"),
            "indeks",
            _("IKM seluruh OPD dari SKM tahun itu, skala 25–100 (PermenPANRB 14/2017)."),
        ),
        Metric(
            "reports_within_sla",
            _("Pengaduan dijawab tepat waktu"),
            "%",
            _("Bagian pengaduan tahun itu yang dijawab sebelum batas waktunya."),
        ),
        Metric(
            "ppid_within_deadline",
            _("Permohonan informasi diputus tepat waktu"),
            "%",
            _("Bagian permohonan informasi yang diputus dalam batas waktu UU KIP."),
        ),
        Metric(
            "wifi_uptime",
            _("Ketersediaan Wi-Fi publik"),
            "%",
            _("Bagian waktu titik Wi-Fi aktif menyala sepanjang tahun itu sampai saat ini."),
        ),
        Metric(
            "datasets_published",
            _("Dataset terbuka terbit"),
            "dataset",
            _("Jumlah dataset publik di portal data terbuka pada akhir tahun itu."),
        ),
        Metric(
            "datasets_on_time",
            _("Dataset diperbarui tepat waktu"),
            "%",
            _("Bagian dataset publik yang diperbarui sesuai frekuensinya (saat ini)."),
        ),
    ]
}

_COMPUTE: dict[str, Callable[[int], float | None]] = {
    "services_online_share": services_online_share,
    "services_within_standard": services_within_standard,
    "ikm_city": ikm_city,
    "reports_within_sla": reports_within_sla,
    "ppid_within_deadline": ppid_within_deadline,
    "wifi_uptime": wifi_uptime,
    "datasets_published": datasets_published,
    "datasets_on_time": datasets_on_time,
}


def metric_value(key: str, year: int) -> float | None:
    """The figure named ``key`` for calendar ``year``; None when there is no data.
    Raises KeyError for an unknown key."""
    if key not in METRICS:
        raise KeyError(key)
    return _COMPUTE[key](year)
