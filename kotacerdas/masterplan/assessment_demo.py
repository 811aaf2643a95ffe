"""Demo SPBE self-assessments and a demo smart-city evaluation, so a fresh `make run` shows the
two public result pages with something in them. The figures are invented (marked as demo in
each note), not Kota Blitar's results: Bappeda reopens or deletes them.

Call `demo_assessments()` after `masterplan.demo.demo_masterplan()` (it needs the frameworks)."""

from decimal import Decimal

from django.db import transaction

from kotacerdas.masterplan.models import (
    Evaluation,
    EvaluationComponent,
    EvaluationScore,
    SpbeAssessment,
    SpbeIndicator,
    SpbeScore,
)

DEMO_NOTE = "Data contoh, bukan hasil resmi Pemerintah Kota Blitar."

# Level per SPBE domain, per year: a city moving from "Baik" towards "Sangat Baik".
SPBE_DEMO = {
    2023: {1: 3, 2: 2, 3: 2, 4: 3},
    2024: {1: 4, 2: 3, 3: 2, 4: 3},
    2025: {1: 4, 2: 3, 3: 3, 4: 4},
}
# Kominfo's evaluation rounds: component -> judged score.
COMPONENTS = ("baseline", "output", "outcome", "impact", "quick_win")
EVALUATION_DEMO = {
    (2024, 2): dict(zip(COMPONENTS, ("2.90", "3.05", "2.80", "2.75", "3.20"), strict=True)),
    (2025, 2): dict(zip(COMPONENTS, ("3.25", "3.30", "3.10", "2.95", "3.40"), strict=True)),
}


@transaction.atomic
def demo_assessments() -> int:
    """Idempotent: years and rounds already there are left alone. Returns what it added."""
    added = 0
    indicators = list(SpbeIndicator.objects.select_related("aspect__domain"))
    for year, by_domain in SPBE_DEMO.items():
        if not indicators or SpbeAssessment.objects.filter(year=year).exists():
            continue
        assessment = SpbeAssessment.objects.create(year=year, is_final=True, note=DEMO_NOTE)
        SpbeScore.objects.bulk_create(
            SpbeScore(assessment=assessment, indicator=indicator,
                      level=by_domain[indicator.aspect.domain.number], evidence="Bukti contoh.")
            for indicator in indicators
        )
        added += 1
    components = {c.code: c for c in EvaluationComponent.objects.all()}
    for (year, stage), scores in EVALUATION_DEMO.items():
        if not components or Evaluation.objects.filter(year=year, stage=stage).exists():
            continue
        evaluation = Evaluation.objects.create(year=year, stage=stage, is_final=True, note=DEMO_NOTE)
        EvaluationScore.objects.bulk_create(
            EvaluationScore(evaluation=evaluation, component=components[code], score=Decimal(score),
                            basis="Penilaian contoh.")
            for code, score in scores.items() if code in components
        )
        added += 1
    return added
