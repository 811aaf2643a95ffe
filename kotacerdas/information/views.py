import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.cases.errors import CaseError, errors_summary
from kotacerdas.cases.models import Status
from kotacerdas.cases.queries import case_for_citizen, case_for_staff
from kotacerdas.information import actions, queries
from kotacerdas.information.errors import PpidInvalid
from kotacerdas.information.forms import (
    DecideForm,
    ExtendForm,
    ObjectionDecideForm,
    ObjectionForm,
    RequestForm,
)
from kotacerdas.information.models import InformationRequest, PublicInformation


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "information/home.html", {
        "rules": actions.ppid_rules(),
        "latest_news": queries.latest_news(6),
        "latest_documents": queries.document_list(queries.DocumentFilters()).order_by("-published_at")[:6],
    })


@require_GET
def ppid(request: HttpRequest) -> HttpResponse:
    return render(request, "information/ppid.html", {"rules": actions.ppid_rules()})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, initial={"submission_key": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.request_submit(requester=request.user, information=data["information"],
                                          purpose=data["purpose"], obtain=data["obtain"],
                                          submission_key=data["submission_key"])
        except PpidInvalid as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, str(message))
        else:
            due = date_format(made.case.due_date, "j F Y")
            messages.success(request, _("Permohonan informasi diterima dengan kode %(code)s. Jawaban paling "
                                        "lambat %(due)s.") % {"code": made.case.tracking_code, "due": due})
            return redirect("cases:my_case", code=made.case.tracking_code)
    return render(request, "information/request_form.html", {"form": form, "rules": actions.ppid_rules()},
                  status=400 if form.errors else 200)


@require_GET
def _year(request: HttpRequest) -> int | None:
    """The `tahun` asked for, or None when it is no year the register can hold (a year far
    outside the calendar the database keeps would otherwise crash the date arithmetic)."""
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def register(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    page = Paginator(queries.public_register(year), 50).get_page(request.GET.get("page"))
    return render(request, "information/register.html", {"page": page, "year": year})


@require_GET
def dip(request: HttpRequest) -> HttpResponse:
    rows = queries.public_information()
    groups = [(label, [r for r in rows if r.category == value])
              for value, label in PublicInformation.Category.choices]
    return render(request, "information/dip.html", {"groups": groups})


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    year = _year(request) or this_year
    return render(request, "information/report.html", {
        "figures": queries.figures(year), "years": range(this_year, this_year - 5, -1),
    })


# -- the requester ----------------------------------------------------------------------------

def citizen_panel(request: HttpRequest, case) -> str:
    info = queries.request_of(case)
    if info is None:
        return ""
    return render_to_string("information/citizen_panel.html", {
        "info": info, "case": case, "objection": getattr(info, "objection", None),
        "may_object": actions.may_object(info), "deadline": actions.objection_deadline(info),
        "form": ObjectionForm(auto_id="objection_%s"),
    }, request=request)


@login_required
@require_POST
def objection_new(request: HttpRequest, code: str) -> HttpResponse:
    case = case_for_citizen(request.user, code)
    info = queries.request_of(case)
    if info is None:
        raise Http404
    form = ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise PpidInvalid({name: " ".join(str(e) for e in errs) for name, errs in form.errors.items()})
        actions.objection_file(request=info, actor=request.user, grounds=form.cleaned_data["grounds"],
                               reason=form.cleaned_data["reason"])
    except PpidInvalid as error:
        messages.error(request, errors_summary(error.errors))
    except CaseError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Keberatan diajukan. Atasan PPID menanggapi dalam batas waktu yang "
                                    "berlaku."))
    return redirect("cases:my_case", code=case.tracking_code)


@login_required
@require_GET
def answer_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    """The answer's files: for the requester and the officers who hold the case."""
    user = request.user
    is_officer = getattr(user, "is_officer", False)
    case = case_for_staff(user, code) if is_officer else case_for_citizen(user, code)
    info = queries.request_of(case)
    found = info.files.filter(pk=file_id).first() if info else None
    if found is None:
        raise Http404
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name,
                            content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- the PPID and its superior ----------------------------------------------------------------

def owned_statuses(case) -> set[str]:
    """A PPID request ends only with a written decision (and an objection with the
    superior's): the shared status form must not resolve, reject or close it."""
    if InformationRequest.objects.filter(case=case).exists():
        return {Status.RESOLVED, Status.REJECTED, Status.CLOSED}
    return set()


def staff_panel(request: HttpRequest, case) -> str:
    info = queries.request_of(case)
    if info is None:
        return ""
    membership = getattr(request.user, "membership", None)
    own = membership is not None and membership.agency_id == case.agency_id
    objection = getattr(info, "objection", None)
    return render_to_string("information/staff_panel.html", {
        "info": info, "case": case, "own": own, "objection": objection,
        "is_superior": actions.is_superior(request.user),
        "extend_form": ExtendForm(auto_id="extend_%s"), "decide_form": DecideForm(auto_id="decide_%s"),
        "objection_form": ObjectionDecideForm(auto_id="objection_%s"),
        "requester": info.requester,
    }, request=request)


def _staff_do(request: HttpRequest, code: str, step) -> HttpResponse:
    case = case_for_staff(request.user, code)
    info = queries.request_of(case)
    if info is None:
        raise Http404
    try:
        step(info)
    except PpidInvalid as error:
        messages.error(request, errors_summary(error.errors))
    except CaseError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Tersimpan dan dikirim ke pemohon."))
    return redirect("cases:staff_case", code=case.tracking_code)


@staff_required
@require_POST
def staff_extend(request: HttpRequest, code: str) -> HttpResponse:
    return _staff_do(request, code, lambda info: actions.request_extend(
        request=info, actor=request.user, reason=request.POST.get("reason", "")[:2000]))


@staff_required
@require_POST
def staff_decide(request: HttpRequest, code: str) -> HttpResponse:
    return _staff_do(request, code, lambda info: actions.request_decide(
        request=info, actor=request.user, decision=request.POST.get("decision", ""),
        answer=request.POST.get("answer", "")[:10000],
        legal_ground=request.POST.get("legal_ground", "")[:2000],
        files=request.FILES.getlist("files")))


@staff_required
@require_POST
def staff_objection(request: HttpRequest, code: str) -> HttpResponse:
    def decide(info: InformationRequest) -> None:
        objection = getattr(info, "objection", None)
        if objection is None:
            raise Http404
        actions.objection_decide(objection=objection, actor=request.user,
                                 outcome=request.POST.get("outcome", ""),
                                 response=request.POST.get("response", "")[:10000],
                                 files=request.FILES.getlist("files"))

    return _staff_do(request, code, decide)
