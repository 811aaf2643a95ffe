"""The SPBE index and Kominfo's smart-city index against worked examples, and their writes."""

from decimal import Decimal

import pytest

from kotacerdas.audit.models import AuditEntry
from kotacerdas.masterplan import assessment
from kotacerdas.masterplan.assessment import (
    Judgement,
    SpbeEntry,
    band_for,
    score_from_achievement,
    score_from_improvement,
    smart_city_index,
    spbe_framework,
    spbe_result,
)
from kotacerdas.masterplan.errors import MasterplanError, MasterplanInvalid, StepNotAllowed
from kotacerdas.masterplan.models import (
    Evaluation,
    EvaluationComponent,
    EvaluationScore,
    SpbeAssessment,
    SpbeBand,
    SpbeIndicator,
    SpbeScore,
)
from kotacerdas.masterplan.tests.fixtures_assessment import *  # noqa: F403 - fixtures
from kotacerdas.masterplan.tests.fixtures_assessment import YEAR, by_domain, spbe_assessment

D = Decimal
KEDIRI_2022 = {"baseline": D("3.60"), "output": D("3.21"), "outcome": D("3.23"), "impact": D("3.07"),
               "quick_win": D("3.65")}
JAMBI_2024 = {"baseline": D("3.84"), "output": D("3.18"), "outcome": D("3.53"), "impact": D("3.63"),
              "quick_win": D("3.35")}


def bands() -> list[tuple[str, Decimal]]:
    return [(b.name, b.minimum) for b in SpbeBand.objects.all()]


def result_of(assessment_: SpbeAssessment):
    return spbe_result(assessment_, spbe_framework())


# --- SPBE formula ------------------------------------------------------------------------------


def test_reference_has_47_indicators_whose_weights_sum_to_100(reference):
    assert SpbeIndicator.objects.count() == 47
    assert sum(i.weight for i in SpbeIndicator.objects.all()) == D(100)


def test_all_47_at_level_3_is_3_00_baik(reference):
    result = result_of(spbe_assessment(2024, 3))

    assert result.index == D(3)
    assert result.rounded == D("3.00")
    assert result.band == "Baik"
    assert (result.scored, result.total, result.is_complete) == (47, 47, True)
    assert [d.rounded for d in result.domains] == [D("3.00")] * 4
    assert [a.rounded for a in result.aspects] == [D("3.00")] * 8


def test_mixed_levels_by_domain_worked_by_hand(reference):
    # Domain weights 13 / 25 / 16.5 / 45.5 at levels 4 / 3 / 2 / 3:
    # (13×4 + 25×3 + 16.5×2 + 45.5×3) / 100 = (52 + 75 + 33 + 136.5) / 100 = 2.965 -> 2.97 Baik
    result = result_of(spbe_assessment(2024, by_domain({1: 4, 2: 3, 3: 2, 4: 3})))

    assert result.index == D("2.965")
    assert result.rounded == D("2.97")
    assert result.band == "Baik"
    assert [(d.number, d.index) for d in result.domains] == [(1, 4), (2, 3), (3, 2), (4, 3)]


def test_aspect_index_is_the_weighted_mean_within_the_aspect(reference):
    # Aspect 2 (indicators 11-14, 2.5 each) at 1, 2, 4, 5 -> 3.00; domain 2 with aspects 3
    # and 4 at level 1: (2.5 × 12 + 15 × 1) / 25 = 45 / 25 = 1.80.
    levels = dict.fromkeys(range(1, 48), 1) | {11: 1, 12: 2, 13: 4, 14: 5}
    result = result_of(spbe_assessment(2024, levels))

    aspect2 = next(a for a in result.aspects if a.number == 2)
    domain2 = next(d for d in result.domains if d.number == 2)
    assert aspect2.index == D(3)
    assert domain2.index == D("1.8")
    # The other 90 % of the weight at level 1: (90 × 1 + 2.5 × (1 + 2 + 4 + 5)) / 100 = 120 / 100
    assert result.index == D("1.2")
    assert result.band == "Kurang"


@pytest.mark.parametrize(("index", "grade"), [
    ("5.00", "Memuaskan"), ("4.32", "Memuaskan"), ("4.20", "Memuaskan"), ("4.195", "Memuaskan"),
    ("4.1949", "Sangat Baik"), ("4.19", "Sangat Baik"), ("3.50", "Sangat Baik"), ("3.495", "Sangat Baik"),
    ("3.49", "Baik"), ("2.79", "Baik"), ("2.60", "Baik"), ("2.59", "Cukup"), ("1.80", "Cukup"),
    ("1.79", "Kurang"), ("1.00", "Kurang"),
])
def test_bands_at_their_boundaries_after_rounding_half_up(reference, index, grade):
    # National 2023: 2.79 = Baik; Kota Jambi 2024: 4.32 = Memuaskan (reference/domain.md §2).
    assert band_for(D(index), bands()) == grade


def test_no_band_without_an_index():
    assert band_for(None, [("Baik", D("2.60"))]) == ""


def test_incomplete_assessment_counts_only_scored_indicators_and_says_so(reference):
    result = result_of(spbe_assessment(2024, dict.fromkeys(range(1, 11), 4)))

    assert result.index == D(4)
    assert (result.scored, result.total) == (10, 47)
    assert not result.is_complete
    assert not result.is_final


def test_assessment_without_scores_has_no_index(reference):
    result = result_of(spbe_assessment(2024, {}))

    assert result.index is None
    assert result.band == ""


def test_admin_edited_weight_changes_the_index(reference):
    levels = dict.fromkeys(range(1, 48), 3) | {1: 5}
    before = result_of(spbe_assessment(2024, levels))
    # (1.3 × 5 + 98.7 × 3) / 100 = 3.026
    assert before.rounded == D("3.03")
    SpbeIndicator.objects.filter(number=1).update(weight=D(50))

    after = result_of(SpbeAssessment.objects.get(year=2024))

    # (50 × 5 + 98.7 × 3) / 148.7 = 546.1 / 148.7 = 3.6725…
    assert after.rounded == D("3.67")
    assert after.band == "Sangat Baik"


def test_admin_edited_band_changes_the_grade(reference):
    all_three = spbe_assessment(2024, 3)
    SpbeBand.objects.filter(name="Baik").update(minimum=D("3.10"))

    assert result_of(all_three).band == "Cukup"


def test_history_compares_each_year_with_the_one_before(reference):
    spbe_assessment(2023, 3, final=True)
    spbe_assessment(2024, by_domain({1: 4, 2: 3, 3: 2, 4: 3}), final=True)
    spbe_assessment(2025, {1: 5})  # a draft: not on the public history

    history = assessment.spbe_history(final_only=True)

    assert [r.year for r in history] == [2024, 2023]
    assert history[0].delta == D("-0.03")
    assert [d.delta for d in history[0].domains] == [D(1), D(0), D(-1), D(0)]
    assert history[1].delta is None


def test_history_costs_the_same_queries_for_more_years(reference, django_assert_num_queries):
    for year in (2021, 2022, 2023):
        spbe_assessment(year, 3, final=True)

    with django_assert_num_queries(4):
        assessment.spbe_history(final_only=True)


# --- SPBE writes -------------------------------------------------------------------------------


def test_planner_creates_a_year_and_it_is_audited(reference, planner):
    made = assessment.spbe_assessment_create(actor=planner, year="2025")

    assert made.year == 2025 and not made.is_final
    assert AuditEntry.objects.filter(action="spbe_assessment_create", object_id=str(made.pk)).exists()


def test_the_same_year_twice_is_refused(reference, planner):
    assessment.spbe_assessment_create(actor=planner, year=2025)

    with pytest.raises(MasterplanInvalid) as refused:
        assessment.spbe_assessment_create(actor=planner, year=2025)
    assert "year" in refused.value.errors


@pytest.mark.parametrize("year", ["dua ribu", "1999", ""])
def test_a_bad_year_is_refused(reference, planner, year):
    with pytest.raises(MasterplanInvalid) as refused:
        assessment.spbe_assessment_create(actor=planner, year=year)
    assert "year" in refused.value.errors


def test_only_bappeda_writes(reference, personas):
    with pytest.raises(MasterplanError):
        assessment.spbe_assessment_create(actor=personas.kepala, year=2025)
    made = SpbeAssessment.objects.create(year=2025)
    with pytest.raises(MasterplanError):
        assessment.spbe_scores_save(actor=personas.kepala, assessment=made, entries={1: SpbeEntry("3")})
    with pytest.raises(MasterplanError):
        assessment.evaluation_create(actor=personas.kepala, year=2025, stage=1)


def test_superuser_counts_as_planner(reference, personas):
    assert assessment.spbe_assessment_create(actor=personas.admin, year=2025).year == 2025


def test_scores_are_saved_changed_and_cleared_with_one_audit_row_each_time(reference, planner):
    made = SpbeAssessment.objects.create(year=2025)

    changed = assessment.spbe_scores_save(actor=planner, assessment=made, entries={
        1: SpbeEntry("3", "Perwali 12/2024", "https://jdih.blitarkota.go.id/perwali-12-2024"),
        2: SpbeEntry("2"), 3: SpbeEntry(""),
    })
    assert changed == 2
    first = SpbeScore.objects.get(assessment=made, indicator__number=1)
    assert (first.level, first.evidence, first.updated_by) == (3, "Perwali 12/2024", planner)

    assert assessment.spbe_scores_save(actor=planner, assessment=made, entries={1: SpbeEntry(
        "3", "Perwali 12/2024", "https://jdih.blitarkota.go.id/perwali-12-2024")}) == 0
    assessment.spbe_scores_save(actor=planner, assessment=made, entries={1: SpbeEntry("4"), 2: SpbeEntry("")})

    stored = SpbeScore.objects.filter(assessment=made).values_list("indicator__number", "level")
    assert list(stored) == [(1, 4)]
    assessment.spbe_scores_save(actor=planner, assessment=made, entries={1: SpbeEntry("4", "Perwali 3/2025")})
    audits = AuditEntry.objects.filter(action="spbe_scores_save", object_id=str(made.pk)).order_by("pk")
    assert [a.changes for a in audits] == [
        {"#1": [None, 3], "#1 bukti": ["", "Perwali 12/2024"],
         "#1 tautan": ["", "https://jdih.blitarkota.go.id/perwali-12-2024"], "#2": [None, 2]},
        {"#1": [3, 4], "#1 bukti": ["Perwali 12/2024", ""],
         "#1 tautan": ["https://jdih.blitarkota.go.id/perwali-12-2024", ""], "#2": [2, None]},
        {"#1 bukti": ["", "Perwali 3/2025"]},
    ]


def test_one_wrong_field_stores_nothing(reference, planner):
    made = SpbeAssessment.objects.create(year=2025)

    with pytest.raises(MasterplanInvalid) as refused:
        assessment.spbe_scores_save(actor=planner, assessment=made, entries={
            1: SpbeEntry("3"), 2: SpbeEntry("6"), 3: SpbeEntry("2", evidence_url="bukan tautan"),
            4: SpbeEntry("", evidence="bukti tanpa tingkat"),
        })

    assert set(refused.value.errors) == {"level-2", "url-3", "level-4"}
    assert not SpbeScore.objects.exists()


def test_finalise_needs_all_47_and_then_locks(reference, planner):
    partial = spbe_assessment(2025, dict.fromkeys(range(1, 47), 3))
    with pytest.raises(MasterplanInvalid) as refused:
        assessment.spbe_assessment_finalise(actor=planner, assessment=partial)
    assert "46" in str(refused.value.errors["__all__"]) and "47" in str(refused.value.errors["__all__"])

    assessment.spbe_scores_save(actor=planner, assessment=partial, entries={47: SpbeEntry("3")})
    final = assessment.spbe_assessment_finalise(actor=planner, assessment=partial)
    assert final.is_final
    with pytest.raises(StepNotAllowed):
        assessment.spbe_scores_save(actor=planner, assessment=final, entries={1: SpbeEntry("5")})
    with pytest.raises(StepNotAllowed):
        assessment.spbe_assessment_finalise(actor=planner, assessment=final)

    reopened = assessment.spbe_assessment_reopen(actor=planner, assessment=final)
    assert not reopened.is_final
    steps = ["spbe_assessment_finalise", "spbe_assessment_reopen"]
    assert AuditEntry.objects.filter(action__in=steps).count() == 2


def test_a_final_assessment_is_not_final_once_the_framework_grows(reference):
    final = spbe_assessment(2024, 3, final=True)
    aspect = SpbeIndicator.objects.get(number=47).aspect
    SpbeIndicator.objects.create(aspect=aspect, number=48, name="Layanan Publik Sektor 4", weight=D(3))

    result = result_of(final)
    assert (result.scored, result.total, result.is_final) == (47, 48, False)


# --- Kominfo's evaluation formula ----------------------------------------------------------------


def weights() -> dict[str, Decimal]:
    return {c.code: c.weight for c in EvaluationComponent.objects.all()}


def test_reference_weights_are_10_20_30_20_20(reference):
    assert weights() == {"baseline": D("0.1"), "output": D("0.2"), "outcome": D("0.3"), "impact": D("0.2"),
                         "quick_win": D("0.2")}


def test_kota_kediri_2022_gives_3_315(reference):
    # Reported as 3.31 (domain.md §1.4): published from unrounded component scores.
    assert smart_city_index(KEDIRI_2022, weights()) == D("3.315")


def test_kota_jambi_2024_gives_3_475(reference):
    # Reported as 3.48.
    assert smart_city_index(JAMBI_2024, weights()) == D("3.475")


def test_admin_edited_component_weight_changes_the_index(reference, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=2022, stage=2)
    assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
        Judgement(code, score=str(score), basis="hasil") for code, score in KEDIRI_2022.items()])
    EvaluationComponent.objects.filter(code="impact").update(weight=D("0.30"))
    EvaluationComponent.objects.filter(code="quick_win").update(weight=D("0.10"))

    assert evaluate(evaluation).index.quantize(D("0.001")) == D("3.257")  # Sleman's weighting


def test_other_weightings_do_not_reproduce_the_published_results():
    sleman = {"baseline": D("0.1"), "output": D("0.2"), "outcome": D("0.3"), "impact": D("0.3"),
              "quick_win": D("0.1")}
    assert smart_city_index(KEDIRI_2022, sleman).quantize(D("0.001")) == D("3.257")
    assert smart_city_index(JAMBI_2024, sleman).quantize(D("0.001")) == D("3.503")


def test_achievement_and_improvement_map_onto_1_to_5():
    assert score_from_achievement(0.0) == D("1.00")
    assert score_from_achievement(0.65) == D("3.60")
    assert score_from_achievement(1.0) == D("5.00")
    assert score_from_achievement(1.4) == D("5.00")
    assert score_from_achievement(None) is None
    assert score_from_improvement(0.775, 0.7) == D("3.60")
    assert score_from_improvement(0.5, 0.5) == D("3.00")
    assert score_from_improvement(1.0, 0.0) == D("5.00")
    assert score_from_improvement(0.0, 1.0) == D("1.00")
    assert score_from_improvement(0.5, None) is None


# --- Kominfo's evaluation from data and judgement ---------------------------------------------------


def evaluate(evaluation: Evaluation):
    components, dimensions = assessment.evaluation_frameworks()
    evaluation = Evaluation.objects.prefetch_related("scores").get(pk=evaluation.pk)
    return assessment.evaluation_result(evaluation, components=components, dimensions=dimensions)


def test_suggestions_come_from_verified_public_data(plan_data):
    suggestions, _cells = assessment.evaluation_suggestions(YEAR)

    # output (0.80 + 0.50) / 2 = 0.65 -> 3.60; outcome 1.00 (the submitted 999 does not count)
    # -> 5.00; impact 0.80 -> 4.20; quick win 0.50 -> 3.00; baseline: overall 0.775 vs 0.70 in
    # 2025 -> 3 + 8 × 0.075 = 3.60. The draft programme's verified realisation counts nowhere.
    assert {code: s.score for code, s in suggestions.items()} == {
        "baseline": D("3.60"), "output": D("3.60"), "outcome": D("5.00"), "impact": D("4.20"),
        "quick_win": D("3.00"),
    }
    assert suggestions["output"].indicators == 2
    assert suggestions["baseline"].previous == pytest.approx(0.7)


def test_index_from_suggestions_then_a_judgement_counts_instead(plan_data, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=YEAR, stage=1)
    result = evaluate(evaluation)
    # 0.1×3.60 + 0.2×3.60 + 0.3×5.00 + 0.2×4.20 + 0.2×3.00 = 4.02
    assert result.index == D("4.02")
    assert {c.component.code: c.source for c in result.components} == dict.fromkeys(weights(), "suggested")

    assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
        Judgement("outcome", score="3,00", basis="Wawancara asesor: pelaksanaan baru separuh rencana aksi."),
    ])
    result = evaluate(evaluation)
    outcome = next(c for c in result.components if c.component.code == "outcome")
    assert (outcome.suggestion.score, outcome.score, outcome.source) == (D("5.00"), D("3.00"), "judged")
    assert result.index == D("3.42")


def test_kediri_worked_example_through_judged_scores(reference, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=2022, stage=2)
    assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
        Judgement(code, score=str(score), basis="Hasil evaluasi Kominfo 2022")
        for code, score in KEDIRI_2022.items()
    ])

    result = evaluate(evaluation)
    assert result.index == D("3.315")
    assert result.shown == D("3.315")
    assert result.is_complete


def test_a_judgement_needs_a_basis_and_a_score_from_1_to_5(reference, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=YEAR, stage=1)

    with pytest.raises(MasterplanInvalid) as refused:
        assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
            Judgement("output", score="3.5"), Judgement("impact", score="7", basis="x"),
            Judgement("outcome", dimension="nowhere", score="3", basis="x"),
            Judgement("quick_win", dimension="living", score="4", basis="Taman Wi-Fi ramai"),
        ])

    assert set(refused.value.errors) == {"output-basis", "impact", "outcome-nowhere"}
    assert not EvaluationScore.objects.exists()


def test_per_dimension_judgement_shows_in_the_dimension_breakdown(plan_data, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=YEAR, stage=1)
    assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
        Judgement("outcome", dimension="living", score="2", basis="Pengguna belum terverifikasi"),
    ])

    result = evaluate(evaluation)
    living = next(d for d in result.dimensions if d.dimension.code == "living")
    outcome = next(c for c in result.components if c.component.code == "outcome")
    assert outcome.by_dimension[living.dimension.pk].score == D(2)
    # living: baseline stands in from the component (3.60), output 0.50 -> 3.00, outcome judged
    # 2, no impact indicator, quick win 3.00: (0.36 + 0.6 + 0.6 + 0.6) / 0.8 = 2.70
    assert living.index == D("2.7")
    assert not living.is_complete
    assert result.index == D("4.02")  # the whole-component scores are unchanged


def test_finalise_stores_the_suggestions_so_later_data_does_not_move_it(plan_data, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=YEAR, stage=2)
    assessment.evaluation_finalise(actor=planner, evaluation=evaluation)

    stored = EvaluationScore.objects.filter(evaluation=evaluation, dimension=None)
    assert {s.component.code: s.score for s in stored} == {
        "baseline": D("3.60"), "output": D("3.60"), "outcome": D("5.00"), "impact": D("4.20"),
        "quick_win": D("3.00"),
    }
    assert all(s.basis.startswith("Dihitung dari data masterplan") for s in stored)
    plan_data.wifi_outcome.realisations.update(status="verified")

    history = assessment.evaluation_history(final_only=True)
    assert [r.shown for r in history] == [D("4.020")]
    with pytest.raises(StepNotAllowed):
        assessment.evaluation_scores_save(actor=planner, evaluation=evaluation,
                                          judgements=[Judgement("output", score="1", basis="x")])


def test_finalise_refuses_a_component_without_any_score(reference, planner):
    evaluation = assessment.evaluation_create(actor=planner, year=2020, stage=1)

    with pytest.raises(MasterplanInvalid) as refused:
        assessment.evaluation_finalise(actor=planner, evaluation=evaluation)
    assert "Baseline" in str(refused.value.errors["__all__"])
    assert not Evaluation.objects.get(pk=evaluation.pk).is_final


def test_evaluation_history_delta_against_the_previous_final_round(reference, planner):
    for year, stage, scores in ((2022, 2, KEDIRI_2022), (2024, 2, JAMBI_2024)):
        evaluation = assessment.evaluation_create(actor=planner, year=year, stage=stage)
        assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
            Judgement(code, score=str(score), basis="hasil") for code, score in scores.items()])
        assessment.evaluation_finalise(actor=planner, evaluation=evaluation)
    assessment.evaluation_create(actor=planner, year=2025, stage=1)  # draft

    history = assessment.evaluation_history(final_only=True)
    assert [(r.evaluation.year, r.shown, r.delta) for r in history] == [
        (2024, D("3.475"), D("0.160")), (2022, D("3.315"), None)]


def test_demo_assessments_are_final_marked_and_idempotent(client, reference):
    from kotacerdas.masterplan.assessment_demo import DEMO_NOTE, demo_assessments

    assert demo_assessments() == 5
    assert demo_assessments() == 0
    history = assessment.spbe_history(final_only=True)
    assert [r.year for r in history] == [2025, 2024, 2023]
    assert all(r.is_final for r in history)
    evaluations = assessment.evaluation_history(final_only=True)
    assert [r.is_final for r in evaluations] == [True, True]
    assert DEMO_NOTE in client.get("/masterplan/spbe/").content.decode()
    assert DEMO_NOTE in client.get("/masterplan/evaluasi/").content.decode()
