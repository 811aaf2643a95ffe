"""Reads of the masterplan: who may do what, and how far each indicator, programme,
dimension and OPD has come.

Achievement (capaian kinerja) of an indicator in a year is its verified realisation against
that year's target: realisation / target where higher is better, and (2 × target −
realisation) / target where lower is better (the rule of the government's performance
reports, LKjIP). It is capped at 100 % when averaged, so over-achieving one indicator does
not hide another that lags.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from kotacerdas.accounts.models import User
from kotacerdas.agencies.models import Agency
from kotacerdas.masterplan.models import (
    Dimension,
    Indicator,
    Plan,
    Programme,
    Realisation,
    Target,
)

Status = Realisation.Status


# --- Who may do what ---------------------------------------------------------------------------


def _agency_code(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "membership", None)
    return membership.agency.code if membership else None


def is_planner(user) -> bool:
    """Bappeda (MASTERPLAN_AGENCY) leads the technical team: it verifies realisations and
    keeps the masterplan, the evaluation and the SPBE self-assessment."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or _agency_code(user) == settings.MASTERPLAN_AGENCY


def planners() -> QuerySet[User]:
    return User.objects.filter(
        staff_membership__agency__code=settings.MASTERPLAN_AGENCY, is_active=True
    ).order_by("name")


def may_report(user, indicator: Indicator) -> bool:
    """An OPD enters realisations only for its own indicators."""
    code = _agency_code(user)
    return code is not None and code == indicator.agency.code


# --- What the public and staff see -------------------------------------------------------------


def current_plan() -> Plan | None:
    return Plan.objects.order_by("-start_year", "-pk").first()


def public_programmes() -> QuerySet[Programme]:
    """Drafts are Bappeda's work in progress; everything else is public."""
    return Programme.objects.exclude(status=Programme.Status.DRAFT)


def with_figures(programmes: QuerySet[Programme], *, verified_only: bool = True) -> QuerySet[Programme]:
    realisations = Realisation.objects.all()
    if verified_only:
        realisations = realisations.filter(status=Status.VERIFIED)
    return programmes.select_related("dimension", "subdimension", "lead_agency").prefetch_related(
        "supporting_agencies",
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("agency").prefetch_related(
                Prefetch("targets", queryset=Target.objects.order_by("year")),
                Prefetch("realisations", queryset=realisations.order_by("year")),
            ),
        ),
    )


def programme_for_public(code: str) -> Programme | None:
    return with_figures(public_programmes().filter(code=code)).first()


def programme_for_staff(user, code: str) -> Programme | None:
    """Bappeda sees drafts too; other staff see the public programmes."""
    programmes = Programme.objects.all() if is_planner(user) else public_programmes()
    return with_figures(programmes.filter(code=code), verified_only=False).first()


def indicator_for_reporter(user, indicator_id: int) -> Indicator | None:
    indicator = (
        Indicator.objects.select_related("programme", "agency", "programme__dimension")
        .filter(pk=indicator_id)
        .first()
    )
    if indicator is None or not (may_report(user, indicator) or is_planner(user)):
        return None
    return indicator


def realisation_for_reviewer(user, realisation_id: int) -> Realisation | None:
    if not is_planner(user):
        return None
    return (
        Realisation.objects.select_related("indicator__programme", "indicator__agency", "submitted_by")
        .filter(pk=realisation_id)
        .first()
    )


def review_queue() -> QuerySet[Realisation]:
    return (
        Realisation.objects.filter(status=Status.SUBMITTED)
        .select_related("indicator__programme__dimension", "indicator__agency", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )


def indicators_of(agency: Agency) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(agency=agency)
        .exclude(programme__status__in=[Programme.Status.DRAFT, Programme.Status.CANCELLED])
        .select_related("programme__dimension", "agency")
        .prefetch_related("targets", "realisations")
        .order_by("programme__dimension__order", "programme__code", "order", "pk")
    )


def indicators_due(agency: Agency, today: date) -> list[Indicator]:
    """The agency's indicators with a target this year and no realisation submitted for it
    yet (none, a draft, or one Bappeda returned): what its head is reminded of."""
    year = today.year
    due = []
    for indicator in indicators_of(agency).filter(metric="", targets__year=year):
        realisation = next((r for r in indicator.realisations.all() if r.year == year), None)
        if realisation is None or realisation.status in (Status.DRAFT, Status.RETURNED):
            due.append(indicator)
    return due


# --- Achievement ------------------------------------------------------------------------------


def achievement(*, value: Decimal, target: Decimal, direction: str) -> float:
    """Capaian of one figure against its target, 1.0 = on target (not capped)."""
    if direction == Indicator.Direction.DOWN:
        if target == 0:
            return 1.0 if value <= 0 else 0.0
        return max(float((2 * target - value) / target), 0.0)
    if target == 0:
        return 1.0 if value >= 0 else 0.0
    return max(float(value / target), 0.0)


@dataclass
class IndicatorYear:
    indicator: Indicator
    year: int
    target: Decimal | None
    realisation: Realisation | None  # verified only, on public pages

    @property
    def achievement(self) -> float | None:
        if self.target is None or self.realisation is None:
            return None
        return achievement(
            value=self.realisation.value, target=self.target, direction=self.indicator.direction
        )

    @property
    def capped(self) -> float | None:
        value = self.achievement
        return None if value is None else min(value, 1.0)

    @property
    def percent(self) -> float | None:
        value = self.achievement
        return None if value is None else round(value * 100, 1)


def indicator_year(indicator: Indicator, year: int) -> IndicatorYear:
    """From the prefetched targets and realisations (see with_figures)."""
    target = next((t.value for t in indicator.targets.all() if t.year == year), None)
    realisation = next((r for r in indicator.realisations.all() if r.year == year), None)
    return IndicatorYear(indicator, year, target, realisation)


@dataclass
class Progress:
    """How far a group of indicators came in a year."""

    code: str
    name: str
    programmes: int = 0
    indicators: int = 0  # with a target this year
    reported: int = 0  # of those, with a verified realisation
    _sum: float = 0.0
    programme_codes: set = field(default_factory=set, repr=False)

    @property
    def achievement(self) -> float | None:
        return self._sum / self.reported if self.reported else None

    @property
    def percent(self) -> float | None:
        value = self.achievement
        return None if value is None else round(value * 100, 1)

    def add(self, row: IndicatorYear) -> None:
        self.programme_codes.add(row.indicator.programme_id)
        self.programmes = len(self.programme_codes)
        if row.target is None:
            return
        self.indicators += 1
        if row.capped is not None:
            self.reported += 1
            self._sum += row.capped


def public_figures(year: int) -> list[IndicatorYear]:
    """Every indicator of the public programmes running in `year`, with its target and
    verified realisation, in a fixed number of queries."""
    programmes = with_figures(
        public_programmes()
        .exclude(status=Programme.Status.CANCELLED)
        .filter(start_year__lte=year, end_year__gte=year)
    )
    return [
        indicator_year(indicator, year)
        for programme in programmes
        for indicator in programme.indicators.all()
    ]


def progress_by_dimension(year: int) -> list[Progress]:
    rows = public_figures(year)
    table = {d.code: Progress(d.code, d.name) for d in Dimension.objects.all()}
    for row in rows:
        table[row.indicator.programme.dimension.code].add(row)
    return list(table.values())


def progress_by_agency(year: int) -> list[Progress]:
    """Per OPD that reports indicators (each indicator counts for the OPD that reports it)."""
    table: dict[str, Progress] = {}
    for row in public_figures(year):
        agency = row.indicator.agency
        table.setdefault(agency.code, Progress(agency.code, agency.name)).add(row)
    return sorted(table.values(), key=lambda p: p.name)


def progress_overall(year: int) -> Progress:
    overall = Progress("all", "")
    for row in public_figures(year):
        overall.add(row)
    return overall


def programme_progress(programme: Programme, year: int) -> Progress:
    progress = Progress(programme.code, programme.name)
    for indicator in programme.indicators.all():
        progress.add(indicator_year(indicator, year))
    return progress


@dataclass
class RoadmapBar:
    programme: Programme
    before: range  # empty year columns before the bar
    span: int
    after: range


@dataclass
class RoadmapRow:
    dimension: Dimension
    programmes: list[RoadmapBar]


def roadmap(years: range) -> list[RoadmapRow]:
    """Programmes per dimension laid out over the plan's years."""
    by_dimension: dict[int, list] = defaultdict(list)
    first, last = years.start, years.stop - 1
    programmes = (
        public_programmes()
        .select_related("dimension", "lead_agency")
        .order_by("dimension__order", "start_year", "end_year", "code")
    )
    for programme in programmes:
        start, end = max(programme.start_year, first), min(programme.end_year, last)
        if start > end:
            continue
        by_dimension[programme.dimension_id].append(
            RoadmapBar(programme, range(start - first), end - start + 1, range(last - end))
        )
    return [RoadmapRow(d, by_dimension.get(d.pk, [])) for d in Dimension.objects.all()]


def plan_years(plan: Plan | None, programmes: QuerySet[Programme] | None = None) -> range:
    if plan is not None:
        return range(plan.start_year, plan.end_year + 1)
    years = (programmes or public_programmes()).values_list("start_year", "end_year")
    starts, ends = [s for s, _e in years], [e for _s, e in years]
    return range(min(starts), max(ends) + 1) if starts else range(0)


def search_documents(programmes: QuerySet[Programme] | None = None):
    """Public programmes for the site-wide search (kotacerdas.search)."""
    from kotacerdas.search.sources import Document

    if programmes is None:
        programmes = public_programmes()
    for programme in programmes.select_related("dimension", "subdimension", "lead_agency"):
        summary = (
            f"{programme.dimension.name} · {programme.lead_agency.short_name} · "
            f"{programme.start_year}–{programme.end_year}"
        )
        yield Document(
            kind="programme",
            key=f"programme:{programme.pk}",
            title=programme.name,
            text=" ".join(
                [
                    programme.description,
                    programme.dimension.name,
                    programme.subdimension.name,
                    programme.lead_agency.name,
                    "masterplan kota cerdas smart city program",
                ]
            ),
            summary=summary,
            url=f"/masterplan/program/{programme.code}/",
            agency_id=programme.lead_agency_id,
            published_at=programme.created_at,
        )
