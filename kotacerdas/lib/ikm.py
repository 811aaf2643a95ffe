"""Indeks Kepuasan Masyarakat (IKM), the result of a Survei Kepuasan Masyarakat (SKM) as
PermenPANRB 14/2017 (Pedoman Penyusunan SKM Unit Penyelenggara Pelayanan Publik) defines it.

Each respondent scores the 9 unsur (elements) of a service from 1 (tidak baik) to 4
(sangat baik). Then:

    NRR_i      = total of element i's scores / respondents      (nilai rata-rata, 1..4)
    index      = sum of NRR_i * 1/9                             (nilai interval, 1..4)
    converted  = index * 25                                     (nilai konversi, 25..100)

Weight: the Permen defines it as "jumlah bobot / jumlah unsur", 1/9 for nine elements. The
processing table that SKM reports reproduce prints it rounded ("NRR tertimbang = NRR per
unsur x 0,111"; some write 0,11). We weight by exactly 1/9, i.e. take the plain mean of the
nine NRR:
- only then does a unit whose every answer is 4 score the 100.00 at which the Permen's own
  conversion table ends (with 0.111 it would get 99.90, with 0.11 99.00);
- it is what published results reproduce: the Dispendukcapil Tulang Bawang Barat SKM report
  (e-smile.tubaba.go.id, 2023 semester 1) prints "NRR tertimbang 0.44" per element with the
  0,111 caption and still "IKM unit pelayanan 100 (Sangat Baik)"; and the worked example of
  29 respondents in rennn9/GASPUL_BACKEND rumus_perhitungan_ikm_lengkap.md (element totals
  105, 101, 100, 116, 102, 105, 106, 105, 115) gives 91.48, where the same document's
  rounded-weight column (x 0.11) drifts to 90.56 and 0.111 would give 91.38.
The tests reproduce both examples.

Grades (mutu pelayanan) are decided on the converted value rounded half up to 2 decimals,
the precision at which the Permen writes its bands (25.00-64.99 D, 65.00-76.60 C,
76.61-88.30 B, 88.31-100.00 A). Rounding first leaves no gaps: 64.995 is reported as 65.00
and graded C, 76.605 as 76.61 and B, 88.305 as 88.31 and A, so the grade always matches
the number printed beside it. Arithmetic is on exact fractions, so such halves are
recognised exactly rather than lost to binary floating point.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ELEMENTS = 9
MIN_SCORE = 1
MAX_SCORE = 4
CONVERSION_FACTOR = 25
WEIGHT = Fraction(1, ELEMENTS)

LOWEST = Decimal("25.00")
HIGHEST = Decimal("100.00")
_CENT = Decimal("0.01")

# Lower bound of each band on the converted scale, best first (PermenPANRB 14/2017 lampiran,
# table "nilai persepsi, interval IKM, interval konversi IKM, mutu dan kinerja unit").
GRADES: tuple[tuple[Decimal, str, Promise], ...] = (
    (Decimal("88.31"), "A", _("Sangat baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang baik")),
    (LOWEST, "D", _("Tidak baik")),
)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: tuple[float, ...]  # per element, 1..4
    index: float  # 1..4, unrounded ("nilai interval")
    converted: float  # 25..100, rounded half up to 2 decimals ("nilai konversi")
    grade: str  # "A".."D" (mutu pelayanan)
    performance: Promise  # kinerja unit pelayanan, e.g. "Sangat baik" (lazy translation)


def ikm(responses: Iterable[Sequence[int]]) -> IkmResult | None:
    """The IKM of individual responses, each 9 scores 1..4; None when there are none.

    Raises ValueError naming the first bad response (wrong length, score outside 1..4).
    """
    totals = [0] * ELEMENTS
    respondents = 0
    for number, response in enumerate(responses, start=1):
        if len(response) != ELEMENTS:
            raise ValueError(f"response {number}: {len(response)} scores, expected {ELEMENTS}")
        for element, score in enumerate(response):
            # bool is an int subclass; True as a score is a bug upstream, not a 1.
            if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
                raise ValueError(f"response {number}, element {element + 1}: {score!r} is not 1..4")
            totals[element] += score
        respondents += 1
    return ikm_from_totals(totals, respondents)


def ikm_from_totals(totals: Sequence[int], respondents: int) -> IkmResult | None:
    """The IKM from the sum of scores per element, as a database aggregate gives it.

    None when there are no respondents. Raises ValueError when the totals cannot come from
    ``respondents`` answers of 1..4.
    """
    if len(totals) != ELEMENTS:
        raise ValueError(f"{len(totals)} totals, expected {ELEMENTS}")
    if respondents < 0:
        raise ValueError("respondents must be >= 0")
    if respondents == 0:
        return None
    for element, total in enumerate(totals, start=1):
        if not MIN_SCORE * respondents <= total <= MAX_SCORE * respondents:
            raise ValueError(f"element {element}: total {total} impossible for {respondents} respondents")

    index = sum((Fraction(total, respondents) * WEIGHT for total in totals), Fraction(0))
    converted = _round_half_up(index * CONVERSION_FACTOR)
    grade, performance = _grade(converted)
    return IkmResult(
        respondents=respondents,
        nrr=tuple(total / respondents for total in totals),
        index=float(index),
        converted=float(converted),
        grade=grade,
        performance=performance,
    )


def grade_for(converted: float) -> tuple[str, Promise]:
    """Grade and performance label for a converted IKM (25..100), e.g. ("A", "Sangat baik").

    The value is first rounded half up to 2 decimals as written (64.995 -> 65.00, grade C).
    """
    # repr() gives the shortest decimal that reads back as the same float, i.e. the number
    # as the caller wrote it; Decimal(64.995) itself would be 64.99499999....
    rounded = Decimal(repr(float(converted))).quantize(_CENT, rounding=ROUND_HALF_UP)
    return _grade(rounded)


def _grade(rounded: Decimal) -> tuple[str, Promise]:
    if not LOWEST <= rounded <= HIGHEST:
        raise ValueError(f"converted IKM {rounded} is outside {LOWEST}..{HIGHEST}")
    for lower_bound, grade, performance in GRADES:
        if rounded >= lower_bound:
            return grade, performance
    raise AssertionError("unreachable: the last band starts at LOWEST")


def _round_half_up(value: Fraction) -> Decimal:
    # Exact: floor(100 * value + 1/2) / 100 for the non-negative values IKM produces.
    return Decimal(floor(value * 100 + Fraction(1, 2))) / 100
