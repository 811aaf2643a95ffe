"""Reads of the dashboard: who may see it, the figures summed from the rollups for a period,
OPD and kelurahan, the cases behind a figure, and the weekly digest's content."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max

from kotacerdas.dashboard.actions import month_bounds, period_key
from kotacerdas.dashboard.models import Rollup
from kotacerdas.lib.ikm import IkmResult, ikm_from_totals

# --- Who may see it ---------------------------------------------------------------------------


def may_view_dashboard(user) -> bool:
    """The Wali Kota's office, the Dewan Smart City and OPD heads: superusers, heads and
    admins of any agency, and any staff of the agencies in settings.DASHBOARD_AGENCIES."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    membership = getattr(user, "membership", None)
    if membership is None:
        return False
    return membership.role in ("kepala", "admin") or membership.agency.code in settings.DASHBOARD_AGENCIES


# --- Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str  # as in the URL: "bulan-ini", "2026", "2026-03", ...
    months: tuple[date, ...]

    @property
    def start(self) -> datetime:
        return month_bounds(self.months[0])[0]

    @property
    def end(self) -> datetime:
        return month_bounds(self.months[-1])[1]

    @property
    def first(self) -> date:
        return self.months[0]

    @property
    def is_year(self) -> bool:
        return len(self.months) > 1


def months_of_year(year: int, today: date) -> tuple[date, ...]:
    last = 12 if year < today.year else today.month
    return tuple(date(year, m, 1) for m in range(1, last + 1))


def period_for(key: str, today: date) -> Period:
    """The months a period key names, up to this month. Raises ValueError for anything else."""
    this_month = today.replace(day=1)
    if key in ("", "bulan-ini"):
        return Period("bulan-ini", (this_month,))
    if key == "bulan-lalu":
        last = date(this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1)
        return Period(key, (last,))
    if key == "tahun-ini":
        return Period(key, months_of_year(today.year, today))
    if key == "tahun-lalu":
        return Period(key, months_of_year(today.year - 1, today))
    if len(key) == 4 and key.isdigit():
        year = int(key)
        if 2000 <= year <= today.year:
            return Period(key, months_of_year(year, today))
    if len(key) == 7 and key[4] == "-" and key[:4].isdigit() and key[5:].isdigit():
        year, month = int(key[:4]), int(key[5:])
        if year >= 2000 and 1 <= month <= 12 and date(year, month, 1) <= this_month:
            return Period(key, (date(year, month, 1),))
    raise ValueError(key)


# --- Figures from the rollups -----------------------------------------------------------------


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass
class AgencyRow:
    agency: Any
    applications: int = 0
    finished: int = 0
    on_time: int = 0
    skm: list[int] = field(default_factory=lambda: [0] * 10)
    reports: int = 0
    reports_within: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def within_standard(self) -> float | None:
        return _share(self.on_time, self.finished)

    @property
    def reports_within_sla(self) -> float | None:
        return _share(self.reports_within, self.reports)

    @property
    def ikm(self) -> IkmResult | None:
        return ikm_from_totals(self.skm[1:], self.skm[0])


@dataclass
class KelurahanRow:
    region: Any
    applications: int = 0
    reports: int = 0
    reports_within: int = 0
    reports_open: int = 0
    reports_overdue: int = 0
    hotspots: int = 0
    down: float = 0.0
    possible: float = 0.0

    @property
    def uptime(self) -> float | None:
        return max(0.0, 1 - self.down / self.possible) if self.possible else None

    @property
    def reports_within_sla(self) -> float | None:
        return _share(self.reports_within, self.reports)


@dataclass
class CategoryRow:
    category: Any
    reports: int = 0
    open: int = 0
    overdue: int = 0


@dataclass
class Figures:
    period: Period
    computed_at: datetime | None = None  # the oldest rollup the figures come from
    missing: list[str] = field(default_factory=list)  # months without a rollup yet
    applications: int = 0
    finished: int = 0
    on_time: int = 0
    skm: list[int] = field(default_factory=lambda: [0] * 10)
    reports: int = 0
    reports_answered: int = 0
    reports_within: int = 0
    ppid_requests: int = 0
    ppid_decided: int = 0
    ppid_within: int = 0
    open: dict[str, list[int]] = field(default_factory=dict)  # kind -> [open, overdue]
    hotspots: int = 0
    down: float = 0.0
    possible: float = 0.0
    sessions: int = 0
    users: int = 0
    bytes: int = 0
    datasets: int = 0
    datasets_late: int = 0
    services_published: int = 0
    services_online: int = 0
    agencies: list[AgencyRow] = field(default_factory=list)
    kelurahan: list[KelurahanRow] = field(default_factory=list)
    categories: list[CategoryRow] = field(default_factory=list)
    months: list[tuple[date, int, int]] = field(default_factory=list)  # month, applications, reports

    @property
    def within_standard(self) -> float | None:
        return _share(self.on_time, self.finished)

    @property
    def ikm(self) -> IkmResult | None:
        return ikm_from_totals(self.skm[1:], self.skm[0])

    @property
    def reports_within_sla(self) -> float | None:
        return _share(self.reports_within, self.reports)

    @property
    def ppid_within_deadline(self) -> float | None:
        return _share(self.ppid_within, self.ppid_decided)

    @property
    def wifi_uptime(self) -> float | None:
        return max(0.0, 1 - self.down / self.possible) if self.possible else None

    @property
    def datasets_on_time(self) -> float | None:
        return _share(self.datasets - self.datasets_late, self.datasets)

    @property
    def services_online_share(self) -> float | None:
        return _share(self.services_online, self.services_published)

    def open_of(self, kind: str) -> int:
        return self.open.get(kind, [0, 0])[0]

    def overdue_of(self, kind: str) -> int:
        return self.open.get(kind, [0, 0])[1]


def _ids(key: str) -> list[int]:
    return [int(part) for part in key.split("|")]


def _add(row: list, values) -> None:
    for i, value in enumerate(values):
        row[i] += value


def dashboard_figures(
    *, period: Period, agency_id: int | None = None, kelurahan_id: int | None = None, names: bool = True
) -> Figures:
    """The figures of a period, for one agency and one kelurahan if given, summed from the
    rollups: one query for the rollups and, with ``names``, one each for the agencies,
    kelurahan and categories named in them."""
    wanted = [period_key(month) for month in period.months]
    rollups = {r.period: r for r in Rollup.objects.filter(period__in=[*wanted, Rollup.NOW])}
    figures = Figures(period=period, missing=[key for key in wanted if key not in rollups])
    if rollups:
        figures.computed_at = min(r.computed_at for r in rollups.values())
    agencies: dict[int, AgencyRow] = {}
    places: dict[int, KelurahanRow] = {}
    categories: dict[int, CategoryRow] = {}

    def agency_row(pk: int) -> AgencyRow:
        return agencies.setdefault(pk, AgencyRow(agency=pk))

    def place_row(pk: int) -> KelurahanRow:
        return places.setdefault(pk, KelurahanRow(region=pk))

    def chosen(agency: int | None, kelurahan: int | None) -> bool:
        return (agency_id is None or agency == agency_id) and (
            kelurahan_id is None or kelurahan == kelurahan_id
        )

    for month in period.months:
        rollup = rollups.get(period_key(month))
        if rollup is None:
            figures.months.append((month, 0, 0))
            continue
        cells = rollup.cells
        month_applications = month_reports = 0
        for key, values in cells.get("svc", {}).items():
            agency, kelurahan = _ids(key)
            if chosen(agency, kelurahan):
                figures.applications += values[0]
                figures.finished += values[1]
                figures.on_time += values[2]
                month_applications += values[0]
                row = agency_row(agency)
                row.applications += values[0]
                row.finished += values[1]
                row.on_time += values[2]
                if kelurahan:
                    place_row(kelurahan).applications += values[0]
        if kelurahan_id is None:  # the survey has no kelurahan
            for key, values in cells.get("skm", {}).items():
                (agency,) = _ids(key)
                if agency_id is None or agency == agency_id:
                    _add(figures.skm, values)
                    _add(agency_row(agency).skm, values)
        for key, values in cells.get("rep", {}).items():
            agency, kelurahan, category = _ids(key)
            if chosen(agency, kelurahan):
                figures.reports += values[0]
                figures.reports_answered += values[1]
                figures.reports_within += values[2]
                month_reports += values[0]
                row = agency_row(agency)
                row.reports += values[0]
                row.reports_within += values[2]
                place = place_row(kelurahan)
                place.reports += values[0]
                place.reports_within += values[2]
                categories.setdefault(category, CategoryRow(category=category)).reports += values[0]
        for key, values in cells.get("ppid", {}).items():
            agency, kelurahan = _ids(key)
            if chosen(agency, kelurahan):
                figures.ppid_requests += values[0]
                figures.ppid_decided += values[1]
                figures.ppid_within += values[2]
        # The Wi-Fi network is the city's, not one OPD's: it follows the kelurahan only.
        for key, values in cells.get("wifi", {}).items():
            (kelurahan,) = _ids(key)
            if kelurahan_id is None or kelurahan == kelurahan_id:
                figures.down += values[1]
                figures.possible += values[2]
                wifi_place = place_row(kelurahan)
                wifi_place.hotspots = values[0]
                wifi_place.down += values[1]
                wifi_place.possible += values[2]
        for key, values in cells.get("use", {}).items():
            (kelurahan,) = _ids(key)
            if kelurahan_id is None or kelurahan == kelurahan_id:
                figures.sessions += values[0]
                figures.users += values[1]
                figures.bytes += values[2] + values[3]
        figures.months.append((month, month_applications, month_reports))

    now = rollups.get(Rollup.NOW)
    if now is not None:
        for key, values in now.cells.get("open", {}).items():
            kind, *rest = key.split("|")
            agency, kelurahan, category = (int(part) for part in rest)
            if chosen(agency, kelurahan):
                _add(figures.open.setdefault(kind, [0, 0]), values)
                row = agency_row(agency)
                row.open += values[0]
                row.overdue += values[1]
                if kind == "report":
                    place = place_row(kelurahan)
                    place.reports_open += values[0]
                    place.reports_overdue += values[1]
                    found = categories.setdefault(category, CategoryRow(category=category))
                    found.open += values[0]
                    found.overdue += values[1]
        for key, values in now.cells.get("data", {}).items():
            (agency,) = _ids(key)
            if agency_id is None or agency == agency_id:
                figures.datasets += values[0]
                figures.datasets_late += values[1]
        figures.services_published, figures.services_online = now.cells.get("online", [0, 0])
    figures.hotspots = sum(row.hotspots for row in places.values())

    if names:
        _name_rows(figures, agencies, places, categories)
    return figures


def _name_rows(figures: Figures, agencies: dict, places: dict, categories: dict) -> None:
    from kotacerdas.agencies.models import Agency
    from kotacerdas.regions.queries import kelurahan_choices
    from kotacerdas.reports.queries import categories_by_id

    by_pk = {a.pk: a for a in Agency.objects.filter(pk__in=[pk for pk in agencies if pk])}
    figures.agencies = sorted(
        (
            row
            for pk, row in agencies.items()
            if pk in by_pk and (row.applications or row.reports or row.open or row.skm[0])
        ),
        key=lambda row: by_pk[row.agency].name,
    )
    for row in figures.agencies:
        row.agency = by_pk[row.agency]
    regions = {
        r.pk: r for r in kelurahan_choices().only("pk", "code", "name", "centroid_lat", "centroid_lon")
    }
    figures.kelurahan = sorted(
        (place for pk, place in places.items() if pk in regions), key=lambda place: regions[place.region].name
    )
    for place in figures.kelurahan:
        place.region = regions[place.region]
    if categories:
        named = categories_by_id()
        figures.categories = sorted(
            (found for pk, found in categories.items() if pk in named),
            key=lambda found: (-found.reports, -found.open),
        )
        for found in figures.categories:
            found.category = named[found.category]


def rollups_version() -> str:
    """Changes whenever the worker rewrites a rollup (every few minutes): the key under which
    rendered figures may be cached. One small query (the table holds a row per month)."""
    newest = Rollup.objects.aggregate(newest=Max("computed_at"), n=Count("id"))
    return f"{newest['n']}:{newest['newest'].timestamp() if newest['newest'] else 0}"


def rollup_status() -> dict:
    """How fresh the rollups are: the oldest and newest computed_at and the time the last
    full set took to compute (the sum of each rollup's seconds)."""
    rows = list(Rollup.objects.values_list("computed_at", "seconds"))
    if not rows:
        return {"rollups": 0, "oldest": None, "newest": None, "seconds": 0.0}
    return {
        "rollups": len(rows),
        "oldest": min(r[0] for r in rows),
        "newest": max(r[0] for r in rows),
        "seconds": sum(r[1] for r in rows),
    }


# --- Masterplan ------------------------------------------------------------------------------


def masterplan_progress(year: int) -> list | None:
    """Progress per smart-city dimension, from the masterplan when it is installed and
    offers it; None otherwise (the panel is left out)."""
    if not apps.is_installed("kotacerdas.masterplan"):
        return None
    try:
        from kotacerdas.masterplan.queries import progress_by_dimension
    except ImportError:
        return None
    return list(progress_by_dimension(year))


def indicators_due(agency, today: date) -> list:
    """The masterplan indicators of ``agency`` still lacking a submitted realisation for
    this year (kotacerdas.masterplan.queries.indicators_due); empty while the masterplan
    does not offer it. The hook the weekly digest reads."""
    if not apps.is_installed("kotacerdas.masterplan"):
        return []
    try:
        from kotacerdas.masterplan.queries import indicators_due as masterplan_indicators_due
    except ImportError:
        return []
    return list(masterplan_indicators_due(agency, today))


# --- The cases behind a figure ----------------------------------------------------------------

STATES = {"terbuka": "open", "terlambat": "overdue", "selesai": "finished"}
KINDS = ("service", "report", "information")


def drilldown(
    *,
    kind: str,
    state: str,
    agency_id: int | None,
    kelurahan_id: int | None,
    period: Period | None,
    today: date,
):
    """The cases behind a figure. No personal data leaves here: the list shows codes,
    titles (a service's or category's name; a PPID request's title is the requester's own
    words, so the page shows its kind instead), places and dates."""
    from kotacerdas.cases.queries import dashboard_cases

    rows = dashboard_cases(
        kind=kind,
        state=STATES.get(state, ""),
        agency_ids=None if agency_id is None else [agency_id],
        kelurahan_id=kelurahan_id,
        start=period.start if period else None,
        end=period.end if period else None,
        today=today,
    )
    return rows.only(
        "kind",
        "tracking_code",
        "title",
        "status",
        "submitted_at",
        "due_date",
        "resolved_at",
        "paused_since",
        "agency__short_name",
        "agency__name",
        "agency__code",
        "kelurahan__name",
    )


# --- Weekly digest ---------------------------------------------------------------------------

DIGEST_CASES = 10


@dataclass
class Digest:
    agency: Any
    week: date
    overdue_total: int
    overdue: list
    indicators: list

    @property
    def is_empty(self) -> bool:
        return not self.overdue_total and not self.indicators


def digest_recipients():
    from kotacerdas.accounts.queries import agency_heads

    return agency_heads()


def digest_content(*, user, today: date) -> Digest:
    from kotacerdas.cases.queries import dashboard_cases
    from kotacerdas.dashboard.actions import week_of

    agency = user.membership.agency
    overdue = dashboard_cases(state="overdue", agency_ids=[agency.pk], today=today).order_by("due_date", "id")
    return Digest(
        agency=agency,
        week=week_of(today),
        overdue_total=overdue.count(),
        overdue=list(overdue[:DIGEST_CASES]),
        indicators=indicators_due(agency, today),
    )


def first_month_with_data() -> date | None:
    first = (
        Rollup.objects.exclude(period=Rollup.NOW).order_by("period").values_list("period", flat=True).first()
    )
    return date(int(first[:4]), int(first[5:]), 1) if first else None


def year_choices(today: date) -> list[int]:
    first = first_month_with_data()
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))
