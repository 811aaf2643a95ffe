from functools import wraps

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.lib import svgchart
from kotacerdas.masterplan import actions, queries
from kotacerdas.masterplan.errors import MasterplanError, MasterplanInvalid
from kotacerdas.masterplan.forms import (
    IndicatorForm,
    PlanForm,
    ProgrammeForm,
    RealisationForm,
    ReviewForm,
    YearForm,
)
from kotacerdas.masterplan.models import Evidence, Indicator, Plan, Programme, Realisation, RealisationEvent

FIRST_YEAR = 2000


def _year(request: HttpRequest) -> int:
    """The year asked for (?tahun=), or this year; a bad value is said, not an error page."""
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["tahun"]:
        return form.cleaned_data["tahun"]
    if request.GET.get("tahun"):
        messages.warning(request, _("Tahun tidak dikenal; ditampilkan tahun ini."))
    return timezone.localdate().year


def _form_errors(form, invalid: MasterplanInvalid) -> None:
    for name, message in invalid.errors.items():
        form.add_error(name if name in form.fields else None, str(message))


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _dimension_chart(progress: list[queries.Progress], year: int) -> str:
    return svgchart.bar_chart(
        _("Capaian indikator per dimensi, %(year)s (%%)") % {"year": year},
        [svgchart.Point(p.name.replace("Smart ", ""), _percent(p.achievement) or 0) for p in progress],
    )


# --- Public -----------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    plan = queries.current_plan()
    progress = queries.progress_by_dimension(year)
    return render(
        request,
        "masterplan/home.html",
        {
            "plan": plan,
            "year": year,
            "years": queries.plan_years(plan),
            "progress": progress,
            "overall": queries.progress_overall(year),
            "chart": _dimension_chart(progress, year),
            "programme_count": queries.public_programmes().count(),
            "is_planner": queries.is_planner(request.user),
        },
    )


@require_GET
def roadmap(request: HttpRequest) -> HttpResponse:
    plan = queries.current_plan()
    years = queries.plan_years(plan)
    return render(
        request,
        "masterplan/roadmap.html",
        {
            "plan": plan,
            "years": years,
            "rows": queries.roadmap(years),
            "this_year": timezone.localdate().year,
        },
    )


@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    plan = queries.current_plan()
    return render(
        request,
        "masterplan/agencies.html",
        {
            "year": year,
            "years": queries.plan_years(plan),
            "progress": queries.progress_by_agency(year),
        },
    )


def _indicator_rows(programme: Programme, years: range) -> list[dict]:
    rows = []
    for indicator in programme.indicators.all():
        cells = [queries.indicator_year(indicator, year) for year in years]
        rows.append({"indicator": indicator, "cells": cells})
    return rows


@require_GET
def programme(request: HttpRequest, code: str) -> HttpResponse:
    """Public for every programme past its draft; Bappeda also sees drafts and every
    realisation (with a banner); the public sees verified realisations only."""
    staff_view = request.user.is_authenticated and queries.is_planner(request.user)
    found = (
        queries.programme_for_staff(request.user, code) if staff_view else queries.programme_for_public(code)
    )
    if found is None:
        raise Http404(_("Program tidak ditemukan."))
    years = found.years()
    events = (
        RealisationEvent.objects.filter(realisation__indicator__programme=found)
        .select_related("realisation__indicator", "actor")
        .order_by("-at", "-pk")
    )
    if not staff_view:
        events = events.filter(
            realisation__status=Realisation.Status.VERIFIED,
            type__in=[RealisationEvent.Type.VERIFIED, RealisationEvent.Type.AUTOMATIC],
        )
    return render(
        request,
        "masterplan/programme.html",
        {
            "programme": found,
            "years": years,
            "rows": _indicator_rows(found, years),
            "progress": queries.programme_progress(
                found, min(max(timezone.localdate().year, found.start_year), found.end_year)
            ),
            "events": events[:50],
            "staff_view": staff_view,
        },
    )


# --- OPD staff: realisations --------------------------------------------------------------------


@require_GET
@staff_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The OPD's own indicators with this year's target and where their realisation stands."""
    year = _year(request)
    membership = request.user.membership
    indicators = list(queries.indicators_of(membership.agency)) if membership else []
    rows = []
    for indicator in indicators:
        target = next((t.value for t in indicator.targets.all() if t.year == year), None)
        realisation = next((r for r in indicator.realisations.all() if r.year == year), None)
        rows.append({"indicator": indicator, "target": target, "realisation": realisation})
    return render(
        request,
        "masterplan/mine.html",
        {
            "year": year,
            "rows": rows,
            "agency": membership.agency if membership else None,
            "is_planner": queries.is_planner(request.user),
            "queue": queries.review_queue().count() if queries.is_planner(request.user) else 0,
        },
    )


def _indicator_or_404(user, indicator_id: int) -> Indicator:
    indicator = queries.indicator_for_reporter(user, indicator_id)
    if indicator is None:
        raise Http404(_("Indikator tidak ditemukan."))
    return indicator


@require_http_methods(["GET", "POST"])
@staff_required
def realisation_form(request: AuthenticatedHttpRequest, indicator_id: int, year: int) -> HttpResponse:
    indicator = _indicator_or_404(request.user, indicator_id)
    realisation = Realisation.objects.filter(indicator=indicator, year=year).first()
    may_edit = (
        queries.may_report(request.user, indicator)
        and not indicator.is_automatic
        and (realisation is None or realisation.is_editable)
    )
    status = 200
    if request.method == "POST":
        form = RealisationForm(request.POST, request.FILES)
        if not may_edit:
            raise Http404(_("Indikator tidak ditemukan."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = actions.realisation_save(
                    actor=request.user,
                    indicator=indicator,
                    year=year,
                    value=data["value"],
                    note=data["note"],
                    links=data["links"].splitlines(),
                    uploads=request.FILES.getlist("uploads"),
                    submit="submit" in request.POST,
                )
            except MasterplanInvalid as invalid:
                _form_errors(form, invalid)
            except MasterplanError as refused:
                form.add_error(None, str(refused.message))
            else:
                if saved.status == Realisation.Status.SUBMITTED:
                    messages.success(request, _("Capaian diajukan ke Bappeda untuk diverifikasi."))
                else:
                    messages.success(request, _("Capaian disimpan sebagai draf."))
                return redirect("masterplan:realisation", indicator_id=indicator.pk, year=year)
        status = 400
    else:
        form = RealisationForm(
            initial={"value": realisation.value, "note": realisation.note} if realisation else {}
        )
    target = indicator.targets.filter(year=year).first()
    return render(
        request,
        "masterplan/realisation_form.html",
        {
            "indicator": indicator,
            "year": year,
            "realisation": realisation,
            "form": form,
            "may_edit": may_edit,
            "target": target,
            "evidence": realisation.evidence.all() if realisation else [],
            "events": realisation.events.select_related("actor") if realisation else [],
        },
        status=status,
    )


def _evidence_or_404(user, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related("realisation__indicator__agency").filter(pk=evidence_id).first()
    )
    if evidence is None or not (
        queries.may_report(user, evidence.realisation.indicator) or queries.is_planner(user)
    ):
        raise Http404(_("Bukti tidak ditemukan."))
    return evidence


@require_GET
@staff_required
def evidence_file(request: AuthenticatedHttpRequest, evidence_id: int) -> HttpResponseBase:
    """Evidence stays with the OPD and Bappeda: it may show people or internal papers."""
    evidence = _evidence_or_404(request.user, evidence_id)
    if not evidence.file:
        raise Http404(_("Bukti tidak ditemukan."))
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=False,
        filename=evidence.title,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_required
def evidence_delete(request: AuthenticatedHttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _evidence_or_404(request.user, evidence_id)
    realisation = evidence.realisation
    try:
        actions.evidence_remove(actor=request.user, evidence=evidence)
    except MasterplanError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Bukti dihapus."))
    return redirect("masterplan:realisation", indicator_id=realisation.indicator_id, year=realisation.year)


# --- Bappeda: verification ----------------------------------------------------------------------


def planner_required(view):
    """Bappeda's staff (after their second factor); other staff see no such page."""
    checked = staff_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not queries.is_planner(request.user):
            raise Http404
        return checked(request, *args, **kwargs)

    return wrapper


@require_GET
@planner_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "masterplan/review_queue.html", {"queue": queries.review_queue()[:200]})


@require_http_methods(["GET", "POST"])
@planner_required
def review(request: AuthenticatedHttpRequest, realisation_id: int) -> HttpResponse:
    realisation = queries.realisation_for_reviewer(request.user, realisation_id)
    if realisation is None:
        raise Http404(_("Capaian tidak ditemukan."))
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if "return" in request.POST:
                actions.realisation_return(actor=request.user, realisation=realisation, note=note)
                messages.success(request, _("Capaian dikembalikan ke OPD."))
            else:
                actions.realisation_verify(actor=request.user, realisation=realisation, note=note)
                messages.success(request, _("Capaian terverifikasi dan tampil di halaman publik."))
        except MasterplanInvalid as invalid:
            _form_errors(form, invalid)
        except MasterplanError as refused:
            form.add_error(None, str(refused.message))
        else:
            return redirect("masterplan:review_queue")
        status = 400
    target = realisation.indicator.targets.filter(year=realisation.year).first()
    return render(
        request,
        "masterplan/review.html",
        {
            "realisation": realisation,
            "form": form,
            "target": target,
            "evidence": realisation.evidence.all(),
            "events": realisation.events.select_related("actor"),
        },
        status=status,
    )


# --- Bappeda: the plan, its programmes and indicators ---------------------------------------------


@require_GET
@planner_required
def programmes_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = (
        Programme.objects.select_related("dimension", "lead_agency")
        .annotate(indicator_count=Count("indicators"))
        .order_by("dimension__order", "start_year", "code")
    )
    return render(
        request,
        "masterplan/programmes_manage.html",
        {"programmes": programmes, "plan": queries.current_plan()},
    )


def _programme_or_404(code: str) -> Programme:
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise Http404(_("Program tidak ditemukan."))
    return programme


@require_http_methods(["GET", "POST"])
@planner_required
def programme_edit(request: AuthenticatedHttpRequest, code: str = "") -> HttpResponse:
    programme = _programme_or_404(code) if code else None
    # The form works on its own copy: the action compares the stored programme with the new values.
    form = ProgrammeForm(request.POST or None, instance=_programme_or_404(code) if code else None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in actions.PROGRAMME_FIELDS}
        try:
            saved = actions.programme_save(
                actor=request.user,
                values=values,
                programme=programme,
                supporting=form.cleaned_data["supporting_agencies"],
            )
        except MasterplanInvalid as invalid:
            _form_errors(form, invalid)
        else:
            messages.success(request, _("Program %(name)s tersimpan.") % {"name": saved.name})
            return redirect("masterplan:programme", code=saved.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "masterplan/programme_form.html", {"form": form, "programme": programme}, status=status
    )


@require_http_methods(["GET", "POST"])
@planner_required
def indicator_edit(
    request: AuthenticatedHttpRequest, code: str, indicator_id: int | None = None
) -> HttpResponse:
    programme = _programme_or_404(code)
    indicator = None
    if indicator_id is not None:
        indicator = programme.indicators.filter(pk=indicator_id).first()
        if indicator is None:
            raise Http404(_("Indikator tidak ditemukan."))
    instance = programme.indicators.get(pk=indicator.pk) if indicator else None
    form = IndicatorForm(request.POST or None, instance=instance, programme=programme)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in actions.INDICATOR_FIELDS}
        try:
            actions.indicator_save(
                actor=request.user,
                programme=programme,
                values=values,
                targets=form.targets(),
                indicator=indicator,
            )
        except MasterplanInvalid as invalid:
            _form_errors(form, invalid)
        else:
            messages.success(request, _("Indikator tersimpan."))
            return redirect("masterplan:programme", code=programme.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "masterplan/indicator_form.html",
        {"form": form, "programme": programme, "indicator": indicator},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@planner_required
def plan_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = queries.current_plan()
    form = PlanForm(request.POST or None, instance=queries.current_plan())
    if request.method == "POST" and form.is_valid():
        try:
            actions.plan_save(actor=request.user, plan=plan or Plan(), values=form.cleaned_data)
        except MasterplanInvalid as invalid:
            _form_errors(form, invalid)
        else:
            messages.success(request, _("Masterplan tersimpan."))
            return redirect("masterplan:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "masterplan/plan_form.html", {"form": form}, status=status)
