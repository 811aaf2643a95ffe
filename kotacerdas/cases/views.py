from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.accounts.http import AuthenticatedHttpRequest
from kotacerdas.accounts.queries import staff_of
from kotacerdas.audit.queries import audit_for
from kotacerdas.cases import actions, panels, queries
from kotacerdas.cases.errors import CaseError, TransitionNotAllowed
from kotacerdas.cases.forms import AssignForm, CommentForm, HandoverForm, InboxFilterForm, TrackForm
from kotacerdas.cases.models import Status
from kotacerdas.lib.trackcode import is_valid_code


def track(request: HttpRequest) -> HttpResponse:
    """Public tracking by code: status and public timeline, never personal data."""
    form = TrackForm(request.GET or None)
    case = None
    searched = False
    if form.is_valid():
        searched = True
        if is_valid_code(form.cleaned_data["code"]):
            case = queries.case_public(form.cleaned_data["code"])
    context: dict[str, object] = {"form": form, "case": case, "searched": searched}
    if case is not None:
        context["events"] = queries.public_events(case)
    return render(request, "cases/track.html", context)


@login_required
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(queries.cases_of_citizen(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "cases/mine.html", {"page": page})


@login_required
def my_case(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = queries.case_for_citizen(request.user, code)
    context = {
        "case": case, "events": queries.public_events(case), "panel": panels.citizen_panel(request, case)
    }
    return render(request, "cases/my_case.html", context)


INBOX_PAGE_SIZE = 50


@staff_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.inbox(
        request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        overdue=filters.get("overdue", False),
        mine=filters.get("mine", False),
    )
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    cases = queries.with_sla_flags(page.object_list)
    template = "cases/inbox_rows.html" if request.headers.get("HX-Request") else "cases/inbox.html"
    return render(request, template, {"form": form, "page": page, "cases": cases})


@staff_required
def staff_case(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = queries.case_for_staff(request.user, code)
    membership = request.user.membership
    own = membership is not None and case.agency_id == membership.agency_id
    queries.with_sla_flags([case])
    context = {
        "case": case,
        "own": own,
        "events": queries.timeline_for_staff(case),
        "next_statuses": [Status(s) for s in sorted(panels.generic_next(case))],
        "comment_form": CommentForm(),
        "handover_form": HandoverForm(),
        "assign_form": AssignForm(staff=staff_of(case.agency)),
        "audit": audit_for(case)[:100],
        "panel": panels.staff_panel(request, case),
    }
    return render(request, "cases/staff_case.html", context)


def _act(request: AuthenticatedHttpRequest, code: str, perform) -> HttpResponse:
    case = queries.case_for_staff(request.user, code)
    try:
        perform(case)
    except CaseError as error:
        messages.error(request, error.message)
    return redirect("cases:staff_case", code=case.tracking_code)


@require_POST
@staff_required
def staff_transition(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    to_status = request.POST.get("to_status", "")
    if to_status not in Status.values:
        messages.error(request, TransitionNotAllowed.message)
        return redirect("cases:staff_case", code=code)
    return _act(request, code, lambda case: actions.case_transition(
        case=case, to_status=to_status, actor=request.user, note=request.POST.get("note", "").strip()
    ))


@require_POST
@staff_required
def staff_comment(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("cases:staff_case", code=code)
    return _act(request, code, lambda case: actions.case_comment(
        case=case, actor=request.user, text=form.cleaned_data["text"], public=form.cleaned_data["public"]
    ))


@require_POST
@staff_required
def staff_handover(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    form = HandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("cases:staff_case", code=code)
    return _act(request, code, lambda case: actions.case_handover(
        case=case, to_agency=form.cleaned_data["to_agency"], actor=request.user,
        reason=form.cleaned_data["reason"],
    ))


@require_POST
@staff_required
def staff_assign(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = queries.case_for_staff(request.user, code)
    form = AssignForm(request.POST, staff=staff_of(case.agency))
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("cases:staff_case", code=code)
    return _act(request, code, lambda case: actions.case_assign(
        case=case, assignee=form.cleaned_data["assignee"], actor=request.user
    ))
