import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.cases.errors import errors_summary
from kotacerdas.lib import svgchart
from kotacerdas.opendata import actions, licences, queries
from kotacerdas.opendata.errors import NotAllowed, OpendataError, OpendataInvalid
from kotacerdas.opendata.forms import DatasetForm, NoteForm, ReplaceForm, ResourceForm, types_form
from kotacerdas.opendata.models import Dataset, Resource, ResourceVersion

PER_PAGE = 20
PREVIEW_ROWS = 25
# A chart sums at most this many rows (the datastore's page limit); beyond it the page says so.
CHART_ROWS = 32_000
MAP_ROWS = 5_000
# The resource form shares a page with the dataset form: its own ids keep labels unambiguous.
RESOURCE_IDS = "resource_%s"
LAT_NAMES = {"lat", "latitude", "lintang"}
LON_NAMES = {"lon", "lng", "long", "longitude", "bujur"}


def _viewer(request: HttpRequest) -> queries.Viewer:
    return queries.Viewer(user=request.user if request.user.is_authenticated else None)


def _dataset_or_404(request: HttpRequest, name: str) -> Dataset:
    dataset = queries.dataset_for(_viewer(request), name)
    if dataset is None:
        raise Http404(_("Dataset tidak ditemukan."))
    return dataset


def _resource_or_404(request: HttpRequest, dataset: Dataset, resource_id) -> Resource:
    resource = dataset.resources.filter(pk=resource_id).first()
    if resource is None:
        raise Http404(_("Sumber data tidak ditemukan."))
    resource.dataset = dataset
    return resource


# -- public pages ---------------------------------------------------------------------------

FACET_PARAMS = {"organization": "organizations", "groups": "groups", "tags": "tags",
                "res_format": "formats", "license_id": "licences"}
FACET_TITLES = {"organization": _("Produsen data"), "groups": _("Topik"), "tags": _("Tag"),
                "res_format": _("Format"), "license_id": _("Lisensi")}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Search with facets; every facet is a plain link, so it works without JavaScript."""
    text = request.GET.get("q", "").strip()[:200]
    filters = queries.SearchFilters(text=text)
    for param, attr in FACET_PARAMS.items():
        setattr(filters, attr, [v for v in request.GET.getlist(param) if v][:10])
    matching = queries.dataset_search(queries.public_datasets(), filters)
    facets = queries.dataset_facets(matching, limit=12)
    ordered = queries.relevance_order(matching, text).select_related("agency").prefetch_related(
        Prefetch("resources", queryset=Resource.objects.only("id", "dataset_id", "format", "position"))
    )
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    chosen = {param: request.GET.getlist(param) for param in FACET_PARAMS}
    facet_blocks = []
    for name, items in facets.items():
        rows = []
        for value, display, count in items:
            selected = value in chosen[name]
            query = request.GET.copy()
            query.pop("page", None)
            values = [v for v in query.getlist(name) if v != value]
            if not selected:
                values.append(value)
            query.setlist(name, values)
            rows.append({"value": value, "display": display, "count": count, "selected": selected,
                         "query": query.urlencode()})
        facet_blocks.append({"name": name, "title": FACET_TITLES[name], "items": rows})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opendata/home.html", {
        "q": text, "page": page, "facets": facet_blocks, "query": query.urlencode(),
        "count": page.paginator.count, "topics": queries.topics_with_counts().order_by("title"),
        "filtered": any(chosen.values()) or bool(text),
    })


@require_GET
def organization(request: HttpRequest, code: str) -> HttpResponse:
    return redirect(f"{reverse('opendata:home')}?{urlencode({'organization': code})}")


@require_GET
def group(request: HttpRequest, name: str) -> HttpResponse:
    return redirect(f"{reverse('opendata:home')}?{urlencode({'groups': name})}")


@require_GET
def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset_or_404(request, name)
    if name != dataset.name:  # reached by id: the name is the address people share
        return redirect("opendata:dataset", name=dataset.name)
    return render(request, "opendata/dataset.html", {
        "dataset": dataset,
        "resources": dataset.resources.all(),
        "tags": dataset.tags.all(),
        "topics": dataset.topics.all(),
        "licence": licences.licence(dataset.license_id),
        "may_edit": queries.is_producer(request.user, dataset),
    })


def _preview_state(request: HttpRequest, resource: Resource) -> dict:
    """The table's page, sort, search and one column filter, from the query string."""
    from kotacerdas.opendata.datastore.query import DatastoreQueryError, search

    columns = [f.name for f in resource.fields.all()]
    sort = request.GET.get("sort", "")
    sort_column = sort.lstrip("-")
    filter_column = request.GET.get("kolom", "")
    filter_value = request.GET.get("nilai", "").strip()
    q = request.GET.get("q", "").strip()[:200]
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    state: dict[str, Any] = {
        "columns": columns, "sort": sort, "kolom": filter_column, "nilai": filter_value, "q": q,
        "page_number": page_number, "error": "", "result": None,
    }
    params: dict = {"limit": PREVIEW_ROWS, "offset": (page_number - 1) * PREVIEW_ROWS}
    if sort_column in columns:
        # Empty cells last whichever way, as in a spreadsheet (databases disagree otherwise).
        direction = "desc" if sort.startswith("-") else "asc"
        params["sort"] = f'"{sort_column}" {direction} nulls last'
    if filter_column in columns and filter_value:
        params["filters"] = {filter_column: filter_value}
    if q:
        params["q"] = q
    try:
        state["result"] = search(resource, **params)
    except DatastoreQueryError as error:
        state["error"] = errors_summary(error.errors)
    result = state["result"]
    if result is not None:
        total = result.get("total") or 0
        state["pages"] = max(1, -(-total // PREVIEW_ROWS))
        state["rows"] = [[record.get(c) for c in columns] for record in result["records"]]
        base = request.GET.copy()
        base.pop("page", None)
        state["base_query"] = base.urlencode()
    return state


def _chart(request: HttpRequest, resource: Resource) -> dict | None:
    from kotacerdas.opendata.datastore.query import DatastoreQueryError, search

    kind, x, y = request.GET.get("chart", ""), request.GET.get("x", ""), request.GET.get("y", "")
    numeric = [f.name for f in resource.fields.all() if f.type in ("int", "numeric")]
    columns = [f.name for f in resource.fields.all()]
    chart = {"kinds": [("bar", _("Batang")), ("line", _("Garis")), ("pie", _("Lingkaran"))],
             "columns": columns, "numeric": numeric, "kind": kind, "x": x, "y": y, "svg": "", "points": []}
    if kind not in svgchart.CHARTS or x not in columns or y not in numeric:
        return chart
    try:
        result = search(resource, fields=[x, y], limit=CHART_ROWS, include_total=True)
    except DatastoreQueryError:
        return chart
    sums: dict[str, float] = {}
    for record in result["records"]:
        label = "" if record.get(x) is None else str(record.get(x))
        value = record.get(y)
        if value is not None:
            sums[label] = sums.get(label, 0.0) + float(value)
    points = [svgchart.Point(label, value) for label, value in sums.items()][:200]
    title = _("%(y)s menurut %(x)s") % {"y": y, "x": x}
    chart.update(svg=svgchart.CHARTS[kind](title, points), points=points, title=title,
                 truncated=(result.get("total") or 0) > CHART_ROWS)
    return chart


def _lat_lon_columns(resource: Resource) -> tuple[str, str] | None:
    names = {f.name.lower(): f.name for f in resource.fields.all() if f.type in ("numeric", "int")}
    lat = next((names[n] for n in names if n in LAT_NAMES), None)
    lon = next((names[n] for n in names if n in LON_NAMES), None)
    return (lat, lon) if lat and lon else None


@require_GET
def resource_page(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    dataset = _dataset_or_404(request, name)
    resource = _resource_or_404(request, dataset, resource_id)
    context = {"dataset": dataset, "resource": resource,
               "versions": resource.versions.all() if resource.is_upload else []}
    if resource.datastore_active:
        context["preview"] = _preview_state(request, resource)
        if request.headers.get("HX-Request"):
            return render(request, "opendata/preview_table.html", context)
        context["chart"] = _chart(request, resource)
        context["has_map"] = _lat_lon_columns(resource) is not None
    context["has_map"] = context.get("has_map") or resource.format == Resource.Format.GEOJSON
    return render(request, "opendata/resource.html", context)


def _file_response(version: ResourceVersion, *, attachment: bool) -> FileResponse:
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Berkas tidak ditemukan.")) from missing
    response = FileResponse(handle, as_attachment=attachment, filename=version.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download(request: HttpRequest, dataset_id, resource_id, filename: str) -> FileResponse:
    """The stable download address other portals link to (CKAN's /dataset/<id>/resource/<rid>/
    download/<file>); `?versi=N` gives an earlier version of the file."""
    dataset = _dataset_or_404(request, str(dataset_id))
    resource = _resource_or_404(request, dataset, resource_id)
    versions = resource.versions.all()
    wanted = request.GET.get("versi")
    version = versions.filter(number=wanted).first() if wanted and wanted.isdigit() else versions.first()
    if version is None:
        raise Http404(_("Berkas tidak ditemukan."))
    # PDFs open in the browser; data files download.
    return _file_response(version, attachment=resource.format != Resource.Format.PDF)


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@require_GET
def export(request: HttpRequest, name: str, resource_id, fmt: str) -> HttpResponseBase:
    from kotacerdas.opendata.datastore import export as exporter

    dataset = _dataset_or_404(request, name)
    resource = _resource_or_404(request, dataset, resource_id)
    if not resource.datastore_active or fmt not in EXPORT_TYPES:
        raise Http404(_("Ekspor tidak tersedia untuk sumber data ini."))
    filename = f"{dataset.name}-{str(resource.pk)[:8]}.{fmt}"
    if fmt == "xlsx":
        handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
        exporter.export_xlsx(resource, Path(handle.name))
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=EXPORT_TYPES[fmt])
    stream = exporter.export_csv(resource) if fmt == "csv" else exporter.export_json(resource)
    response = StreamingHttpResponse(stream, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def map_data(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    """A FeatureCollection for the resource's map: the GeoJSON file itself, or the table's
    rows that have a latitude and longitude."""
    dataset = _dataset_or_404(request, name)
    resource = _resource_or_404(request, dataset, resource_id)
    if resource.format == Resource.Format.GEOJSON and resource.is_upload:
        version = resource.versions.first()
        if version is None:
            raise Http404
        with version.file.open("rb") as handle:
            data = json.load(handle)
        for feature in data.get("features", []) if isinstance(data, dict) else []:
            properties = feature.get("properties") or {}
            feature["properties"] = {"title": _summary(properties)}
        return JsonResponse(data, content_type="application/geo+json")
    columns = _lat_lon_columns(resource) if resource.datastore_active else None
    if columns is None:
        raise Http404(_("Sumber data ini tidak punya koordinat."))
    from kotacerdas.opendata.datastore.query import search

    lat, lon = columns
    records = search(resource, limit=MAP_ROWS, include_total=False)["records"]
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(r[lon]), float(r[lat])]},
         "properties": {"title": _summary({k: v for k, v in r.items() if k not in (lat, lon, "_id")})}}
        for r in records if r.get(lat) is not None and r.get(lon) is not None
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features},
                        content_type="application/geo+json")


def _summary(properties: dict) -> str:
    shown = [(key, value) for key, value in properties.items() if value not in (None, "")][:4]
    return " · ".join(f"{key}: {value}" for key, value in shown)


# -- producer pages (Produsen Data) ---------------------------------------------------------

def _own_dataset_or_404(request: HttpRequest, name: str) -> Dataset:
    dataset = queries.producer_datasets(request.user).filter(name=name).select_related("agency").first()
    if dataset is None:
        raise Http404(_("Dataset tidak ditemukan."))
    return dataset


def _refused(request: HttpRequest, error: OpendataError, form=None) -> None:
    if isinstance(error, OpendataInvalid):
        if form is not None:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, str(message))
        else:
            messages.error(request, errors_summary(error.errors))
    else:
        messages.error(request, str(error.message))


@staff_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    datasets = queries.producer_datasets(request.user).prefetch_related("resources")
    return render(request, "opendata/manage.html", {
        "datasets": datasets, "is_walidata": queries.is_walidata(request.user),
        "review_count": queries.review_queue().count() if queries.is_walidata(request.user) else 0,
    })


def _dataset_arguments(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in ("name", "tags", "topics", "private")}


@staff_required
@require_http_methods(["GET", "POST"])
def dataset_new(request: HttpRequest) -> HttpResponse:
    form = DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = actions.dataset_create(
                actor=request.user, agency=request.user.staff_membership.agency,  # type: ignore[union-attr]
                name=data["name"],
                tags=data["tags"], topics=list(data["topics"]), private=data["private"],
                **_dataset_arguments(data),
            )
        except OpendataError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("Draf dataset dibuat. Tambahkan berkas atau tautan datanya."))
            return redirect("opendata:edit", name=dataset.name)
    return render(request, "opendata/dataset_form.html", {"form": form, "dataset": None})


@staff_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _own_dataset_or_404(request, name)
    initial = {field: getattr(dataset, field) for field in actions.EDITABLE}
    initial.update(name=dataset.name, private=dataset.private, topics=list(dataset.topics.all()),
                   tags=", ".join(dataset.tags.values_list("name", flat=True)))
    form = DatasetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = actions.dataset_update(
                actor=request.user, dataset=dataset, name=data["name"], tags=data["tags"],
                topics=list(data["topics"]), **_dataset_arguments(data),
            )
            if data["private"] != dataset.private:
                actions.dataset_set_private(actor=request.user, dataset=dataset, private=data["private"])
        except OpendataError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("opendata:edit", name=dataset.name)
    return render(request, "opendata/dataset_form.html", {
        "form": form, "dataset": dataset, "resources": dataset.resources.all(),
        "resource_form": ResourceForm(auto_id=RESOURCE_IDS),
        "notes": dataset.review_notes.select_related("author"),
        "note_form": NoteForm(),
    })


@staff_required
@require_POST
def resource_new(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _own_dataset_or_404(request, name)
    form = ResourceForm(request.POST, request.FILES, auto_id=RESOURCE_IDS)
    if form.is_valid():
        data = form.cleaned_data
        try:
            resource = actions.resource_add(
                actor=request.user, dataset=dataset, name=data["name"], description=data["description"],
                upload=data["file"], url=data["url"] or "", format=data["format"],
            )
        except OpendataError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("Sumber data \"%(name)s\" ditambahkan.") % {"name": resource.name})
            return redirect("opendata:edit", name=dataset.name)
    # A refused file keeps everything else the producer typed: the form comes back filled.
    return render(request, "opendata/dataset_form.html", {
        "form": None, "dataset": dataset, "resources": dataset.resources.all(), "resource_form": form,
        "notes": dataset.review_notes.select_related("author"), "note_form": NoteForm(),
    }, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def resource_manage(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    dataset = _own_dataset_or_404(request, name)
    resource = _resource_or_404(request, dataset, resource_id)
    TypesForm = types_form(resource)  # noqa: N806 - a form class built for this table
    types = TypesForm(request.POST if request.POST.get("do") == "types" else None)
    replacing = request.POST.get("do") == "replace"
    replace = ReplaceForm(request.POST if replacing else None, request.FILES if replacing else None)
    if request.method == "POST":
        action = request.POST.get("do")
        try:
            if action == "types" and types.is_valid():
                by_position = {f.position: f.name for f in resource.fields.all()}
                wanted = {by_position[int(key.split("_")[1])]: value
                          for key, value in types.cleaned_data.items()}
                actions.resource_set_types(actor=request.user, resource=resource, types=wanted)
                messages.success(request, _("Jenis kolom disimpan; tabel dimuat ulang."))
                return redirect("opendata:resource_manage", name=dataset.name, resource_id=resource.pk)
            if action == "replace" and replace.is_valid():
                version = actions.resource_replace(actor=request.user, resource=resource,
                                                   upload=replace.cleaned_data["file"])
                messages.success(request, _("Versi %(n)s diunggah.") % {"n": version.number})
                return redirect("opendata:resource_manage", name=dataset.name, resource_id=resource.pk)
            if action == "delete":
                actions.resource_delete(actor=request.user, resource=resource)
                messages.success(request, _("Sumber data dihapus."))
                return redirect("opendata:edit", name=dataset.name)
        except OpendataError as error:
            _refused(request, error, replace if action == "replace" else None)
    resource.refresh_from_db()
    return render(request, "opendata/resource_manage.html", {
        "dataset": dataset, "resource": resource, "types": types, "replace": replace,
        "versions": resource.versions.all(), "problems": resource.load_problems[:100],
    })


@staff_required
@require_POST
def dataset_move(request: HttpRequest, name: str) -> HttpResponse:
    """Submit, comment, withdraw (producer) — one form per step on the edit page."""
    dataset = _own_dataset_or_404(request, name)
    form = NoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    step = request.POST.get("do")
    steps = {"submit": actions.dataset_submit, "comment": actions.dataset_comment,
             "withdraw": actions.dataset_withdraw}
    if step not in steps:
        raise Http404
    try:
        steps[step](actor=request.user, dataset=dataset, text=text)
    except OpendataError as error:
        _refused(request, error)
    else:
        done = {"submit": _("Dataset diajukan ke Walidata."), "comment": _("Komentar ditambahkan."),
                "withdraw": _("Dataset ditarik dari publik.")}
        messages.success(request, done[step])
    return redirect("opendata:edit", name=dataset.name)


# -- Walidata -------------------------------------------------------------------------------

def _walidata_only(request: HttpRequest) -> None:
    if not queries.is_walidata(request.user):
        raise Http404


@staff_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    _walidata_only(request)
    return render(request, "opendata/review_list.html", {"datasets": queries.review_queue()})


@staff_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, name: str) -> HttpResponse:
    _walidata_only(request)
    dataset = queries.dataset_for(queries.Viewer(user=request.user), name)
    if dataset is None:
        raise Http404
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        steps = {"approve": actions.dataset_approve, "return": actions.dataset_return,
                 "comment": actions.dataset_comment, "withdraw": actions.dataset_withdraw}
        step = request.POST.get("do", "")
        if step not in steps:
            raise Http404
        try:
            steps[step](actor=request.user, dataset=dataset, text=form.cleaned_data["text"])
        except (OpendataError, NotAllowed) as error:
            _refused(request, error)
        else:
            done = {"approve": _("Dataset diterbitkan."), "return": _("Dataset dikembalikan ke produsen."),
                    "comment": _("Komentar ditambahkan."), "withdraw": _("Dataset ditarik dari publik.")}
            messages.success(request, done[step])
            if step in ("approve", "return"):
                return redirect("opendata:review_list")
            return redirect("opendata:review", name=dataset.name)
    return render(request, "opendata/review.html", {
        "dataset": dataset, "resources": dataset.resources.all(), "form": form,
        "notes": dataset.review_notes.select_related("author"), "tags": dataset.tags.all(),
        "topics": dataset.topics.all(), "licence": licences.licence(dataset.license_id),
    })
