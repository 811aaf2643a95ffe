import pytest
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.ikm import ELEMENTS, IkmResult, grade_for, ikm, ikm_from_totals

GRADE_ORDER = "DCBA"

# Worked example, 29 respondents, in rennn9/GASPUL_BACKEND rumus_perhitungan_ikm_lengkap.md
# ("Tabel perhitungan lengkap triwulan III"): how many respondents gave each score, per
# element, with the published element totals, NRR (4 decimals) and IKM.
PUBLISHED_COUNTS = [  # {score: respondents} for U1..U9
    {4: 18, 3: 11},
    {4: 14, 3: 15},
    {4: 15, 3: 12, 2: 2},
    {4: 29},
    {4: 15, 3: 14},
    {4: 18, 3: 11},
    {4: 19, 3: 10},
    {4: 18, 3: 11},
    {4: 28, 3: 1},
]
PUBLISHED_TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]
PUBLISHED_NRR = [3.6207, 3.4828, 3.4483, 4.0000, 3.5172, 3.6207, 3.6552, 3.6207, 3.9655]
PUBLISHED_INDEX = 3.6590
PUBLISHED_IKM = 91.48
# The same document's weighted column multiplies the 4-decimal NRR by 0.11 and arrives at
# 90.56 instead; it notes the difference as rounding.
PUBLISHED_IKM_WITH_0_11 = 90.56


def published_responses() -> list[list[int]]:
    """29 responses that give exactly the published counts per element."""
    columns = [
        [score for score in (4, 3, 2, 1) for _ in range(counts.get(score, 0))] for counts in PUBLISHED_COUNTS
    ]
    return [list(row) for row in zip(*columns, strict=True)]


def test_published_example_of_29_respondents() -> None:
    result = ikm_from_totals(PUBLISHED_TOTALS, 29)

    assert result is not None
    assert result.respondents == 29
    assert [round(value, 4) for value in result.nrr] == PUBLISHED_NRR
    assert round(result.index, 4) == PUBLISHED_INDEX
    assert result.converted == PUBLISHED_IKM
    assert result.grade == "A"
    with translation.override("id"):
        assert str(result.performance) == "Sangat baik"


def test_published_responses_give_the_published_totals_and_the_same_result() -> None:
    responses = published_responses()
    assert len(responses) == 29
    assert [sum(column) for column in zip(*responses, strict=True)] == PUBLISHED_TOTALS
    assert ikm(responses) == ikm_from_totals(PUBLISHED_TOTALS, 29)


def test_the_0_11_figure_of_the_same_source_comes_from_the_rounded_weight() -> None:
    # Why we do not multiply by a rounded weight: it reproduces the other published figure,
    # about one point lower, and would cap a perfect score below 100.
    assert round(sum(nrr * 0.11 for nrr in PUBLISHED_NRR) * 25, 2) == PUBLISHED_IKM_WITH_0_11
    assert round(4 * ELEMENTS * 0.111 * 25, 2) == 99.9


def test_single_respondent_all_fours_is_100_sangat_baik() -> None:
    # Dispendukcapil Tulang Bawang Barat, SKM 2023 semester 1 (e-smile.tubaba.go.id): one
    # respondent, 4 on every element, "IKM unit pelayanan 100 (Sangat Baik)".
    result = ikm([[4] * ELEMENTS])
    assert result is not None
    assert (result.index, result.converted, result.grade) == (4.0, 100.0, "A")
    assert result.nrr == (4.0,) * ELEMENTS
    with translation.override("id"):
        assert str(result.performance) == "Sangat baik"


def test_all_ones_is_25_tidak_baik() -> None:
    result = ikm([[1] * ELEMENTS] * 7)
    assert result is not None
    assert (result.index, result.converted, result.grade) == (1.0, 25.0, "D")
    with translation.override("id"):
        assert str(result.performance) == "Tidak baik"


def test_all_threes_is_75_kurang_baik() -> None:
    # A "baik" (3) on every answer is only grade C: the bands are on the converted scale.
    result = ikm([[3] * ELEMENTS] * 3)
    assert result is not None
    assert (result.converted, result.grade) == (75.0, "C")


def test_no_respondents_means_no_index() -> None:
    assert ikm([]) is None
    assert ikm_from_totals([0] * ELEMENTS, 0) is None


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        (25.0, "D"),
        (64.99, "D"),
        (64.994, "D"),
        (64.995, "C"),
        (65.0, "C"),
        (76.6, "C"),
        (76.604, "C"),
        (76.605, "B"),
        (76.61, "B"),
        (88.3, "B"),
        (88.304, "B"),
        (88.305, "A"),
        (88.31, "A"),
        (100.0, "A"),
        (24.995, "D"),
        (100.004, "A"),
    ],
)
def test_band_boundaries_after_rounding_half_up(converted: float, grade: str) -> None:
    assert grade_for(converted)[0] == grade


@pytest.mark.parametrize("converted", [24.99, 0.0, 100.005, 125.0])
def test_grade_outside_the_scale_is_an_error(converted: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        grade_for(converted)


@pytest.mark.parametrize(
    ("totals", "converted", "grade"),
    [
        # 5000 respondents whose totals put the converted value exactly on a half cent at
        # each band boundary: it is reported rounded up and graded with the upper band.
        ([13000] * 8 + [12991], 65.0, "C"),  # exactly 64.995
        ([15321] * 9, 76.61, "B"),  # exactly 76.605
        ([17661] * 9, 88.31, "A"),  # exactly 88.305
    ],
)
def test_exact_half_cent_at_a_boundary_rounds_up(totals: list[int], converted: float, grade: str) -> None:
    result = ikm_from_totals(totals, 5000)
    assert result is not None
    assert (result.converted, result.grade) == (converted, grade)


def test_halves_are_rounded_up_not_to_even() -> None:
    # 40 respondents, 41 points per element: exactly 25.625. Python's round() gives 25.62
    # (half to even, on a binary float); Excel's ROUND and the officer's calculator 25.63.
    result = ikm_from_totals([41] * ELEMENTS, 40)
    assert result is not None
    assert result.converted == 25.63


def test_grades_come_with_lazy_indonesian_labels() -> None:
    with translation.override("id"):
        labels = {grade_for(value)[0]: str(grade_for(value)[1]) for value in (95, 80, 70, 50)}
    assert labels == {"A": "Sangat baik", "B": "Baik", "C": "Kurang baik", "D": "Tidak baik"}
    assert isinstance(grade_for(95)[1], Promise)


@pytest.mark.parametrize(
    "response",
    [
        [4] * 8,
        [4] * 10,
        [4] * 8 + [5],
        [0] + [4] * 8,
        [4] * 8 + [3.0],
        [4] * 8 + [True],
        [4] * 8 + ["4"],
        [4] * 8 + [None],
    ],
)
def test_bad_response_is_refused(response: list) -> None:
    with pytest.raises(ValueError, match="response 2"):
        ikm([[4] * ELEMENTS, response])


@pytest.mark.parametrize(
    ("totals", "respondents"),
    [
        ([10] * 8, 5),  # eight elements
        ([10] * 10, 5),
        ([4] * 9, 5),  # less than 1 per respondent
        ([21] * 9, 5),  # more than 4 per respondent
        ([10] * 9, -1),
    ],
)
def test_impossible_totals_are_refused(totals: list[int], respondents: int) -> None:
    with pytest.raises(ValueError):
        ikm_from_totals(totals, respondents)


scores = st.integers(min_value=1, max_value=4)
responses = st.lists(st.lists(scores, min_size=ELEMENTS, max_size=ELEMENTS), min_size=1, max_size=40)


def result_of(data: list[list[int]]) -> IkmResult:
    result = ikm(data)
    assert result is not None
    return result


@given(responses)
def test_converted_stays_within_25_and_100_and_matches_its_grade(data: list[list[int]]) -> None:
    result = result_of(data)
    assert 1 <= result.index <= 4
    assert 25 <= result.converted <= 100
    assert result.converted == round(result.converted, 2)
    assert all(1 <= value <= 4 for value in result.nrr)
    assert grade_for(result.converted)[0] == result.grade


@given(responses)
def test_ikm_equals_ikm_from_totals(data: list[list[int]]) -> None:
    totals = [sum(column) for column in zip(*data, strict=True)]
    assert ikm(data) == ikm_from_totals(totals, len(data))


@given(responses, st.data())
def test_raising_any_score_never_lowers_the_result(data: list[list[int]], draw: st.DataObject) -> None:
    respondent = draw.draw(st.integers(0, len(data) - 1))
    element = draw.draw(st.integers(0, ELEMENTS - 1))
    if data[respondent][element] == 4:
        return
    better = [list(response) for response in data]
    better[respondent][element] += 1

    before, after = result_of(data), result_of(better)
    assert after.index > before.index
    assert after.converted >= before.converted
    assert GRADE_ORDER.index(after.grade) >= GRADE_ORDER.index(before.grade)


@given(responses)
def test_order_of_respondents_does_not_matter(data: list[list[int]]) -> None:
    assert ikm(data) == ikm(list(reversed(data)))
