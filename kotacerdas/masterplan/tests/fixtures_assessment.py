"""Set-up for the SPBE, evaluation and export tests: the frameworks, a Bappeda planner, and a
small masterplan with verified, unverified and draft data whose figures are easy to follow.
Test modules take the fixtures with a star import (fixtures must be module names there).

Achievement in 2026 (verified only, public programmes only):
  layanan-daring (governance, short, 2025–2027): output 8/10 = 0.80, outcome 88/80 = 1.10
  (capped 1.00), impact "lower is better" 12 vs 10 = (20 − 12)/10 = 0.80;
  2025: output 7/10 = 0.70
  wifi-taman (living, quick win, 2026): output 50/100 = 0.50; its outcome has only a
  submitted (unverified) 999
  rahasia-draf (draft): a verified realisation nobody outside Bappeda may see
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.agencies.models import Agency
from kotacerdas.conftest import make_staff
from kotacerdas.masterplan.actions import masterplan_load_reference
from kotacerdas.masterplan.models import (
    Dimension,
    Horizon,
    Indicator,
    Plan,
    Programme,
    Realisation,
    SpbeAssessment,
    SpbeIndicator,
    SpbeScore,
    Target,
)

YEAR = 2026


@pytest.fixture
def reference(db) -> None:
    masterplan_load_reference()


@pytest.fixture
def bappeda(db) -> Agency:
    return Agency.objects.create(code="bappeda", short_name="Bappeda", kind="badan",
                                 name="Badan Perencanaan Pembangunan Daerah")


@pytest.fixture
def planner(bappeda) -> User:
    return make_staff("Pratiwi Perencana", "perencana@pemkot.test", bappeda, "verifikator")


@dataclass
class PlanData:
    plan: Plan
    online: Programme
    wifi: Programme
    draft: Programme
    output: Indicator
    outcome: Indicator
    impact: Indicator
    wifi_output: Indicator
    wifi_outcome: Indicator
    secret: Indicator


def _indicator(programme, kind, name, unit, targets, realisations, *, direction="up", order=0) -> Indicator:
    indicator = Indicator.objects.create(programme=programme, kind=kind, name=name, unit=unit,
                                         agency=programme.lead_agency, direction=direction, order=order,
                                         baseline=Decimal(1), baseline_year=2024)
    for year, value in targets.items():
        Target.objects.create(indicator=indicator, year=year, value=Decimal(value))
    for year, (value, status) in realisations.items():
        Realisation.objects.create(indicator=indicator, year=year, value=Decimal(value), status=status)
    return indicator


@pytest.fixture
def plan_data(reference, personas) -> PlanData:
    verified, submitted = Realisation.Status.VERIFIED, Realisation.Status.SUBMITTED
    governance, living = Dimension.objects.get(code="governance"), Dimension.objects.get(code="living")
    plan = Plan.objects.create(title="Masterplan Kota Blitar Cerdas 2024-2033", start_year=2024,
                               end_year=2033, vision="Blitar kota cerdas yang melayani warganya")

    def programme(code, name, dimension, horizon, start, end, status):
        made = Programme.objects.create(
            code=code, name=name, dimension=dimension, subdimension=dimension.subdimensions.first(),
            lead_agency=personas.dukcapil, horizon=horizon, start_year=start, end_year=end, status=status,
            budget_source="APBD", budget_amount=Decimal(150_000_000),
        )
        made.supporting_agencies.add(personas.dpupr)
        return made

    online = programme("layanan-daring", "Layanan adminduk daring", governance, Horizon.SHORT, 2025, 2027,
                       Programme.Status.ONGOING)
    wifi = programme("wifi-taman", "Wi-Fi taman kota", living, Horizon.QUICK_WIN, 2026, 2026,
                     Programme.Status.DONE)
    draft = programme("rahasia-draf", "Program rahasia draf", governance, Horizon.LONG, 2025, 2030,
                      Programme.Status.DRAFT)
    return PlanData(
        plan=plan, online=online, wifi=wifi, draft=draft,
        output=_indicator(online, "output", "Jenis layanan daring", "layanan", {2025: 10, YEAR: 10},
                          {2025: (7, verified), YEAR: (8, verified)}),
        outcome=_indicator(online, "outcome", "Permohonan lewat daring", "%", {YEAR: 80},
                           {YEAR: (88, verified)}, order=1),
        impact=_indicator(online, "impact", "Waktu tunggu loket", "menit", {YEAR: 10}, {YEAR: (12, verified)},
                          direction="down", order=2),
        wifi_output=_indicator(wifi, "output", "Titik Wi-Fi taman aktif", "titik", {YEAR: 100},
                               {YEAR: (50, verified)}),
        wifi_outcome=_indicator(wifi, "outcome", "Pengguna Wi-Fi taman", "orang", {YEAR: 500},
                                {YEAR: (999, submitted)}, order=1),
        secret=_indicator(draft, "output", "Indikator program draf", "dokumen", {YEAR: 1},
                          {YEAR: (1, verified)}),
    )


def spbe_assessment(year: int, levels: dict[int, int] | int, *, final: bool = False) -> SpbeAssessment:
    """An assessment with the given level per indicator number (or one level for all 47)."""
    assessment = SpbeAssessment.objects.create(year=year, is_final=final)
    indicators = SpbeIndicator.objects.all()
    chosen = {i.number: levels for i in indicators} if isinstance(levels, int) else levels
    SpbeScore.objects.bulk_create(
        SpbeScore(assessment=assessment, indicator=i, level=chosen[i.number]) for i in indicators
        if i.number in chosen
    )
    return assessment


def by_domain(levels: dict[int, int]) -> dict[int, int]:
    """Indicator number -> level from domain number -> level."""
    indicators = SpbeIndicator.objects.select_related("aspect__domain")
    return {i.number: levels[i.aspect.domain.number] for i in indicators}
