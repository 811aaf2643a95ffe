import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.cases import workflow
from kotacerdas.cases.errors import CaseError, errors_summary
from kotacerdas.cases.queries import public_events
from kotacerdas.regions.queries import kelurahan_choices
from kotacerdas.reports import actions, queries
from kotacerdas.reports.errors import ReportInvalid
from kotacerdas.reports.forms import AnswerForm, CloseForm, FilterForm, ReopenForm, ReportForm
from kotacerdas.reports.models import Privacy, ReplyTemplate, Subscription


def _filters(request: HttpRequest) -> tuple[FilterForm, queries.Filters]:
    form = FilterForm(request.GET or None, categories=queries.active_categories())
    data = form.cleaned_data if form.is_valid() else {}
    return form, queries.Filters(
        category=data.get("category", ""),
        status=data.get("status", ""),
        kelurahan=data.get("kelurahan", ""),
        since=data.get("since"),
        until=data.get("until"),
    )


@require_GET
def public_map(request: HttpRequest) -> HttpResponse:
    """The public map and list of reports, with filters; the list works without JavaScript."""
    form, filters = _filters(request)
    page = Paginator(queries.public_list(filters), 20).get_page(request.GET.get("page"))
    query = request.GET.urlencode()
    context = {
        "form": form,
        "page": page,
        "query": query,
        "points_url": reverse("reports:points") + (f"?{query}" if query else ""),
    }
    template = "reports/list_rows.html" if request.headers.get("HX-Request") else "reports/map.html"
    return render(request, template, context)


@require_GET
def points(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    response = HttpResponse(queries.map_points_json(filters), content_type="application/json")
    # Not kept by the browser: a resident back on the map right after reporting must see her
    # marker (the list below is fresh). Shared caches may still hold it for a minute.
    response["Cache-Control"] = "public, max-age=0, s-maxage=60"
    return response


@require_GET
def report_page(request: HttpRequest, code: str) -> HttpResponse:
    report, staff = queries.report_for_viewer(request.user, code)
    if staff:
        return redirect("cases:staff_case", code=report.case.tracking_code)
    own = request.user.is_authenticated and report.reporter_id == request.user.pk
    following = (
        request.user.is_authenticated
        and Subscription.objects.filter(user=request.user, report=report).exists()
    )
    events = list(public_events(report.case))
    answers = [e for e in events if e.data.get("answer")]
    context = {
        "report": report,
        "case": report.case,
        "events": events,
        "latest_answer": answers[-1] if answers else None,
        "photos": queries.visible_photos(report),
        "reporter_name": queries.public_name(report),
        "own": own,
        "following": following,
        "reopen_form": ReopenForm(),
    }
    return render(request, "reports/report.html", context)


@require_GET
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    found = queries.photo_for(request.user, photo_id)
    content_type = "image/png" if found.file.name.endswith(".png") else "image/jpeg"
    response = FileResponse(found.file.open("rb"), content_type=content_type)
    # A hidden photo, or one of a report the public may not see, is shown to its officers
    # (and reporter) only: no shared cache may keep it for the next visitor.
    response["Cache-Control"] = (
        # Short: a moderator may blur or hide the photo, and the URL stays the same.
        "public, max-age=300" if queries.photo_is_public(found) else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def choose_category(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reports/choose.html", {"categories": queries.active_categories()})


@login_required
def new_report(request: AuthenticatedHttpRequest, category: str) -> HttpResponse:
    found = queries.category_by_code(category)
    if found is None:
        raise Http404
    if request.user.is_officer:
        messages.error(request, _("Akun petugas tidak dapat membuat pengaduan warga."))
        return redirect("reports:map")
    form = ReportForm(request.POST or None)
    errors: dict = {}
    key = request.POST.get("submission_key", "")[:64] or secrets.token_urlsafe(24)
    # Each extra question with what was typed or chosen, so a form sent back keeps it.
    questions = [(a, request.POST.getlist(f"attribute_{a.code}")) for a in found.attributes.all()]
    if request.method == "POST" and not form.is_valid():
        errors = {name: " ".join(str(m) for m in messages) for name, messages in form.errors.items()}
    elif request.method == "POST":
        data = form.cleaned_data
        attributes = {
            a.code: typed if a.datatype == "multivaluelist" else (typed[0] if typed else "")
            for a, typed in questions
        }
        try:
            report = actions.report_submit(
                reporter=request.user,
                category=found,
                description=data["description"],
                lat=data["lat"],
                lon=data["lon"],
                address=data["address"],
                privacy=data["privacy"],
                photos=request.FILES.getlist("photos"),
                attributes=attributes,
                submission_key=key,
            )
        except ReportInvalid as invalid:
            errors = invalid.errors
        else:
            messages.success(
                request, _("Pengaduan terkirim. Kode lacak: %(code)s") % {"code": report.case.tracking_code}
            )
            return redirect("reports:report", code=report.case.tracking_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/new.html",
        {
            "category": found,
            "form": form,
            "errors": errors,
            "submission_key": key,
            "questions": questions,
            "kelurahan": kelurahan_choices(),
        },
        status=status,
    )


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """Open reports of the same kind near the pin, shown before the resident submits."""
    category = queries.category_by_code(request.GET.get("category", ""))
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
    except ValueError:
        return HttpResponse("")
    if category is None:
        return HttpResponse("")
    rows = queries.nearby_open(category, lat, lon)
    return render(request, "reports/nearby_rows.html", {"reports": rows, "category": category})


@require_POST
@login_required
def support(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    report, _staff = queries.report_for_viewer(request.user, code)
    try:
        added = actions.report_support(report=report, user=request.user)
    except CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Terima kasih, dukungan Anda tercatat. Anda akan menerima kabar laporan ini.")
            if added
            else _("Anda sudah mendukung laporan ini."),
        )
    return redirect("reports:report", code=report.case.tracking_code)


@require_POST
@login_required
def follow(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    report, _staff = queries.report_for_viewer(request.user, code)
    existing = Subscription.objects.filter(user=request.user, report=report).first()
    if existing is not None:
        actions.subscription_remove(subscription=existing, user=request.user)
        messages.success(request, _("Anda berhenti mengikuti laporan ini."))
    else:
        actions.subscription_add(user=request.user, kind=Subscription.Kind.REPORT, report=report)
        messages.success(request, _("Anda mengikuti laporan ini."))
    return redirect("reports:report", code=report.case.tracking_code)


@require_POST
@login_required
def reporter_action(request: AuthenticatedHttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ("selesai", "buka-kembali"):
        raise Http404
    report, _staff = queries.report_for_viewer(request.user, code)
    try:
        if action == "selesai":
            actions.report_confirm(report=report, actor=request.user)
            messages.success(request, _("Terima kasih. Laporan ditutup sebagai selesai."))
        else:
            actions.report_reopen(
                report=report, actor=request.user, reason=request.POST.get("reason", "")[:2000]
            )
            messages.success(request, _("Laporan dibuka kembali dan dikirim lagi ke petugas."))
    except ReportInvalid as invalid:
        messages.error(request, errors_summary(invalid.errors))
    except CaseError as error:
        messages.error(request, error.message)
    return redirect("reports:report", code=report.case.tracking_code)


def _float(value) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


@login_required
def subscriptions(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("remove"):
            found = queries.subscriptions_of(request.user).filter(pk=request.POST["remove"]).first()
            if found is not None:
                actions.subscription_remove(subscription=found, user=request.user)
        else:
            try:
                if request.POST.get("kind") == Subscription.Kind.AREA:
                    actions.subscription_add(
                        user=request.user,
                        kind=Subscription.Kind.AREA,
                        lat=_float(request.POST.get("lat")),
                        lon=_float(request.POST.get("lon")),
                        radius_m=int(_float(request.POST.get("radius")) or 500),
                    )
                else:
                    kelurahan = next(
                        (k for k in kelurahan_choices() if k.code == request.POST.get("kelurahan")), None
                    )
                    actions.subscription_add(
                        user=request.user, kind=Subscription.Kind.KELURAHAN, kelurahan=kelurahan
                    )
            except ReportInvalid as invalid:
                messages.error(request, errors_summary(invalid.errors))
            else:
                messages.success(request, _("Langganan tersimpan."))
        return redirect("reports:subscriptions")
    return render(
        request,
        "reports/subscriptions.html",
        {
            "subscriptions": queries.subscriptions_of(request.user),
            "kelurahan": kelurahan_choices(),
        },
    )


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = min(max(int(request.GET.get("tahun", today.year)), 2020), today.year)
    except ValueError:
        year = today.year
    return render(
        request,
        "reports/statistics.html",
        {
            "year": year,
            "figures": queries.figures(year=year),
            "years": range(today.year, 2023, -1),
        },
    )


class ReportFeed(Feed):
    """Atom feed of new public reports, with the same filters as the map."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return _filters(request)[1]

    def title(self, obj):
        return _("Pengaduan warga Kota Blitar")

    def link(self, obj):
        return reverse("reports:map")

    def subtitle(self, obj):
        return _("Laporan publik terbaru")

    def items(self, obj):
        return queries.public_list(obj)[:50]

    def item_title(self, item):
        return f"{item.category.name} · {item.kelurahan.name}"

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return reverse("reports:report", args=[item.case.tracking_code])

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


# --- Officers -------------------------------------------------------------------------------


def _staff_report(request, code):
    report, staff = queries.report_for_viewer(request.user, code)
    if not staff:
        raise Http404
    return report


def _staff_do(request, code, perform) -> HttpResponse:
    report = _staff_report(request, code)
    try:
        perform(report)
    except ReportInvalid as invalid:
        messages.error(request, errors_summary(invalid.errors))
    except CaseError as error:
        messages.error(request, error.message)
    return redirect("cases:staff_case", code=report.case.tracking_code)


@require_POST
@staff_required
def staff_verify(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _staff_do(request, code, lambda r: actions.report_verify(report=r, actor=request.user))


@require_POST
@staff_required
def staff_answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _staff_do(
        request,
        code,
        lambda r: actions.report_answer(
            report=r, actor=request.user, text=request.POST.get("text", "")[:5000]
        ),
    )


@require_POST
@staff_required
def staff_close(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def close(report):
        other = None
        if request.POST.get("duplicate_of"):
            other = queries.report_public(request.POST["duplicate_of"])
            if other is None:
                raise ReportInvalid({"duplicate_of": _("Laporan dengan kode itu tidak ditemukan.")})
        actions.report_close(
            report=report,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", "")[:2000],
            duplicate_of=other,
        )

    return _staff_do(request, code, close)


@require_POST
@staff_required
def staff_reject(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _staff_do(
        request,
        code,
        lambda r: actions.report_reject(
            report=r, actor=request.user, reason=request.POST.get("reason", "")[:2000]
        ),
    )


@require_POST
@staff_required
def staff_moderate(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def moderate(report):
        blur = {}
        for photo_id in request.POST.getlist("blur_photo"):
            try:
                box = tuple(float(request.POST.get(f"blur_{photo_id}_{k}", "")) / 100 for k in "xywh")
            except ValueError:
                raise ReportInvalid({"blur": _("Isi kotak samaran dalam persen (0-100).")}) from None
            blur[int(photo_id)] = box
        actions.report_moderate(
            report=report,
            actor=request.user,
            description=request.POST.get("description") or None,
            hide_photos=[int(p) for p in request.POST.getlist("hide_photo") if p.isdigit()],
            blur=blur,
        )

    return _staff_do(request, code, moderate)


def staff_panel(request: HttpRequest, case) -> str:
    report = queries.report_of(case)
    if report is None:
        return ""
    membership = getattr(request.user, "membership", None)
    context = {
        "report": report,
        "case": case,
        "photos": queries.visible_photos(report, staff=True),
        "own": membership is not None and membership.agency_id == case.agency_id,
        "next": workflow.allowed_next(case.kind, case.status),
        "answer_form": AnswerForm(auto_id="answer_%s"),
        "close_form": CloseForm(auto_id="close_%s"),
        # Shared templates have no agency; `agency__in=[None, ...]` would drop them (SQL IN skips NULL).
        "templates": (
            ReplyTemplate.objects.filter(Q(agency=None) | Q(agency=case.agency_id)) if membership else []
        ),
        "nearby": queries.nearby_open(report.category, report.lat, report.lon),
        "reporter": report.reporter,
        "privacy_label": Privacy(report.privacy).label,
    }
    return render_to_string("reports/staff_panel.html", context, request=request)


def citizen_panel(request: HttpRequest, case) -> str:
    report = queries.report_of(case)
    if report is None:
        return ""
    return render_to_string("reports/citizen_panel.html", {"report": report, "case": case}, request=request)
