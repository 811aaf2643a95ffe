"""Kominfo's evaluation: Bappeda sees the suggestion from the data beside its judgement; the
public sees final rounds only."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.masterplan import assessment
from kotacerdas.masterplan.assessment import Judgement
from kotacerdas.masterplan.models import Evaluation, EvaluationScore
from kotacerdas.masterplan.tests.fixtures_assessment import *  # noqa: F403 - fixtures
from kotacerdas.masterplan.tests.fixtures_assessment import YEAR

PUBLIC = "/masterplan/evaluasi/"
MANAGE = "/masterplan/kelola/evaluasi/"
KEDIRI_2022 = {"baseline": "3.60", "output": "3.21", "outcome": "3.23", "impact": "3.07", "quick_win": "3.65"}
JAMBI_2024 = {"baseline": "3.84", "output": "3.18", "outcome": "3.53", "impact": "3.63", "quick_win": "3.35"}


def final_round(planner, year: int, stage: int, scores: dict[str, str]) -> Evaluation:
    evaluation = assessment.evaluation_create(actor=planner, year=year, stage=stage)
    assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
        Judgement(code, score=score, basis=f"Surat hasil evaluasi {year}") for code, score in scores.items()])
    return assessment.evaluation_finalise(actor=planner, evaluation=evaluation)


def test_public_page_shows_final_rounds_with_weights_and_change(client, reference, planner):
    final_round(planner, 2022, 2, KEDIRI_2022)
    final_round(planner, 2024, 2, JAMBI_2024)
    assessment.evaluation_create(actor=planner, year=2025, stage=1)  # draft

    page = client.get(PUBLIC).content.decode()

    assert "Hasil 2024 tahap 2" in page
    assert "3,475" in page and "3,315" in page
    assert "+0,160" in page
    assert "0,30" in page  # the outcome weight
    assert "Surat hasil evaluasi 2024" in page
    assert "2025 / 1" not in page
    assert "<svg" in page


def test_public_page_breaks_down_by_dimension_only_where_judged(client, reference, planner):
    final_round(planner, 2024, 2, JAMBI_2024)
    assert "Indeks per dimensi" not in client.get(PUBLIC).content.decode()

    evaluation = Evaluation.objects.get(year=2024, stage=2)
    assessment.evaluation_reopen(actor=planner, evaluation=evaluation)
    assessment.evaluation_scores_save(actor=planner, evaluation=evaluation, judgements=[
        Judgement(code, dimension="living", score="3", basis="Wawancara Dishub dan Dinkes")
        for code in ("output", "outcome", "impact", "quick_win")])
    assessment.evaluation_finalise(actor=planner, evaluation=evaluation)

    page = client.get(PUBLIC).content.decode()
    assert "Indeks per dimensi" in page
    # Living: baseline 3.84 from the component, the rest judged 3: 0.384 + 0.9 × 3 = 3.084
    assert "Smart Living" in page and "3,084" in page
    assert "Smart Branding" not in page


def test_public_page_without_final_rounds(client, reference, planner):
    assessment.evaluation_create(actor=planner, year=2025, stage=1)

    assert "Belum ada hasil evaluasi yang final." in client.get(PUBLIC).content.decode()


def test_public_page_queries_do_not_grow_with_rounds(client, reference, planner,
                                                     django_assert_max_num_queries):
    final_round(planner, 2022, 1, KEDIRI_2022)
    with CaptureQueriesContext(connection) as one_round:
        client.get(PUBLIC)
    final_round(planner, 2022, 2, KEDIRI_2022)
    final_round(planner, 2023, 1, JAMBI_2024)
    final_round(planner, 2024, 2, JAMBI_2024)

    with django_assert_max_num_queries(len(one_round.captured_queries)):
        assert client.get(PUBLIC).status_code == 200
    assert len(one_round.captured_queries) <= 5


def test_staff_pages_are_bappeda_only(client, reference, personas, planner, staff_client):
    Evaluation.objects.create(year=YEAR, stage=1)
    assert client.get(MANAGE).status_code == 302

    other = staff_client(personas.kepala)
    for url in (MANAGE, f"{MANAGE}{YEAR}/1/"):
        assert other.get(url).status_code == 404
    assert other.post(f"{MANAGE}{YEAR}/1/", {"score-output": "5", "basis-output": "x"}).status_code == 404
    assert other.post(f"{MANAGE}{YEAR}/1/final/").status_code == 404
    assert not EvaluationScore.objects.exists()


def test_form_shows_suggestion_and_judgement_and_which_counts(plan_data, planner, staff_client):
    client = staff_client(planner)
    assert client.post(MANAGE, {"year": str(YEAR), "stage": "1"})["Location"] == f"{MANAGE}{YEAR}/1/"

    page = client.get(f"{MANAGE}{YEAR}/1/").content.decode()
    assert "4,020" in page  # from the suggestions alone (see test_assessment)
    assert "5,00" in page and "saran dari data" in page

    response = client.post(f"{MANAGE}{YEAR}/1/", {
        "score-outcome": "3", "basis-outcome": "Asesor: separuh rencana aksi berjalan.",
        "score-output": "", "basis-output": "",
    })
    assert response.status_code == 302
    page = client.get(f"{MANAGE}{YEAR}/1/").content.decode()
    assert "3,420" in page
    assert "nilai Bappeda" in page
    assert "Asesor: separuh rencana aksi berjalan." in page
    outcome = EvaluationScore.objects.get(component__code="outcome", dimension=None)
    assert (outcome.score, outcome.updated_by) == (Decimal("3.00"), planner)


def test_a_judgement_without_basis_keeps_what_was_typed(plan_data, planner, staff_client):
    Evaluation.objects.create(year=YEAR, stage=1)

    response = staff_client(planner).post(f"{MANAGE}{YEAR}/1/", {
        "score-impact": "2,5", "basis-impact": "", "score-output": "4", "basis-output": "Perwali terbit",
        "score-outcome-living": "9", "basis-outcome-living": "terlalu tinggi",
    })

    page = response.content.decode()
    assert response.status_code == 400
    assert "Tuliskan dasar penilaiannya." in page
    assert 'value="2,5"' in page and "Perwali terbit" in page and "terlalu tinggi" in page
    assert not EvaluationScore.objects.exists()


def test_finalise_freezes_and_publishes(client, plan_data, planner, staff_client):
    Evaluation.objects.create(year=YEAR, stage=2)
    staff = staff_client(planner)

    response = staff.post(f"{MANAGE}{YEAR}/2/final/", {"note": "Hasil rapat tim teknis 12 Juni."})
    assert response.status_code == 302
    assert Evaluation.objects.get(year=YEAR, stage=2).is_final
    page = client.get(PUBLIC).content.decode()
    assert "4,020" in page and "Dihitung dari data masterplan" in page
    assert "Hasil rapat tim teknis 12 Juni." in page
    evaluation = Evaluation.objects.get(year=YEAR, stage=2)
    assert evaluation.scores.filter(is_computed=True).count() == 5
    staff.post(f"{MANAGE}{YEAR}/2/buka/")
    evaluation.refresh_from_db()
    assert not evaluation.is_final
    # Reopened, the round follows the data again: the frozen figures are released.
    assert not evaluation.scores.exists()


@pytest.mark.parametrize("rounds", [1, 4])
def test_staff_list_and_form_query_budget(plan_data, planner, staff_client, django_assert_max_num_queries,
                                          rounds):
    for n in range(rounds):
        Evaluation.objects.create(year=2020 + n, stage=1)
    Evaluation.objects.create(year=YEAR, stage=1)
    client = staff_client(planner)

    with django_assert_max_num_queries(12):
        assert client.get(MANAGE).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(f"{MANAGE}{YEAR}/1/").status_code == 200
