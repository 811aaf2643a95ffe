"""The two indices the city is measured by, and their writes.

SPBE (Sistem Pemerintahan Berbasis Elektronik), PermenPANRB 59/2020: 47 indicators in
4 domains and 8 aspects, each assessed at a maturity level (tingkat kematangan) 1–5 and
weighted in percent (the weights sum to 100). The index is the weighted mean of the levels,

    Indeks SPBE = Σ (bobot_i × TK_i) / Σ bobot_i

and a domain's or an aspect's index is the same mean within the group. The grade
(predikat) is the highest band whose minimum the index reaches: 4.20 Memuaskan, 3.50
Sangat Baik, 2.60 Baik, 1.80 Cukup, below that Kurang (national 2023: 2.79 = Baik;
Kota Jambi 2024: 4.32 = Memuaskan). Weights and bands are rows an admin can edit.

Kominfo's smart-city evaluation (Gerakan Menuju Smart City), as published results
reproduce it (Kota Kediri 2022, Kota Jambi 2024; reference/domain.md §1.4):

    Indeks = Σ bobot_c × nilai_c  over baseline, output, outcome, impact, quick win

with weights 0.10/0.20/0.30/0.20/0.20 (rows an admin can edit). Each component's score
comes from the masterplan's verified data (a suggestion) unless Bappeda judges it and
writes down why (EvaluationScore); the judgement counts.

The formulas are pure functions of Decimals; below them the reads that feed them from the
database, then the writes (actions: keyword-only, one transaction, audited, Bappeda only).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import audit_record
from kotacerdas.masterplan import queries
from kotacerdas.masterplan.errors import MasterplanError, MasterplanInvalid, StepNotAllowed
from kotacerdas.masterplan.models import (
    Dimension,
    Evaluation,
    EvaluationComponent,
    EvaluationScore,
    Horizon,
    SpbeAssessment,
    SpbeBand,
    SpbeIndicator,
    SpbeLevel,
    SpbeScore,
)

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
FIRST_YEAR, LAST_YEAR = 2018, 2100  # SPBE evaluations under Perpres 95/2018 started in 2018
LEVELS = range(1, 6)
SCORE_MIN, SCORE_MAX = Decimal(1), Decimal(5)


# --- Formulas (pure) -------------------------------------------------------------------------


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal | int]]) -> Decimal | None:
    """Σ(weight × value) / Σ weight, unrounded; None when there is nothing to weigh."""
    total_weight, total = Decimal(0), Decimal(0)
    for weight, value in pairs:
        total_weight += weight
        total += weight * Decimal(value)
    if total_weight == 0:
        return None
    return total / total_weight


def round_index(value: Decimal) -> Decimal:
    """Two decimals, half up (2.785 -> 2.79), as indices are published."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def band_for(index: Decimal | None, bands: Iterable[tuple[str, Decimal]]) -> str:
    """The name of the highest band whose minimum the index reaches; "" without an index.

    The index is rounded to two decimals (half up) *before* banding, because the grade must
    agree with the number people read: an unrounded 4.1996 is published as 4.20 and is then
    "Memuaskan", not "Sangat Baik"."""
    if index is None:
        return ""
    rounded = round_index(index)
    reached = [(minimum, name) for name, minimum in bands if minimum <= rounded]
    return max(reached)[1] if reached else ""


def smart_city_index(scores: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> Decimal | None:
    """Kominfo's Indeks Smart City: Σ weight_c × score_c over the components that have a
    score, divided by the sum of those weights. With every component scored and Kominfo's
    weights (they sum to 1) this is exactly Σ weight_c × score_c: Kota Kediri 2022
    (3.60, 3.21, 3.23, 3.07, 3.65) gives 3.315, Kota Jambi 2024 (3.84, 3.18, 3.53, 3.63,
    3.35) 3.475. Dividing keeps the result on the 1–5 scale when an admin's weights do not
    quite sum to 1 or a component is still unscored (the result is then marked incomplete)."""
    return weighted_mean((weights[code], score) for code, score in scores.items()
                         if code in weights and score is not None)


def show_smart_city_index(value: Decimal | None) -> Decimal | None:
    """Three decimals, half up. The published results are two decimals computed from
    unrounded component scores, so the published two-decimal components cannot reproduce
    them to the last digit (Kediri 3.315 was reported 3.31, Jambi 3.475 was reported 3.48:
    no rounding rule gives both). Showing the third decimal hides nothing."""
    return None if value is None else value.quantize(MILLI, rounding=ROUND_HALF_UP)


def score_from_achievement(achievement: float | None) -> Decimal | None:
    """A mean capped achievement 0–1 (1 = every target met) on the evaluation's 1–5 scale:
    1 + 4 × achievement. The platform's own convention, not Kominfo's: a suggestion that
    Bappeda confirms or overrides with a judged score."""
    if achievement is None:
        return None
    share = min(max(Decimal(str(achievement)), Decimal(0)), Decimal(1))
    return round_index(1 + 4 * share)


def score_from_improvement(current: float | None, previous: float | None) -> Decimal | None:
    """Baseline (condition and improvement vs. the previous evaluation) from the overall
    achievement of this year and the year before: unchanged is 3, each 12.5 percentage
    points better or worse is a point more or less, within 1–5. The platform's own
    convention, as above; without both years there is no suggestion, only judgement."""
    if current is None or previous is None:
        return None
    change = Decimal(str(current)) - Decimal(str(previous))
    return round_index(min(max(3 + 8 * change, SCORE_MIN), SCORE_MAX))


# --- SPBE: reads -----------------------------------------------------------------------------


@dataclass
class SpbeGroup:
    """A domain or an aspect: its index over the indicators scored so far."""

    number: int
    name: str
    weight: Decimal = Decimal(0)
    total: int = 0
    scored: int = 0
    index: Decimal | None = None
    delta: Decimal | None = None  # vs. the previous assessment shown beside it
    pairs: list = field(default_factory=list, repr=False)

    @property
    def rounded(self) -> Decimal | None:
        return None if self.index is None else round_index(self.index)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.scored == self.total


@dataclass
class SpbeResult:
    assessment: SpbeAssessment
    index: Decimal | None
    band: str
    total: int
    scored: int
    domains: list[SpbeGroup]
    aspects: list[SpbeGroup]
    levels: list[tuple[SpbeIndicator, int | None]] = field(default_factory=list, repr=False)
    delta: Decimal | None = None

    @property
    def year(self) -> int:
        return self.assessment.year

    @property
    def rounded(self) -> Decimal | None:
        return None if self.index is None else round_index(self.index)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.scored == self.total

    @property
    def is_final(self) -> bool:
        """Final and complete: an index over part of the indicators is never shown as final,
        not even when indicators were added to the framework after finalising."""
        return self.assessment.is_final and self.is_complete


@dataclass(frozen=True)
class SpbeFramework:
    indicators: list[SpbeIndicator]
    bands: list[tuple[str, Decimal]]


def spbe_framework() -> SpbeFramework:
    """The indicators with their aspect and domain, and the bands: two queries."""
    indicators = list(SpbeIndicator.objects.select_related("aspect__domain").order_by("number"))
    bands = [(band.name, band.minimum) for band in SpbeBand.objects.all()]
    return SpbeFramework(indicators, bands)


def spbe_result(assessment: SpbeAssessment, framework: SpbeFramework,
                scores: Iterable[SpbeScore] | None = None) -> SpbeResult:
    """The index, grade, and per-domain and per-aspect indices of an assessment. `scores`
    defaults to the assessment's (prefetched) scores."""
    levels = {score.indicator_id: score.level for score in (scores if scores is not None
                                                             else assessment.scores.all())}
    domains: dict[int, SpbeGroup] = {}
    aspects: dict[int, SpbeGroup] = {}
    pairs = []
    rows = []
    for indicator in framework.indicators:
        aspect, domain = indicator.aspect, indicator.aspect.domain
        groups = (domains.setdefault(domain.number, SpbeGroup(domain.number, domain.name)),
                  aspects.setdefault(aspect.number, SpbeGroup(aspect.number, aspect.name)))
        level = levels.get(indicator.pk)
        rows.append((indicator, level))
        for group in groups:
            group.total += 1
            group.weight += indicator.weight
            if level is not None:
                group.scored += 1
                group.pairs.append((indicator.weight, level))
        if level is not None:
            pairs.append((indicator.weight, level))
    for group in (*domains.values(), *aspects.values()):
        group.index = weighted_mean(group.pairs)
    index = weighted_mean(pairs)
    return SpbeResult(
        assessment=assessment, index=index, band=band_for(index, framework.bands),
        total=len(framework.indicators), scored=len(pairs),
        domains=list(domains.values()), aspects=list(aspects.values()), levels=rows,
    )


def _with_deltas(results: list[SpbeResult]) -> list[SpbeResult]:
    """Each result compared with the one before it (by year), on the rounded figures people
    read, overall and per domain."""
    previous: SpbeResult | None = None
    for result in sorted(results, key=lambda r: r.year):
        if previous is not None:
            if result.rounded is not None and previous.rounded is not None:
                result.delta = result.rounded - previous.rounded
            before = {d.number: d.rounded for d in previous.domains}
            for domain in result.domains:
                earlier = before.get(domain.number)
                if domain.rounded is not None and earlier is not None:
                    domain.delta = domain.rounded - earlier
        previous = result
    return results


def spbe_history(*, final_only: bool, framework: SpbeFramework | None = None) -> list[SpbeResult]:
    """Every assessment (or the final ones) with its result and the change since the one
    before, newest first, in four queries whatever the number of years."""
    framework = framework or spbe_framework()
    assessments = SpbeAssessment.objects.prefetch_related("scores").order_by("-year")
    if final_only:
        assessments = assessments.filter(is_final=True)
    return _with_deltas([spbe_result(assessment, framework) for assessment in assessments])


def spbe_assessment_for_planner(user, year: int) -> SpbeAssessment | None:
    if not queries.is_planner(user):
        return None
    return SpbeAssessment.objects.filter(year=year).first()


def spbe_previous(assessment: SpbeAssessment, framework: SpbeFramework) -> SpbeResult | None:
    before = SpbeAssessment.objects.filter(year__lt=assessment.year).prefetch_related("scores").order_by(
        "-year").first()
    return None if before is None else spbe_result(before, framework)


@dataclass
class SpbeRow:
    """One indicator on the self-assessment form."""

    indicator: SpbeIndicator
    score: SpbeScore | None
    level: str = ""
    evidence: str = ""
    evidence_url: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class SpbeFormGroup:
    domain: object
    aspects: list[tuple[object, list[SpbeRow]]]


def spbe_form_rows(assessment: SpbeAssessment, framework: SpbeFramework) -> list[SpbeFormGroup]:
    """The indicators grouped by domain and aspect, each with its current score."""
    scores = {s.indicator_id: s for s in assessment.scores.all()}
    by_domain: dict[int, SpbeFormGroup] = {}
    by_aspect: dict[int, list[SpbeRow]] = {}
    for indicator in framework.indicators:
        aspect = indicator.aspect
        group = by_domain.setdefault(aspect.domain.number, SpbeFormGroup(aspect.domain, []))
        if aspect.number not in by_aspect:
            by_aspect[aspect.number] = []
            group.aspects.append((aspect, by_aspect[aspect.number]))
        score = scores.get(indicator.pk)
        by_aspect[aspect.number].append(SpbeRow(
            indicator, score, level=str(score.level) if score else "",
            evidence=score.evidence if score else "", evidence_url=score.evidence_url if score else "",
        ))
    return list(by_domain.values())


def spbe_levels() -> list[SpbeLevel]:
    return list(SpbeLevel.objects.order_by("level"))


# --- SPBE: writes ----------------------------------------------------------------------------


def _only_planner(actor, what: str) -> None:
    if not queries.is_planner(actor):
        raise MasterplanError(what)


def _year(raw, errors: dict) -> int | None:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        errors["year"] = _("Isi tahun dengan angka, mis. 2026.")
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Tahun harus antara %(first)s dan %(last)s.") % {
            "first": FIRST_YEAR, "last": LAST_YEAR}
        return None
    return year


@transaction.atomic
def spbe_assessment_create(*, actor, year, note: str = "") -> SpbeAssessment:
    """Bappeda opens the self-assessment of a year; levels are entered afterwards."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola penilaian mandiri SPBE."))
    errors: dict = {}
    number = _year(year, errors)
    if number is None:
        raise MasterplanInvalid(errors)
    if SpbeAssessment.objects.filter(year=number).exists():
        raise MasterplanInvalid({"year": _("Penilaian tahun %(year)s sudah ada.") % {"year": number}})
    try:
        with transaction.atomic():
            assessment = SpbeAssessment.objects.create(year=number, note=note.strip()[:4000])
    except IntegrityError as race:
        raise StepNotAllowed() from race
    audit_record(actor=actor, action="spbe_assessment_create", obj=assessment, after={"year": number})
    return assessment


@dataclass(frozen=True)
class SpbeEntry:
    """What the form sent for one indicator; an empty level clears its score."""

    level: str = ""
    evidence: str = ""
    evidence_url: str = ""


def _editable(assessment: SpbeAssessment | Evaluation) -> None:
    if assessment.is_final:
        raise StepNotAllowed(_("Penilaian ini sudah final; buka kembali untuk mengubahnya."))


@transaction.atomic
def spbe_scores_save(*, actor, assessment: SpbeAssessment, entries: Mapping[int, SpbeEntry]) -> int:
    """Levels, evidence and links for any of the indicators (by indicator number), all or
    nothing: one wrong field stores none. Returns how many indicators changed."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola penilaian mandiri SPBE."))
    assessment = SpbeAssessment.objects.select_for_update().get(pk=assessment.pk)
    _editable(assessment)
    indicators = {i.number: i for i in SpbeIndicator.objects.filter(number__in=list(entries))}
    current = {s.indicator_id: s for s in assessment.scores.select_for_update()}
    check_url = URLValidator(schemes=["http", "https"])
    errors: dict = {}
    plan: list[tuple[SpbeIndicator, int | None, str, str]] = []
    for number, entry in sorted(entries.items()):
        indicator = indicators.get(number)
        if indicator is None:
            errors[f"level-{number}"] = _("Indikator tidak dikenal.")
            continue
        level: int | None = None
        if entry.level.strip():
            try:
                level = int(entry.level)
            except ValueError:
                level = None
            if level not in LEVELS:
                errors[f"level-{number}"] = _("Pilih tingkat 1 sampai 5.")
                continue
        url = entry.evidence_url.strip()
        if url:
            try:
                check_url(url)
            except ValidationError:
                errors[f"url-{number}"] = _("Tautan bukti harus alamat web lengkap (https://…).")
                continue
            if len(url) > 500:
                errors[f"url-{number}"] = _("Tautan terlalu panjang.")
                continue
        if level is None and (entry.evidence.strip() or url):
            errors[f"level-{number}"] = _("Pilih tingkat untuk bukti ini.")
            continue
        plan.append((indicator, level, entry.evidence.strip()[:4000], url))
    if errors:
        raise MasterplanInvalid(errors)
    now = timezone.now()
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    changed = 0
    for indicator, level, evidence, url in plan:
        score = current.get(indicator.pk)
        key = f"#{indicator.number}"
        old = (score.level, score.evidence, score.evidence_url) if score else (None, "", "")
        if old == (level, evidence, url):
            continue
        changed += 1
        # Audited per field that changed: the level, the evidence text, the link.
        fields = (("", old[0], level), (" bukti", old[1], evidence), (" tautan", old[2], url))
        for suffix, was, now_is in fields:
            if was != now_is:
                before[key + suffix], after[key + suffix] = was, now_is
        if level is None:
            if score is not None:
                score.delete()
            continue
        score = score or SpbeScore(assessment=assessment, indicator=indicator)
        score.level, score.evidence, score.evidence_url = level, evidence, url
        score.updated_by, score.updated_at = actor, now
        score.save()
    if changed:
        assessment.updated_at = now
        assessment.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="spbe_scores_save", obj=assessment, before=before, after=after)
    return changed


@transaction.atomic
def spbe_assessment_finalise(*, actor, assessment: SpbeAssessment) -> SpbeAssessment:
    """Publishes the assessment. Only a complete one: an index over part of the indicators
    must never be read as the city's result."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola penilaian mandiri SPBE."))
    total = SpbeIndicator.objects.count()
    scored = SpbeScore.objects.filter(assessment=assessment).count()
    if total == 0 or scored < total:
        message = _("Baru %(scored)s dari %(total)s indikator yang dinilai; lengkapi semuanya sebelum final.")
        raise MasterplanInvalid({"__all__": message % {"scored": scored, "total": total}})
    moved = SpbeAssessment.objects.filter(pk=assessment.pk, is_final=False).update(
        is_final=True, updated_at=timezone.now())
    if moved != 1:
        raise StepNotAllowed(_("Penilaian ini sudah final."))
    assessment.refresh_from_db()
    audit_record(actor=actor, action="spbe_assessment_finalise", obj=assessment,
                 before={"is_final": False}, after={"is_final": True})
    return assessment


@transaction.atomic
def spbe_assessment_reopen(*, actor, assessment: SpbeAssessment) -> SpbeAssessment:
    """Takes a final assessment off the public page to correct it."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola penilaian mandiri SPBE."))
    moved = SpbeAssessment.objects.filter(pk=assessment.pk, is_final=True).update(
        is_final=False, updated_at=timezone.now())
    if moved != 1:
        raise StepNotAllowed(_("Penilaian ini belum final."))
    assessment.refresh_from_db()
    audit_record(actor=actor, action="spbe_assessment_reopen", obj=assessment,
                 before={"is_final": True}, after={"is_final": False})
    return assessment


# --- Kominfo's evaluation: reads -------------------------------------------------------------


@dataclass
class Suggestion:
    """A component's score computed from the masterplan's verified data."""

    score: Decimal | None
    indicators: int = 0  # with a target and a verified realisation
    achievement: float | None = None  # mean capped achievement, or this year's for baseline
    previous: float | None = None  # baseline: last year's

    @property
    def percent(self) -> float | None:
        return None if self.achievement is None else round(self.achievement * 100, 1)

    @property
    def previous_percent(self) -> float | None:
        return None if self.previous is None else round(self.previous * 100, 1)


@dataclass
class ComponentResult:
    component: EvaluationComponent
    suggestion: Suggestion
    judged: EvaluationScore | None
    by_dimension: dict[int, "CellResult"] = field(default_factory=dict)

    @property
    def score(self) -> Decimal | None:
        """The judgement counts; without one, the suggestion."""
        return self.judged.score if self.judged is not None else self.suggestion.score

    @property
    def source(self) -> str:
        if self.judged is not None:
            return "judged"
        return "suggested" if self.suggestion.score is not None else ""

    @property
    def weighted(self) -> Decimal | None:
        score = self.score
        return None if score is None else score * self.component.weight


@dataclass
class CellResult:
    """A component within one dimension."""

    suggestion: Decimal | None
    judged: EvaluationScore | None

    @property
    def score(self) -> Decimal | None:
        return self.judged.score if self.judged is not None else self.suggestion


@dataclass
class DimensionResult:
    dimension: Dimension
    index: Decimal | None
    is_complete: bool
    has_own: bool = False  # a score of its own (judged or from data), not only the baseline stand-in

    @property
    def shown(self) -> Decimal | None:
        return show_smart_city_index(self.index)


@dataclass
class EvaluationResult:
    evaluation: Evaluation
    components: list[ComponentResult]
    dimensions: list[DimensionResult]
    delta: Decimal | None = None

    @property
    def index(self) -> Decimal | None:
        return smart_city_index({c.component.code: c.score for c in self.components},
                                {c.component.code: c.component.weight for c in self.components})

    @property
    def shown(self) -> Decimal | None:
        return show_smart_city_index(self.index)

    @property
    def dimensions_shown(self) -> list[DimensionResult]:
        return [d for d in self.dimensions if d.has_own]

    @property
    def weight_total(self) -> Decimal:
        return sum((c.component.weight for c in self.components), Decimal(0))

    @property
    def is_complete(self) -> bool:
        return bool(self.components) and all(c.score is not None for c in self.components)

    @property
    def is_final(self) -> bool:
        return self.evaluation.is_final and self.is_complete


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _component_of(row: queries.IndicatorYear) -> list[str]:
    codes = [row.indicator.kind]  # output, outcome, impact
    if row.indicator.programme.horizon == Horizon.QUICK_WIN:
        codes.append("quick_win")
    return codes


def evaluation_suggestions(year: int) -> tuple[dict[str, Suggestion], dict[str, dict[int, Decimal | None]]]:
    """Suggested scores per component from the public programmes' verified data of `year`
    (and of the year before, for the baseline), overall and per dimension (by dimension id).
    Output, outcome and impact: the mean capped achievement of the indicators of that kind,
    as 1 + 4 × achievement; quick win: the same over the indicators of quick-win
    programmes; baseline: the change in overall achievement since the year before."""
    rows = queries.public_figures(year)
    achieved: dict[str, list[float]] = defaultdict(list)
    per_dimension: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    everything: list[float] = []
    dimension_all: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        if row.capped is None:
            continue
        everything.append(row.capped)
        dimension_all[row.indicator.programme.dimension_id].append(row.capped)
        for code in _component_of(row):
            achieved[code].append(row.capped)
            per_dimension[code][row.indicator.programme.dimension_id].append(row.capped)
    before = [row.capped for row in queries.public_figures(year - 1) if row.capped is not None]
    current, previous = _mean(everything), _mean(before)
    suggestions = {"baseline": Suggestion(score_from_improvement(current, previous), len(everything),
                                          current, previous)}
    for code in ("output", "outcome", "impact", "quick_win"):
        mean = _mean(achieved[code])
        suggestions[code] = Suggestion(score_from_achievement(mean), len(achieved[code]), mean)
    cells: dict[str, dict[int, Decimal | None]] = {
        code: {dim: score_from_achievement(_mean(values)) for dim, values in by_dim.items()}
        for code, by_dim in per_dimension.items()
    }
    return suggestions, cells


def evaluation_result(evaluation: Evaluation, *, components: Sequence[EvaluationComponent],
                      dimensions: Sequence[Dimension], with_suggestions: bool = True) -> EvaluationResult:
    """The evaluation's components (judgement over suggestion) and index, and its breakdown
    per dimension. Without suggestions (final evaluations store every score when they are
    finalised) only the stored scores count."""
    if with_suggestions:
        suggestions, cells = evaluation_suggestions(evaluation.year)
    else:
        suggestions, cells = {}, {}
    judged = {(s.component_id, s.dimension_id): s for s in evaluation.scores.all()}
    results = []
    for component in components:
        result = ComponentResult(component, suggestions.get(component.code, Suggestion(None)),
                                 judged.get((component.pk, None)))
        for dimension in dimensions:
            cell = CellResult(cells.get(component.code, {}).get(dimension.pk),
                              judged.get((component.pk, dimension.pk)))
            if cell.score is None and component.code == "baseline":
                # No per-dimension baseline from data; the component's own score stands in.
                cell.suggestion = result.score
            result.by_dimension[dimension.pk] = cell
        results.append(result)
    weights = {c.code: c.weight for c in components}
    by_dimension = []
    for dimension in dimensions:
        scores = {r.component.code: r.by_dimension[dimension.pk].score for r in results}
        own = any(r.by_dimension[dimension.pk].judged is not None
                  or (r.component.code != "baseline" and r.by_dimension[dimension.pk].suggestion is not None)
                  for r in results)
        by_dimension.append(DimensionResult(dimension, smart_city_index(scores, weights),
                                            all(v is not None for v in scores.values()), own))
    return EvaluationResult(evaluation, results, by_dimension)


def evaluation_frameworks() -> tuple[list[EvaluationComponent], list[Dimension]]:
    return list(EvaluationComponent.objects.order_by("order")), list(Dimension.objects.order_by("order"))


def evaluation_history(*, final_only: bool) -> list[EvaluationResult]:
    """Evaluations newest first with the change since the round before; final ones from their
    stored scores (a constant number of queries), drafts without suggestions (their page
    computes those)."""
    components, dimensions = evaluation_frameworks()
    evaluations = Evaluation.objects.prefetch_related(
        Prefetch("scores", queryset=EvaluationScore.objects.select_related("updated_by"))
    ).order_by("-year", "-stage")
    if final_only:
        evaluations = evaluations.filter(is_final=True)
    results = [evaluation_result(e, components=components, dimensions=dimensions, with_suggestions=False)
               for e in evaluations]
    previous: EvaluationResult | None = None
    for result in reversed(results):
        if previous is not None and result.shown is not None and previous.shown is not None and (
                result.evaluation.is_final and previous.evaluation.is_final):
            result.delta = result.shown - previous.shown
        if result.evaluation.is_final:
            previous = result
    return results


def evaluation_for_planner(user, year: int, stage: int) -> Evaluation | None:
    if not queries.is_planner(user):
        return None
    return Evaluation.objects.prefetch_related("scores").filter(year=year, stage=stage).first()


def evaluation_previous(evaluation: Evaluation) -> Evaluation | None:
    """The latest final round before this one."""
    return (
        Evaluation.objects.filter(is_final=True)
        .filter(Q(year__lt=evaluation.year) | Q(year=evaluation.year, stage__lt=evaluation.stage))
        .prefetch_related("scores").order_by("-year", "-stage").first()
    )


# --- Kominfo's evaluation: writes ------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, actor, year, stage) -> Evaluation:
    """Bappeda opens a round (tahap 1 ≈ June, tahap 2 ≈ November)."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola evaluasi kota cerdas."))
    errors: dict = {}
    number = _year(year, errors)
    if str(stage).strip() not in ("1", "2"):
        errors["stage"] = _("Tahap 1 atau 2.")
    if errors or number is None:
        raise MasterplanInvalid(errors)
    if Evaluation.objects.filter(year=number, stage=int(stage)).exists():
        raise MasterplanInvalid({"year": _("Evaluasi %(year)s tahap %(stage)s sudah ada.")
                                 % {"year": number, "stage": int(stage)}})
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(year=number, stage=int(stage))
    except IntegrityError as race:
        raise StepNotAllowed() from race
    audit_record(actor=actor, action="evaluation_create", obj=evaluation,
                 after={"year": number, "stage": int(stage)})
    return evaluation


@dataclass(frozen=True)
class Judgement:
    """A judged score for a component (dimension None: the component as a whole). An empty
    score removes the judgement, so the suggestion from the data counts again."""

    component: str
    dimension: str | None = None
    score: str = ""
    basis: str = ""


def _score(raw: str) -> Decimal | None:
    text = raw.strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or not SCORE_MIN <= value <= SCORE_MAX:
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def judgement_key(component: str, dimension: str | None) -> str:
    return f"{component}-{dimension}" if dimension else component


@transaction.atomic
def evaluation_scores_save(*, actor, evaluation: Evaluation, judgements: Iterable[Judgement]) -> int:
    """Bappeda's judged scores, each with its written basis; all or nothing. Returns how
    many changed."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola evaluasi kota cerdas."))
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _editable(evaluation)
    components = {c.code: c for c in EvaluationComponent.objects.all()}
    dimensions = {d.code: d for d in Dimension.objects.all()}
    current = {(s.component_id, s.dimension_id): s for s in evaluation.scores.select_for_update()}
    errors: dict = {}
    plan: list[tuple[EvaluationComponent, Dimension | None, Decimal | None, str]] = []
    for judgement in judgements:
        key = judgement_key(judgement.component, judgement.dimension)
        component = components.get(judgement.component)
        dimension = dimensions.get(judgement.dimension) if judgement.dimension else None
        if component is None or (judgement.dimension and dimension is None):
            errors[key] = _("Komponen atau dimensi tidak dikenal.")
            continue
        if not judgement.score.strip():
            plan.append((component, dimension, None, ""))
            continue
        score = _score(judgement.score)
        if score is None:
            errors[key] = _("Nilai antara 1 dan 5, mis. 3,25.")
            continue
        basis = judgement.basis.strip()
        if not basis:
            errors[f"{key}-basis"] = _("Tuliskan dasar penilaiannya.")
            continue
        plan.append((component, dimension, score, basis[:4000]))
    if errors:
        raise MasterplanInvalid(errors)
    now = timezone.now()
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    changed = 0
    for component, dimension, score, basis in plan:
        key = judgement_key(component.code, dimension.code if dimension else None)
        row = current.get((component.pk, dimension.pk if dimension else None))
        old = (row.score, row.basis) if row else (None, "")
        if old == (score, basis):
            continue
        changed += 1
        for suffix, was, now_is in (("", old[0], score), (" dasar", old[1], basis)):
            if was != now_is:
                before[key + suffix], after[key + suffix] = was, now_is
        if score is None:
            if row is not None:
                row.delete()
            continue
        row = row or EvaluationScore(evaluation=evaluation, component=component, dimension=dimension)
        row.score, row.basis, row.updated_by, row.updated_at = score, basis, actor, now
        row.save()
    if changed:
        evaluation.updated_at = now
        evaluation.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="evaluation_scores_save", obj=evaluation, before=before, after=after)
    return changed


def _percent_text(value: float | None) -> str:
    return "–" if value is None else number_format(value, 1)


@transaction.atomic
def evaluation_finalise(*, actor, evaluation: Evaluation, note: str | None = None) -> Evaluation:
    """Publishes the round. Components still taken from the data are stored as they stand
    now, with the figures behind them as their basis, so a realisation verified later does
    not move a published result."""
    _only_planner(actor, _("Hanya Bappeda yang mengelola evaluasi kota cerdas."))
    evaluation = Evaluation.objects.select_for_update().prefetch_related("scores").get(pk=evaluation.pk)
    _editable(evaluation)
    components, dimensions = evaluation_frameworks()
    result = evaluation_result(evaluation, components=components, dimensions=dimensions)
    missing = [c.component.name for c in result.components if c.score is None]
    if missing or not components:
        message = _("Komponen berikut belum bernilai: %(names)s. Beri nilai dengan dasar penilaiannya.")
        raise MasterplanInvalid({"__all__": message % {"names": ", ".join(missing)}})
    now = timezone.now()
    for item in result.components:
        suggestion = item.suggestion
        if item.judged is not None or suggestion.score is None:
            continue
        if item.component.code == "baseline":
            basis = _("Dihitung dari data masterplan saat difinalkan: capaian rata-rata %(before)s%% tahun "
                      "sebelumnya, %(now)s%% tahun ini.") % {
                "before": _percent_text(suggestion.previous_percent),
                "now": _percent_text(suggestion.percent)}
        else:
            basis = _("Dihitung dari data masterplan saat difinalkan: %(n)s indikator terverifikasi, "
                      "capaian rata-rata %(pct)s%%.") % {
                "n": suggestion.indicators, "pct": _percent_text(suggestion.percent)}
        EvaluationScore.objects.create(evaluation=evaluation, component=item.component, dimension=None,
                                       score=suggestion.score, basis=basis, is_computed=True,
                                       updated_by=actor, updated_at=now)
    evaluation.is_final, evaluation.updated_at = True, now
    if note is not None:
        evaluation.note = note.strip()[:4000]
    evaluation.save(update_fields=["is_final", "updated_at", "note"])
    audit_record(actor=actor, action="evaluation_finalise", obj=evaluation, before={"is_final": False},
                 after={"is_final": True, "index": str(result.shown)})
    return evaluation


@transaction.atomic
def evaluation_reopen(*, actor, evaluation: Evaluation) -> Evaluation:
    _only_planner(actor, _("Hanya Bappeda yang mengelola evaluasi kota cerdas."))
    moved = Evaluation.objects.filter(pk=evaluation.pk, is_final=True).update(is_final=False,
                                                                              updated_at=timezone.now())
    if moved != 1:
        raise StepNotAllowed(_("Evaluasi ini belum final."))
    evaluation.refresh_from_db()
    # Scores frozen from the data at finalisation follow the data again; judgements stay.
    thawed = evaluation.scores.filter(is_computed=True).delete()[0]
    audit_record(actor=actor, action="evaluation_reopen", obj=evaluation, before={"is_final": True},
                 after={"is_final": False, "computed_scores_released": thawed})
    return evaluation
