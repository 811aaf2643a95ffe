"""Pages of the SPBE self-assessment and Kominfo's evaluation (public results, Bappeda's
forms), and the masterplan's exports."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.lib import svgchart
from kotacerdas.masterplan import assessment, exports
from kotacerdas.masterplan.assessment import Judgement, SpbeEntry
from kotacerdas.masterplan.errors import MasterplanError, MasterplanInvalid
from kotacerdas.masterplan.forms import YearForm
from kotacerdas.masterplan.models import Evaluation, SpbeAssessment
from kotacerdas.masterplan.views import planner_required


def _index_chart(title: str, points: list[tuple[str, Decimal | None]]) -> str:
    return svgchart.line_chart(title, [svgchart.Point(label, float(value)) for label, value in points
                                       if value is not None])


def _refusal(request: HttpRequest, refused: MasterplanError) -> None:
    if isinstance(refused, MasterplanInvalid):
        for message in refused.errors.values():
            messages.error(request, str(message))
    else:
        messages.error(request, str(refused.message))


# --- SPBE: public -----------------------------------------------------------------------------


@require_GET
def spbe(request: HttpRequest) -> HttpResponse:
    """Final assessments only: index, grade, domains, and the change over the years."""
    framework = assessment.spbe_framework()
    history = assessment.spbe_history(final_only=True, framework=framework)
    latest = history[0] if history else None
    names = {level.level: level.name for level in assessment.spbe_levels()} if latest else {}
    return render(request, "masterplan/spbe.html", {
        "history": history,
        "latest": latest,
        "indicator_levels": [(indicator, level, names.get(level or 0, ""))
                             for indicator, level in latest.levels] if latest else [],
        "chart": _index_chart(_("Indeks SPBE Kota Blitar per tahun"),
                              [(str(r.year), r.rounded) for r in reversed(history)])
        if len(history) > 1 else "",
        "bands": framework.bands,
    })


def _tried(action, **kwargs):
    """Run an action: (its result, {}), or (None, the messages to show, by field)."""
    try:
        return action(**kwargs), {}
    except MasterplanInvalid as invalid:
        return None, {key: str(message) for key, message in invalid.errors.items()}
    except MasterplanError as refused:
        return None, {"__all__": str(refused.message)}


# --- SPBE: Bappeda ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@planner_required
def spbe_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every year's assessment, drafts included; a form opens a new year."""
    errors: dict = {}
    if request.method == "POST":
        made, errors = _tried(assessment.spbe_assessment_create, actor=request.user,
                              year=request.POST.get("year", ""), note=request.POST.get("note", ""))
        if not errors:
            messages.success(request, _("Penilaian SPBE %(year)s dibuat. Isi tingkat tiap indikator.")
                             % {"year": made.year})
            return redirect("masterplan:spbe_edit", year=made.year)
    return render(request, "masterplan/spbe_manage.html", {
        "history": assessment.spbe_history(final_only=False),
        "errors": errors,
        "year_value": request.POST.get("year", "") if request.method == "POST" else timezone.localdate().year,
    }, status=400 if errors else 200)


def _spbe_or_404(request: AuthenticatedHttpRequest, year: int) -> SpbeAssessment:
    found = assessment.spbe_assessment_for_planner(request.user, year)
    if found is None:
        raise Http404(_("Penilaian SPBE tidak ditemukan."))
    return found


@require_http_methods(["GET", "POST"])
@planner_required
def spbe_edit(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """Level, evidence and link per indicator, grouped by domain and aspect, in one form.
    On an error every field keeps what was typed."""
    found = _spbe_or_404(request, year)
    framework = assessment.spbe_framework()
    errors: dict = {}
    if request.method == "POST":
        numbers = [i.number for i in framework.indicators if f"level-{i.number}" in request.POST]
        entries = {n: SpbeEntry(level=request.POST.get(f"level-{n}", ""),
                                evidence=request.POST.get(f"evidence-{n}", ""),
                                evidence_url=request.POST.get(f"url-{n}", "")) for n in numbers}
        changed, errors = _tried(assessment.spbe_scores_save, actor=request.user, assessment=found,
                                 entries=entries)
        if not errors:
            messages.success(request, _("%(n)s indikator tersimpan.") % {"n": changed})
            return redirect("masterplan:spbe_edit", year=found.year)
    found = SpbeAssessment.objects.prefetch_related("scores").get(pk=found.pk)
    groups = assessment.spbe_form_rows(found, framework)
    if request.method == "POST":
        for group in groups:
            for _aspect, rows in group.aspects:
                for row in rows:
                    n = row.indicator.number
                    if f"level-{n}" in request.POST:
                        row.level = request.POST.get(f"level-{n}", "")
                        row.evidence = request.POST.get(f"evidence-{n}", "")
                        row.evidence_url = request.POST.get(f"url-{n}", "")
                    row.errors = [errors[key] for key in (f"level-{n}", f"url-{n}") if key in errors]
    result = assessment.spbe_result(found, framework)
    return render(request, "masterplan/spbe_form.html", {
        "assessment": found,
        "result": result,
        "previous": assessment.spbe_previous(found, framework),
        "groups": groups,
        "levels": assessment.spbe_levels(),
        "errors": errors,
        "general_error": errors.get("__all__", ""),
    }, status=400 if errors else 200)


@require_POST
@planner_required
def spbe_finalise(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    found = _spbe_or_404(request, year)
    try:
        assessment.spbe_assessment_finalise(actor=request.user, assessment=found)
    except MasterplanError as refused:
        _refusal(request, refused)
    else:
        messages.success(request, _("Penilaian SPBE %(year)s final dan tampil di halaman publik.")
                         % {"year": found.year})
    return redirect("masterplan:spbe_edit", year=found.year)


@require_POST
@planner_required
def spbe_reopen(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    found = _spbe_or_404(request, year)
    try:
        assessment.spbe_assessment_reopen(actor=request.user, assessment=found)
    except MasterplanError as refused:
        _refusal(request, refused)
    else:
        messages.success(request, _("Penilaian SPBE %(year)s dibuka kembali dan tidak lagi tampil di halaman "
                                    "publik.") % {"year": found.year})
    return redirect("masterplan:spbe_edit", year=found.year)


# --- Kominfo's evaluation: public -------------------------------------------------------------


@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    """Final rounds only, from their stored scores: index per component with its weight, the
    breakdown per dimension, and the change since the round before."""
    history = assessment.evaluation_history(final_only=True)
    latest = history[0] if history else None
    return render(request, "masterplan/evaluation.html", {
        "history": history,
        "latest": latest,
        "chart": _index_chart(_("Indeks kota cerdas per tahap evaluasi"),
                              [(f"{r.evaluation.year}/{r.evaluation.stage}", r.shown)
                               for r in reversed(history)])
        if len(history) > 1 else "",
    })


# --- Kominfo's evaluation: Bappeda ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@planner_required
def evaluation_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    errors: dict = {}
    if request.method == "POST":
        made, errors = _tried(assessment.evaluation_create, actor=request.user,
                              year=request.POST.get("year", ""), stage=request.POST.get("stage", ""))
        if not errors:
            messages.success(request, _("Evaluasi %(year)s tahap %(stage)s dibuat.")
                             % {"year": made.year, "stage": made.stage})
            return redirect("masterplan:evaluation_edit", year=made.year, stage=made.stage)
    return render(request, "masterplan/evaluation_manage.html", {
        "history": assessment.evaluation_history(final_only=False),
        "errors": errors,
        "year_value": request.POST.get("year", "") if request.method == "POST" else timezone.localdate().year,
        "stage_value": request.POST.get("stage", "1"),
    }, status=400 if errors else 200)


def _evaluation_or_404(request: AuthenticatedHttpRequest, year: int, stage: int) -> Evaluation:
    found = assessment.evaluation_for_planner(request.user, year, stage)
    if found is None:
        raise Http404(_("Evaluasi tidak ditemukan."))
    return found


@require_http_methods(["GET", "POST"])
@planner_required
def evaluation_edit(request: AuthenticatedHttpRequest, year: int, stage: int) -> HttpResponse:
    """Each component's suggestion from the data beside Bappeda's judged score and its basis
    (empty: the suggestion counts), for the whole component and per dimension."""
    found = _evaluation_or_404(request, year, stage)
    components, dimensions = assessment.evaluation_frameworks()
    errors: dict = {}
    if request.method == "POST":
        judgements = []
        for component in components:
            for dimension in [None, *dimensions]:
                key = assessment.judgement_key(component.code, dimension.code if dimension else None)
                if f"score-{key}" in request.POST:
                    judgements.append(Judgement(component.code, dimension.code if dimension else None,
                                                request.POST.get(f"score-{key}", ""),
                                                request.POST.get(f"basis-{key}", "")))
        changed, errors = _tried(assessment.evaluation_scores_save, actor=request.user, evaluation=found,
                                 judgements=judgements)
        if not errors:
            messages.success(request, _("%(n)s penilaian tersimpan.") % {"n": changed})
            return redirect("masterplan:evaluation_edit", year=found.year, stage=found.stage)
    found = Evaluation.objects.prefetch_related("scores").get(pk=found.pk)
    result = assessment.evaluation_result(found, components=components, dimensions=dimensions)
    previous = assessment.evaluation_previous(found)
    previous_result = (assessment.evaluation_result(previous, components=components, dimensions=dimensions,
                                                    with_suggestions=False) if previous else None)

    def field(key: str, judged) -> dict:
        posted = request.method == "POST" and f"score-{key}" in request.POST
        score = request.POST.get(f"score-{key}", "") if posted else (str(judged.score) if judged else "")
        basis = request.POST.get(f"basis-{key}", "") if posted else (judged.basis if judged else "")
        return {"key": key, "score": score, "basis": basis,
                "errors": [errors[k] for k in (key, f"{key}-basis") if k in errors]}

    rows = []
    for item in result.components:
        cells = [{"dimension": d, "cell": item.by_dimension[d.pk],
                  "field": field(assessment.judgement_key(item.component.code, d.code),
                                 item.by_dimension[d.pk].judged)} for d in dimensions]
        rows.append({"item": item, "field": field(item.component.code, item.judged), "cells": cells})
    delta = None
    if previous_result is not None and result.shown is not None and previous_result.shown is not None:
        delta = result.shown - previous_result.shown
    return render(request, "masterplan/evaluation_form.html", {
        "evaluation": found, "result": result, "rows": rows, "dimensions": dimensions,
        "previous": previous_result, "delta": delta,
        "errors": errors, "general_error": errors.get("__all__", ""),
        "weights_off": result.weight_total != 1,
    }, status=400 if errors else 200)


@require_POST
@planner_required
def evaluation_finalise(request: AuthenticatedHttpRequest, year: int, stage: int) -> HttpResponse:
    found = _evaluation_or_404(request, year, stage)
    try:
        assessment.evaluation_finalise(actor=request.user, evaluation=found, note=request.POST.get("note"))
    except MasterplanError as refused:
        _refusal(request, refused)
    else:
        messages.success(request, _("Evaluasi final dan tampil di halaman publik."))
    return redirect("masterplan:evaluation_edit", year=found.year, stage=found.stage)


@require_POST
@planner_required
def evaluation_reopen(request: AuthenticatedHttpRequest, year: int, stage: int) -> HttpResponse:
    found = _evaluation_or_404(request, year, stage)
    try:
        assessment.evaluation_reopen(actor=request.user, evaluation=found)
    except MasterplanError as refused:
        _refusal(request, refused)
    else:
        messages.success(request, _("Evaluasi dibuka kembali dan tidak lagi tampil di halaman publik."))
    return redirect("masterplan:evaluation_edit", year=found.year, stage=found.stage)


# --- Exports ----------------------------------------------------------------------------------


def _export_year(request: HttpRequest) -> int | None:
    """?tahun= or this year; None for a value that is not a year."""
    form = YearForm(request.GET)
    if not form.is_valid():
        return None
    return form.cleaned_data["tahun"] or timezone.localdate().year


def _bad_year() -> HttpResponse:
    return HttpResponseBadRequest(
        _("Parameter tahun tidak valid: isi ?tahun= dengan tahun 2000–2100, mis. ?tahun=2026. / "
          "Invalid year: give ?tahun= a year from 2000 to 2100, e.g. ?tahun=2026."),
        content_type="text/plain; charset=utf-8",
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    year = _export_year(request)
    if year is None:
        return _bad_year()
    return _download(exports.masterplan_xlsx(year),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"masterplan-{year}.xlsx")


@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    year = _export_year(request)
    if year is None:
        return _bad_year()
    return _download(exports.masterplan_pdf(year), "application/pdf", f"masterplan-{year}.pdf")

