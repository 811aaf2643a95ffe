from decimal import Decimal

import pytest
import time_machine

from kotacerdas.masterplan import queries
from kotacerdas.masterplan.models import Realisation


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        ("40", "50", "up", 0.8),
        ("60", "50", "up", 1.2),  # over target: shown as 120 %
        ("0", "0", "up", 1.0),
        ("25", "20", "down", 0.75),  # (2 × 20 − 25) / 20: five minutes too slow
        ("15", "20", "down", 1.25),
        ("50", "20", "down", 0.0),  # far worse than the target: not negative
    ],
)
def test_achievement_of_one_figure(value, target, direction, expected):
    assert queries.achievement(
        value=Decimal(value), target=Decimal(target), direction=direction
    ) == pytest.approx(expected)


def _verified(indicator, year, value):
    return Realisation.objects.create(
        indicator=indicator, year=year, value=Decimal(value), status=Realisation.Status.VERIFIED
    )


def test_progress_averages_capped_verified_achievements_only(masterplan):
    _verified(masterplan.output, 2026, "96")  # 120 % counts as 100 %
    _verified(masterplan.outcome, 2026, "25")  # 75 %
    Realisation.objects.create(
        indicator=masterplan.output, year=2025, value=Decimal(10), status=Realisation.Status.SUBMITTED
    )  # not verified: does not count
    governance = next(p for p in queries.progress_by_dimension(2026) if p.code == "governance")
    assert (governance.programmes, governance.indicators, governance.reported) == (1, 2, 2)
    assert governance.percent == 87.5
    assert next(p for p in queries.progress_by_dimension(2025) if p.code == "governance").reported == 0
    by_agency = queries.progress_by_agency(2026)
    assert [(p.code, p.percent) for p in by_agency] == [("dispendukcapil", 87.5)]


def test_drafts_count_nowhere(masterplan):
    draft_indicator = masterplan.draft.indicators.get()
    _verified(draft_indicator, 2026, "1")
    rows = queries.public_figures(2026)
    assert draft_indicator not in [row.indicator for row in rows]
    assert queries.progress_overall(2026).indicators == 2


@time_machine.travel("2026-03-02 09:00 +0700", tick=False)
def test_indicators_due_are_those_without_a_submitted_realisation(masterplan):
    from datetime import date

    assert queries.indicators_due(masterplan.programme.lead_agency, date(2026, 3, 2)) == [
        masterplan.output,
        masterplan.outcome,
    ]
    Realisation.objects.create(
        indicator=masterplan.output, year=2026, value=Decimal(1), status=Realisation.Status.SUBMITTED
    )
    Realisation.objects.create(
        indicator=masterplan.outcome, year=2026, value=Decimal(1), status=Realisation.Status.RETURNED
    )
    assert queries.indicators_due(masterplan.programme.lead_agency, date(2026, 3, 2)) == [masterplan.outcome]
