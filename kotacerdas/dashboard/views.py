import hashlib
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kotacerdas.agencies.queries import active_agencies
from kotacerdas.dashboard import charts, queries
from kotacerdas.dashboard.forms import DrilldownForm, FilterForm, YearForm
from kotacerdas.regions.queries import kelurahan_choices

CASES_PER_PAGE = 25
# Rendered figures are kept at most this long; a new rollup changes the key sooner.
BODY_CACHE_SECONDS = 600
# Older figures than this are flagged on the page: the worker should refresh every 5 minutes.
STALE_AFTER = timedelta(minutes=30)


def dashboard_required(view):
    """Who steers the city (queries.may_view_dashboard), after their second factor, as
    staff_required but open to superusers without an agency too; other staff see no such
    page, as with any object they may not see, and residents are sent home."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if not queries.may_view_dashboard(user):
            if user.is_officer:
                raise Http404
            return redirect("portal:home")
        if not user.is_verified():
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def _places() -> tuple[list, list]:
    """The OPD and kelurahan to filter by: read once per few minutes per process; they change
    rarely, and the kelurahan rows sit beside their large boundaries."""

    def read() -> tuple[list, list]:
        return (
            list(active_agencies().only("pk", "code", "short_name", "name")),
            list(kelurahan_choices().only("pk", "code", "name")),
        )

    places = cache.get_or_set("dashboard:filter-choices", read, 300)
    return places if places is not None else read()


def _filter_form(request: HttpRequest) -> FilterForm:
    agencies, kelurahan = _places()
    return FilterForm(request.GET or None, today=timezone.localdate(), agencies=agencies, kelurahan=kelurahan)


def _query(form: FilterForm, **extra) -> str:
    """The filters as chosen (valid ones only), for links to the lists behind a figure."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    params = {}
    if data.get("periode") and form.data.get("periode"):
        params["periode"] = data["periode"].key
    for name in ("opd", "kelurahan"):
        if data.get(name):
            params[name] = data[name]
    for name, value in extra.items():  # an empty value drops the filter (open now: any period)
        if value:
            params[name] = value
        else:
            params.pop(name, None)
    return urlencode(params)


def _masterplan(year: int) -> dict:
    """Masterplan progress per dimension, read on each request (a few small queries) rather
    than cached with the rollups: a realisation Bappeda verifies shows at once."""
    progress = queries.masterplan_progress(year)
    return {"progress": progress, "progress_chart": charts.progress_chart(progress)}


@require_GET
@dashboard_required
def executive(request: HttpRequest) -> HttpResponse:
    """Figures from the rollups; the rendered body is cached until the worker rewrites a
    rollup (every few minutes), so most requests only check the version and the session.
    Everyone allowed sees the same figures, so the cache is keyed by the query alone."""
    big = request.GET.get("layar") == "besar"
    asked = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = f"dashboard:executive:{queries.rollups_version()}:{get_language()}:{asked}"
    cached = cache.get(key)
    if cached is None:
        form = _filter_form(request)
        period, agency, kelurahan = form.filters()
        figures = queries.dashboard_figures(
            period=period,
            agency_id=agency.pk if agency else None,
            kelurahan_id=kelurahan.pk if kelurahan else None,
        )
        cases_url = reverse("dashboard:cases")
        context = {
            "form": form,
            "period_choices": form.period_choices,
            "period": period,
            "agency": agency,
            "kelurahan": kelurahan,
            "figures": figures,
            "big": big,
            "charts": charts.executive(figures),
            "links": {
                "cases": cases_url,
                "received": {
                    kind: f"{cases_url}?{_query(form, jenis=kind, periode=period.key)}"
                    for kind in queries.KINDS
                },
                "open": {
                    kind: f"{cases_url}?{_query(form, jenis=kind, keadaan='terbuka', periode='')}"
                    for kind in queries.KINDS
                },
                "overdue": {
                    kind: f"{cases_url}?{_query(form, jenis=kind, keadaan='terlambat', periode='')}"
                    for kind in queries.KINDS
                },
                "finished": f"{cases_url}?"
                + _query(form, jenis="service", keadaan="selesai", periode=period.key),
                "map": f"{reverse('dashboard:map_points')}?{_query(form)}",
            },
        }
        body = render_to_string("dashboard/_executive_body.html", context, request=request)
        fresh: dict[str, Any] = {
            "computed_at": figures.computed_at,
            "missing": figures.missing,
            "query": _query(form),
            "year": period.first.year,
        }
        cached = (body, fresh)
        cache.set(key, cached, BODY_CACHE_SECONDS)
    body, fresh = cached
    age = timezone.now() - fresh["computed_at"] if fresh["computed_at"] else None
    fresh = {**fresh, "stale": age is not None and age > STALE_AFTER}
    return render(
        request,
        "dashboard/executive.html",
        {"body": body, "fresh": fresh, "big": big, **_masterplan(fresh["year"])},
    )


@require_GET
@dashboard_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind a figure: read only, paginated, with nothing personal in it."""
    form = _filter_form(request)
    chosen, agency, kelurahan = form.filters()
    # Without a period: open and overdue are counted now, whenever the case came in.
    period = chosen if request.GET.get("periode") else None
    drill = DrilldownForm(request.GET or None)
    drill.is_valid()
    kind = drill.cleaned_data.get("jenis", "") if hasattr(drill, "cleaned_data") else ""
    state = drill.cleaned_data.get("keadaan", "") if hasattr(drill, "cleaned_data") else ""
    rows = queries.drilldown(
        kind=kind,
        state=state,
        agency_id=agency.pk if agency else None,
        kelurahan_id=kelurahan.pk if kelurahan else None,
        period=period,
        today=timezone.localdate(),
    )
    page = Paginator(rows, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/cases.html",
        {
            "form": form,
            "drill": drill,
            "page": page,
            "period": period,
            "agency": agency,
            "kelurahan": kelurahan,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "period_choices": form.period_choices,
        },
    )


@require_GET
@dashboard_required
def map_points(request: HttpRequest) -> JsonResponse:
    """Reports per kelurahan as circles at the kelurahan's centre (portal/map.js points
    mode), coloured by how many are overdue; the page's table holds the same numbers."""
    form = _filter_form(request)
    period, agency, kelurahan = form.filters()
    figures = queries.dashboard_figures(
        period=period,
        agency_id=agency.pk if agency else None,
        kelurahan_id=kelurahan.pk if kelurahan else None,
    )
    cases_url = reverse("dashboard:cases")
    features = []
    for row in figures.kelurahan:
        region = row.region
        if (
            region.centroid_lat is None
            or region.centroid_lon is None
            or not (row.reports or row.reports_open)
        ):
            continue
        level = "dash-late" if row.reports_overdue else ("dash-open" if row.reports_open else "dash-ok")
        params = {"jenis": "report", "kelurahan": region.code, "keadaan": "terbuka"}
        if agency:
            params["opd"] = agency.code
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [region.centroid_lon, region.centroid_lat]},
                "properties": {
                    "title": _("%(name)s: %(received)s pengaduan, %(open)s terbuka, %(late)s terlambat")
                    % {
                        "name": region.name,
                        "received": row.reports,
                        "open": row.reports_open,
                        "late": row.reports_overdue,
                    },
                    "url": f"{cases_url}?{urlencode(params)}",
                    "status": level,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    """The figures that are public, for a year: aggregate numbers only, from the rollups;
    the body is cached per year until the worker rewrites a rollup."""
    today = timezone.localdate()
    form = YearForm(request.GET or None)
    year = today.year
    if form.is_valid() and form.cleaned_data.get("tahun"):
        if form.cleaned_data["tahun"] <= today.year:
            year = form.cleaned_data["tahun"]
        else:
            form.add_error("tahun", _("Tahun itu belum berjalan."))
    # Keyed by the year, never by what an anonymous visitor typed: a page with an error is
    # not cached at all.
    key = f"dashboard:transparency:{queries.rollups_version()}:{get_language()}:{year}"
    cached = None if form.errors else cache.get(key)
    if cached is None:
        period = queries.Period(str(year), queries.months_of_year(year, today))
        figures = queries.dashboard_figures(period=period)
        body = render_to_string(
            "dashboard/_transparency_body.html",
            {
                "form": form,
                "year": year,
                "years": queries.year_choices(today),
                "figures": figures,
                "charts": charts.transparency(figures),
            },
            request=request,
        )
        cached = (body, {"computed_at": figures.computed_at})
        if not form.errors:
            cache.set(key, cached, BODY_CACHE_SECONDS)
    body, fresh = cached
    return render(
        request,
        "dashboard/transparency.html",
        {"body": body, "fresh": fresh, "year": year, **_masterplan(year)},
    )
