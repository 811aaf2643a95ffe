import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.audit.actions import audit_record
from kotacerdas.cases import panels, workflow
from kotacerdas.cases.errors import CaseConflict, NotYourAgency, TransitionNotAllowed
from kotacerdas.cases.models import (
    FINAL_STATUSES,
    PAUSED_STATUSES,
    Case,
    CaseEvent,
    Handover,
    Holiday,
    Status,
)
from kotacerdas.cases.queries import due_date_for, holiday_dates
from kotacerdas.lib import workdays
from kotacerdas.lib.trackcode import new_code
from kotacerdas.notifications.actions import message_create


def _ensure_officer_of(actor, case: Case) -> None:
    membership = getattr(actor, "membership", None)
    if membership is None or membership.agency_id != case.agency_id:
        raise NotYourAgency


def _notify_citizen(case: Case, template: str, **context) -> None:
    if case.citizen is not None and case.citizen.is_active:
        message_create(user=case.citizen, template=template, context={"case": case, **context})


@transaction.atomic
def case_open(
    *,
    kind: str,
    agency,
    title: str,
    sla_workdays: int,
    citizen=None,
    kelurahan=None,
    lat: float | None = None,
    lon: float | None = None,
    actor=None,
) -> Case:
    """Open a case with a fresh tracking code and its SLA due date in working days."""
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    kind=kind,
                    tracking_code=new_code(),
                    title=title,
                    citizen=citizen,
                    agency=agency,
                    kelurahan=kelurahan,
                    lat=lat,
                    lon=lon,
                    sla_workdays=sla_workdays,
                    submitted_at=now,
                    updated_at=now,
                    due_date=due_date_for(timezone.localdate(now), sla_workdays),
                )
            break
        except IntegrityError:  # a tracking-code collision: draw again
            continue
    else:
        raise RuntimeError("could not draw a free tracking code")
    CaseEvent.objects.create(
        case=case, type=CaseEvent.Type.STATUS, is_public=True, actor=actor or citizen,
        to_status=Status.SUBMITTED, at=now,
    )
    audit_record(actor=actor or citizen, action="case_open", obj=case,
                 after={"kind": kind, "agency": agency.pk, "status": Status.SUBMITTED})
    _notify_citizen(case, "case_submitted")
    return case


def _resume_fields(case: Case, now) -> dict:
    """Coming back from a pause pushes the due date by the working days spent waiting."""
    start = timezone.localdate(case.paused_since)
    holidays = holiday_dates(start)
    waited = workdays.workdays_between(start, timezone.localdate(now), holidays)
    return {"paused_since": None, "due_date": workdays.add_workdays(case.due_date, waited, holidays)}


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    actor,
    note: str = "",
    public: bool = True,
    by_citizen: bool = False,
    module: bool = False,
    event_data: dict | None = None,
    system: bool = False,
) -> Case:
    """Move a case to a new status. A conditional update: if another officer moved it first,
    this raises CaseConflict instead of silently overwriting their decision. `module` is set
    by the owning module's own actions, the only way to reach a status in MODULE_ONLY;
    `system` by the worker's scheduled actions, which act for nobody."""
    if system:
        pass  # the platform itself, e.g. closing answered reports nobody responded to
    elif by_citizen:
        if case.citizen_id != actor.pk:
            raise NotYourAgency
    else:
        _ensure_officer_of(actor, case)
    old = case.status
    if not workflow.can_move(case.kind, old, to_status):
        raise TransitionNotAllowed
    if not module and (to_status in workflow.MODULE_ONLY.get(case.kind, set())
                       or to_status in panels.owned_statuses(case)):
        raise TransitionNotAllowed
    now = timezone.now()
    fields: dict = {"status": to_status, "updated_at": now}
    if to_status in PAUSED_STATUSES and case.paused_since is None:
        fields["paused_since"] = now
    elif to_status not in PAUSED_STATUSES and case.paused_since is not None:
        fields.update(_resume_fields(case, now))
    if to_status not in FINAL_STATUSES:
        fields["resolved_at"] = None
    elif old not in FINAL_STATUSES or case.resolved_at is None:
        fields["resolved_at"] = now
    # Closing a resolved or rejected case keeps the time the work was finished: SLA
    # compliance is measured against it, not against the later administrative close.
    # The agency is part of the condition: a handover that commits first leaves the status
    # as it was, and the officer who lost the case must not still move it.
    if Case.objects.filter(pk=case.pk, status=old, agency_id=case.agency_id).update(**fields) != 1:
        raise CaseConflict
    for name, value in fields.items():
        setattr(case, name, value)
    CaseEvent.objects.create(
        case=case, type=CaseEvent.Type.STATUS, is_public=public, actor=actor,
        from_status=old, to_status=to_status, text=note, at=now, data=event_data or {},
    )
    audit_record(actor=actor, action="case_transition", obj=case,
                 before={"status": old}, after={"status": to_status})
    if public:
        _notify_citizen(case, "case_status_changed", note=note)
    return case


@transaction.atomic
def case_restart_clock(*, case: Case, sla_workdays: int, actor) -> Case:
    """Start the next stage's deadline from today, e.g. SP4N-LAPOR!'s follow-up days that
    run from the disposition. Conditional on the agency the officer saw."""
    now = timezone.now()
    due = due_date_for(timezone.localdate(now), sla_workdays)
    if Case.objects.filter(pk=case.pk, agency_id=case.agency_id).update(
        sla_workdays=sla_workdays, due_date=due, updated_at=now
    ) != 1:
        raise CaseConflict
    before = case.due_date
    case.sla_workdays, case.due_date = sla_workdays, due
    audit_record(actor=actor, action="case_restart_clock", obj=case,
                 before={"due_date": before}, after={"due_date": due, "sla_workdays": sla_workdays})
    return case


@transaction.atomic
def case_extend(*, case: Case, workdays: int, actor, reason: str) -> Case:
    """Move the due date later by some working days, with the reason told to the resident
    (e.g. UU 14/2008's one written extension of a PPID answer)."""
    _ensure_officer_of(actor, case)
    due = workdays_add(case.due_date, workdays)
    now = timezone.now()
    if Case.objects.filter(pk=case.pk, agency_id=case.agency_id, due_date=case.due_date).update(
        due_date=due, sla_workdays=case.sla_workdays + workdays, updated_at=now
    ) != 1:
        raise CaseConflict
    before = case.due_date
    case.due_date, case.sla_workdays = due, case.sla_workdays + workdays
    CaseEvent.objects.create(case=case, type=CaseEvent.Type.REPLY, is_public=True, actor=actor, text=reason,
                             at=now, data={"extended_to": due.isoformat()})
    audit_record(actor=actor, action="case_extend", obj=case, before={"due_date": before},
                 after={"due_date": due, "reason": reason})
    _notify_citizen(case, "case_replied", text=reason)
    return case


def workdays_add(start, days: int):
    return workdays.add_workdays(start, days, holiday_dates(start))


@transaction.atomic
def case_handover(*, case: Case, to_agency, actor, reason: str, by_citizen: bool = False) -> Handover:
    """Disposisi: the receiving agency takes the case over; the sender keeps read access.
    `by_citizen` is for a module whose rules send the case on at the resident's request
    (a PPID objection goes to the PPID's superior)."""
    if by_citizen:
        if case.citizen_id != actor.pk:
            raise NotYourAgency
    else:
        _ensure_officer_of(actor, case)
    if to_agency.pk == case.agency_id:
        raise TransitionNotAllowed(_("Perkara sudah berada di perangkat daerah tujuan."))
    if not case.is_open:
        raise TransitionNotAllowed(_("Perkara yang sudah selesai tidak dapat didisposisikan."))
    from_agency = case.agency
    moved = Case.objects.filter(pk=case.pk, agency=from_agency, status=case.status).update(
        agency=to_agency, assignee=None, updated_at=timezone.now()
    )
    if moved != 1:
        raise CaseConflict
    case.agency, case.assignee = to_agency, None
    handover = Handover.objects.create(
        case=case, from_agency=from_agency, to_agency=to_agency, reason=reason, actor=actor
    )
    CaseEvent.objects.create(
        case=case, type=CaseEvent.Type.HANDOVER, is_public=True, actor=actor,
        data={"from": from_agency.short_name, "to": to_agency.short_name}, text="",
    )
    CaseEvent.objects.create(case=case, type=CaseEvent.Type.NOTE, actor=actor, text=reason)
    audit_record(actor=actor, action="case_handover", obj=case,
                 before={"agency": from_agency.pk}, after={"agency": to_agency.pk, "reason": reason})
    _notify_citizen(case, "case_handed_over", to_agency=to_agency)
    return handover


@transaction.atomic
def case_assign(*, case: Case, assignee, actor) -> Case:
    _ensure_officer_of(actor, case)
    if assignee is not None:
        _ensure_officer_of(assignee, case)
    before = case.assignee_id
    # Conditional on the agency the officer saw: a concurrent handover wins over the assignment.
    if Case.objects.filter(pk=case.pk, agency_id=case.agency_id).update(
        assignee=assignee, updated_at=timezone.now()
    ) != 1:
        raise CaseConflict
    case.assignee = assignee
    CaseEvent.objects.create(
        case=case, type=CaseEvent.Type.ASSIGN, actor=actor,
        data={"assignee": assignee.name if assignee else ""},
    )
    audit_record(actor=actor, action="case_assign", obj=case,
                 before={"assignee": before}, after={"assignee": assignee})
    return case


@transaction.atomic
def case_comment(*, case: Case, actor, text: str, public: bool) -> CaseEvent:
    """A public reply to the resident, or an internal note only staff see."""
    _ensure_officer_of(actor, case)
    now = timezone.now()
    # Conditional on the agency the officer saw, as in case_transition.
    if Case.objects.filter(pk=case.pk, agency_id=case.agency_id).update(updated_at=now) != 1:
        raise CaseConflict
    event = CaseEvent.objects.create(
        case=case,
        type=CaseEvent.Type.REPLY if public else CaseEvent.Type.NOTE,
        is_public=public,
        actor=actor,
        text=text,
        at=now,
    )
    audit_record(actor=actor, action="case_reply" if public else "case_note", obj=case,
                 after={"event": event.pk})
    if public:
        _notify_citizen(case, "case_replied", text=text)
    return event


@transaction.atomic
def holiday_add(*, day, name: str, kind: str = Holiday.Kind.LOCAL, actor=None) -> Holiday:
    holiday, created = Holiday.objects.get_or_create(date=day, defaults={"name": name, "kind": kind})
    if created:
        audit_record(actor=actor, action="holiday_add", obj=holiday, after={"date": day, "name": name})
    return holiday


@transaction.atomic
def holidays_load_reference() -> int:
    """Load national holidays and cuti bersama; local holidays are added by admins."""
    created = 0
    with (Path(settings.BASE_DIR) / "data" / "holidays_id.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            _holiday, made = Holiday.objects.get_or_create(
                date=date.fromisoformat(row["date"]), defaults={"name": row["name"], "kind": row["kind"]}
            )
            created += made
    return created
