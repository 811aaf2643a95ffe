from collections import deque
from datetime import date

import pytest
import time_machine
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases import actions, queries, workflow
from kotacerdas.cases.errors import CaseConflict, NotYourAgency, TransitionNotAllowed
from kotacerdas.cases.models import FINAL_STATUSES, Case, CaseEvent, Holiday, Kind, Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.notifications.models import Message

S = Status

ALLOWED = [
    (kind, old, new)
    for kind in Kind.values
    for old in Status.values
    for new in Status.values
    if workflow.can_move(kind, old, new)
]
FORBIDDEN = [
    (kind, old, new)
    for kind in Kind.values
    for old in Status.values
    for new in Status.values
    if not workflow.can_move(kind, old, new)
]


def path_to(kind: str, target: str) -> list[str]:
    """The shortest walk through the table from submitted to `target`."""
    previous = {S.SUBMITTED.value: None}
    todo = deque([S.SUBMITTED.value])
    while todo:
        status = todo.popleft()
        for nxt in sorted(workflow.allowed_next(kind, status)):
            if nxt not in previous:
                previous[nxt] = status
                todo.append(nxt)
    walk = []
    while target != S.SUBMITTED:
        walk.append(target)
        target = previous[target]
    return walk[::-1]


def bring_to(case: Case, status: str, actor) -> Case:
    for step in path_to(case.kind, status):
        actions.case_transition(case=case, to_status=step, actor=actor, module=True)
    return case


def status_events(case: Case) -> list[tuple[str, str]]:
    return list(
        CaseEvent.objects.filter(case=case, type=CaseEvent.Type.STATUS)
        .order_by("at", "id")
        .values_list("from_status", "to_status")
    )


# --- the transition table, enforced by the action -----------------------------------------


def test_the_test_table_covers_every_pair():
    assert len(ALLOWED) + len(FORBIDDEN) == len(Kind.values) * len(Status.values) ** 2
    assert ALLOWED and FORBIDDEN


@pytest.mark.parametrize(("kind", "old", "new"), ALLOWED)
def test_allowed_transition_moves_the_case_and_records_it(personas, open_case, kind, old, new):
    case = bring_to(open_case(kind=kind), old, personas.operator)
    before = status_events(case)

    actions.case_transition(case=case, to_status=new, actor=personas.operator, module=True)

    assert Case.objects.get(pk=case.pk).status == new
    assert status_events(case) == [*before, (old, new)]


MODULE_ONLY = [(kind, old, new) for kind, old, new in ALLOWED if new in workflow.MODULE_ONLY.get(kind, set())]


@pytest.mark.parametrize(("kind", "old", "new"), MODULE_ONLY)
def test_status_a_module_owns_is_refused_to_the_generic_transition(personas, open_case, kind, old, new):
    case = bring_to(open_case(kind=kind), old, personas.operator)

    with pytest.raises(TransitionNotAllowed):
        actions.case_transition(case=case, to_status=new, actor=personas.operator)

    assert Case.objects.get(pk=case.pk).status == old
    assert new not in workflow.generic_next(kind, old)


@pytest.mark.parametrize(("kind", "old", "new"), FORBIDDEN)
def test_transition_not_in_the_table_is_refused(personas, open_case, kind, old, new):
    case = bring_to(open_case(kind=kind), old, personas.operator)
    before = status_events(case)
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(TransitionNotAllowed):
        actions.case_transition(case=case, to_status=new, actor=personas.operator)

    assert Case.objects.get(pk=case.pk).status == old
    assert status_events(case) == before
    assert AuditEntry.objects.count() == audit_rows


# --- conditional update -------------------------------------------------------------------


def test_stale_case_object_raises_conflict_and_records_nothing(personas, open_case):
    case = open_case()
    stale = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(status=S.VERIFIED)  # someone else, behind its back

    with pytest.raises(CaseConflict):
        actions.case_transition(case=stale, to_status=S.REJECTED, actor=personas.operator)

    assert Case.objects.get(pk=case.pk).status == S.VERIFIED
    assert CaseEvent.objects.filter(case=case).count() == 1  # only the opening
    assert not AuditEntry.objects.filter(action="case_transition").exists()
    assert stale.status == S.SUBMITTED  # the losing object is not half-updated


def test_second_officer_with_an_old_page_loses_to_the_first(personas, open_case):
    case = open_case()
    seen_by_operator = Case.objects.get(pk=case.pk)
    seen_by_kepala = Case.objects.get(pk=case.pk)

    actions.case_transition(case=seen_by_kepala, to_status=S.VERIFIED, actor=personas.kepala)
    with pytest.raises(CaseConflict):
        actions.case_transition(case=seen_by_operator, to_status=S.REJECTED, actor=personas.operator)

    assert Case.objects.get(pk=case.pk).status == S.VERIFIED
    assert status_events(case) == [("", S.SUBMITTED), (S.SUBMITTED, S.VERIFIED)]
    assert AuditEntry.objects.filter(action="case_transition").count() == 1


def test_stale_handover_raises_conflict(personas, open_case):
    case = open_case()
    stale = Case.objects.get(pk=case.pk)
    actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.kepala)

    with pytest.raises(CaseConflict):
        actions.case_handover(case=stale, to_agency=personas.dpupr, actor=personas.operator, reason="x")

    assert Case.objects.get(pk=case.pk).agency == personas.dukcapil
    assert not case.handovers.exists()


@pytest.mark.parametrize("act", ["transition", "comment", "assign"])
def test_officer_whose_page_predates_a_handover_cannot_act(personas, open_case, act):
    """The status is the same after a handover, so the agency must be part of the check."""
    case = open_case()
    page_of_operator = Case.objects.select_related("agency").get(pk=case.pk)
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.kepala, reason="urusan jalan")
    events = CaseEvent.objects.filter(case=case).count()
    perform = {
        "transition": lambda: actions.case_transition(
            case=page_of_operator, to_status=S.REJECTED, actor=personas.operator
        ),
        "comment": lambda: actions.case_comment(
            case=page_of_operator, actor=personas.operator, text="ditolak saja", public=True
        ),
        "assign": lambda: actions.case_assign(
            case=page_of_operator, assignee=personas.operator, actor=personas.operator
        ),
    }[act]

    with pytest.raises(CaseConflict):
        perform()

    stored = Case.objects.get(pk=case.pk)
    assert (stored.agency, stored.status, stored.assignee) == (personas.dpupr, S.SUBMITTED, None)
    assert CaseEvent.objects.filter(case=case).count() == events


# --- who may act ---------------------------------------------------------------------------


def test_officer_of_other_agency_cannot_transition(personas, open_case):
    case = open_case()
    with pytest.raises(NotYourAgency):
        actions.case_transition(case=case, to_status=S.VERIFIED, actor=personas.outsider)
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


def test_resident_cannot_transition_as_an_officer(personas, open_case):
    case = open_case()
    with pytest.raises(NotYourAgency):
        actions.case_transition(case=case, to_status=S.VERIFIED, actor=personas.alice)


def test_resident_answers_her_own_revision_request(personas, open_case):
    case = bring_to(open_case(), S.WAITING_CITIZEN, personas.operator)
    actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.alice, by_citizen=True)
    assert Case.objects.get(pk=case.pk).status == S.IN_PROGRESS


def test_another_resident_cannot_answer_for_her(personas, open_case):
    case = bring_to(open_case(), S.WAITING_CITIZEN, personas.operator)
    with pytest.raises(NotYourAgency):
        actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.bob, by_citizen=True)
    assert Case.objects.get(pk=case.pk).status == S.WAITING_CITIZEN


# --- resolved_at ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "walk",
    [[S.IN_PROGRESS, S.RESOLVED], [S.REJECTED], [S.WAITING_CITIZEN, S.CLOSED]],
    ids=["resolved", "rejected", "closed"],
)
def test_final_status_records_when_the_case_was_finished(personas, open_case, walk):
    assert walk[-1] in FINAL_STATUSES
    with time_machine.travel(wib(2026, 7, 6), tick=False) as traveller:
        case = open_case()
        *steps, last = walk
        for step in steps:
            actions.case_transition(case=case, to_status=step, actor=personas.operator)
        assert Case.objects.get(pk=case.pk).resolved_at is None
        traveller.move_to(wib(2026, 7, 8, 14, 30))
        actions.case_transition(case=case, to_status=last, actor=personas.operator)

    assert Case.objects.get(pk=case.pk).resolved_at == wib(2026, 7, 8, 14, 30)


def test_closing_a_resolved_case_keeps_the_time_it_was_resolved(personas, open_case):
    with time_machine.travel(wib(2026, 7, 6), tick=False) as traveller:
        case = bring_to(open_case(), S.RESOLVED, personas.operator)
        traveller.move_to(wib(2026, 7, 20))
        actions.case_transition(case=case, to_status=S.CLOSED, actor=personas.operator)

    assert Case.objects.get(pk=case.pk).resolved_at == wib(2026, 7, 6)


def test_reopening_a_resolved_case_clears_resolved_at(personas, open_case):
    case = bring_to(open_case(), S.RESOLVED, personas.operator)
    actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.operator)
    case = Case.objects.get(pk=case.pk)
    assert case.resolved_at is None
    assert case.is_open


# --- SLA -----------------------------------------------------------------------------------


def test_reference_holidays_load_once(db):
    first = actions.holidays_load_reference()
    assert first == 53  # rows in kotacerdas/data/holidays_id.csv (2025 and 2026)
    assert actions.holidays_load_reference() == 0
    assert Holiday.objects.get(date=date(2026, 3, 19)).name.startswith("Hari Suci Nyepi")


def test_due_date_skips_nyepi_and_idul_fitri_leave(personas, open_case, reference_holidays):
    # Wed 18 Mar 2026, 5 working days. Thu 19 (Nyepi), Fri 20 (cuti bersama), the weekend,
    # Mon 23 and Tue 24 (cuti bersama Idul Fitri) are off; the count runs Wed 25, Thu 26,
    # Fri 27, Mon 30, Tue 31.
    with time_machine.travel(wib(2026, 3, 18, 10), tick=False):
        case = open_case(sla_workdays=5)
    assert case.due_date == date(2026, 3, 31)
    assert Case.objects.get(pk=case.pk).due_date == date(2026, 3, 31)


def test_due_date_without_holidays_counts_only_weekends(personas, open_case):
    with time_machine.travel(wib(2026, 3, 18, 10), tick=False):
        case = open_case(sla_workdays=5)
    assert case.due_date == date(2026, 3, 25)


def test_due_date_counts_from_the_day_in_blitar_not_in_utc(personas, open_case):
    # 06:00 WIB on Tue 7 Jul is still Mon 6 Jul in UTC; the day of receipt is the 7th.
    with time_machine.travel(wib(2026, 7, 7, 6), tick=False):
        case = open_case(sla_workdays=1)
    assert case.due_date == date(2026, 7, 8)


def test_local_holiday_moves_the_due_date_of_a_new_case(personas, open_case, reference_holidays):
    with time_machine.travel(wib(2026, 7, 6), tick=False):
        before = open_case(sla_workdays=3)
        actions.holiday_add(day=date(2026, 7, 8), name="Libur daerah", actor=personas.admin)
        after = open_case(sla_workdays=3)
    assert before.due_date == date(2026, 7, 9)
    assert after.due_date == date(2026, 7, 10)
    assert Holiday.objects.get(date=date(2026, 7, 8)).kind == Holiday.Kind.LOCAL


def test_adding_the_same_holiday_twice_keeps_one(personas):
    actions.holiday_add(day=date(2026, 7, 8), name="Libur daerah", actor=personas.admin)
    actions.holiday_add(day=date(2026, 7, 8), name="Libur daerah", actor=personas.admin)
    assert Holiday.objects.filter(date=date(2026, 7, 8)).count() == 1
    assert AuditEntry.objects.filter(action="holiday_add").count() == 1


def test_waiting_on_the_resident_pauses_the_clock(personas, open_case):
    with time_machine.travel(wib(2026, 7, 6), tick=False) as traveller:
        case = open_case(sla_workdays=10)
        traveller.move_to(wib(2026, 7, 7, 11))
        actions.case_transition(case=case, to_status=S.WAITING_CITIZEN, actor=personas.operator)
    case = Case.objects.get(pk=case.pk)
    assert case.paused_since == wib(2026, 7, 7, 11)
    assert case.is_paused
    # Long past the due date, a paused case is not overdue: the resident holds it.
    assert not case.is_overdue(today=date(2026, 8, 31))


@pytest.mark.parametrize(
    ("opened", "sla", "due", "paused", "resumed", "pushed_due"),
    [
        # Mon 6 Jul + 10 working days = Mon 20 Jul. Waiting Tue 7 → Tue 14 Jul is 5 working
        # days (8, 9, 10, 13, 14), so the due date moves 5 working days to Mon 27 Jul.
        (wib(2026, 7, 6), 10, date(2026, 7, 20), wib(2026, 7, 7), wib(2026, 7, 14), date(2026, 7, 27)),
        # Mon 10 Aug + 5 = Tue 18 Aug (Mon 17 Aug is Independence Day). Waiting Tue 11 →
        # Fri 21 Aug is 7 working days (12, 13, 14, 18, 19, 20, 21); 7 working days after
        # Tue 18 Aug, skipping Tue 25 Aug (Maulid Nabi), is Fri 28 Aug.
        (wib(2026, 8, 10), 5, date(2026, 8, 18), wib(2026, 8, 11), wib(2026, 8, 21), date(2026, 8, 28)),
    ],
)
def test_resuming_pushes_the_due_date_by_the_working_days_waited(
    personas, open_case, reference_holidays, opened, sla, due, paused, resumed, pushed_due
):
    with time_machine.travel(opened, tick=False) as traveller:
        case = open_case(sla_workdays=sla)
        assert case.due_date == due
        traveller.move_to(paused)
        actions.case_transition(case=case, to_status=S.WAITING_CITIZEN, actor=personas.operator)
        traveller.move_to(resumed)
        actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.operator)

    case = Case.objects.get(pk=case.pk)
    assert case.due_date == pushed_due
    assert case.paused_since is None


def test_resuming_the_same_day_keeps_the_due_date(personas, open_case):
    with time_machine.travel(wib(2026, 7, 6), tick=False) as traveller:
        case = open_case(sla_workdays=10)
        actions.case_transition(case=case, to_status=S.WAITING_CITIZEN, actor=personas.operator)
        traveller.move_to(wib(2026, 7, 6, 16))
        actions.case_transition(case=case, to_status=S.IN_PROGRESS, actor=personas.alice, by_citizen=True)
    assert Case.objects.get(pk=case.pk).due_date == date(2026, 7, 20)


def test_closing_a_case_left_waiting_stops_the_pause(personas, open_case):
    with time_machine.travel(wib(2026, 7, 6), tick=False) as traveller:
        case = open_case(sla_workdays=10)
        actions.case_transition(case=case, to_status=S.WAITING_CITIZEN, actor=personas.operator)
        traveller.move_to(wib(2026, 8, 6))
        actions.case_transition(case=case, to_status=S.CLOSED, actor=personas.operator)
    case = Case.objects.get(pk=case.pk)
    assert case.paused_since is None
    assert case.resolved_at == wib(2026, 8, 6)
    assert not case.is_overdue(today=date(2026, 12, 1))


# --- handover (disposisi) -------------------------------------------------------------------


def test_officer_of_other_agency_cannot_see_the_case_before_handover(personas, open_case):
    case = open_case()
    with pytest.raises(Http404):
        queries.case_for_staff(personas.outsider, case.tracking_code)


def test_handover_puts_the_case_in_the_receiving_inbox(personas, open_case):
    case = open_case()
    actions.case_assign(case=case, assignee=personas.operator, actor=personas.kepala)

    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator,
                          reason="Jalan rusak, bukan urusan kependudukan")

    assert list(queries.inbox(personas.outsider)) == [case]
    assert list(queries.inbox(personas.operator)) == []
    stored = Case.objects.get(pk=case.pk)
    assert stored.agency == personas.dpupr
    assert stored.assignee is None  # the new agency assigns its own officer
    assert stored.status == S.SUBMITTED


def test_sender_can_still_read_a_handed_over_case(personas, open_case):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator, reason="salah alamat")
    seen = queries.case_for_staff(personas.operator, case.tracking_code.lower())
    assert seen.pk == case.pk
    assert seen.agency == personas.dpupr


@pytest.mark.parametrize("act", ["transition", "comment", "assign", "handover"])
def test_sender_cannot_act_on_a_handed_over_case(personas, open_case, act):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator, reason="salah alamat")
    seen = queries.case_for_staff(personas.kepala, case.tracking_code)
    perform = {
        "transition": lambda: actions.case_transition(case=seen, to_status=S.VERIFIED, actor=personas.kepala),
        "comment": lambda: actions.case_comment(case=seen, actor=personas.kepala, text="x", public=True),
        "assign": lambda: actions.case_assign(case=seen, assignee=None, actor=personas.kepala),
        "handover": lambda: actions.case_handover(
            case=seen, to_agency=personas.dukcapil, actor=personas.kepala, reason="ambil lagi"
        ),
    }[act]
    with pytest.raises(NotYourAgency):
        perform()
    stored = Case.objects.get(pk=case.pk)
    assert (stored.agency, stored.status) == (personas.dpupr, S.SUBMITTED)


def test_receiving_officer_can_work_the_case(personas, open_case):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator, reason="salah alamat")
    mine = queries.case_for_staff(personas.outsider, case.tracking_code)
    actions.case_transition(case=mine, to_status=S.IN_PROGRESS, actor=personas.outsider)
    assert Case.objects.get(pk=case.pk).status == S.IN_PROGRESS


def test_public_timeline_shows_the_handover_but_not_the_reason(personas, open_case):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator,
                          reason="Pelapor tetangga kepala dinas, tangani hati-hati")

    public = list(queries.public_events(case))
    handovers = [e for e in public if e.type == CaseEvent.Type.HANDOVER]
    assert len(handovers) == 1
    assert handovers[0].data == {"from": "Dispendukcapil", "to": "DPUPR"}
    assert all("hati-hati" not in e.text and "hati-hati" not in str(e.data) for e in public)
    # Staff still see why.
    assert any("hati-hati" in e.text for e in queries.timeline_for_staff(case))


def test_handover_tells_the_resident(personas, open_case):
    case = open_case()
    actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator, reason="salah alamat")
    message = Message.objects.get(template="case_handed_over")
    assert message.to == "alice@warga.test"
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in message.body
    assert "salah alamat" not in message.body


def test_handover_to_the_same_agency_is_refused(personas, open_case):
    case = open_case()
    with pytest.raises(TransitionNotAllowed):
        actions.case_handover(case=case, to_agency=personas.dukcapil, actor=personas.operator, reason="x")
    assert not case.handovers.exists()


def test_finished_case_cannot_be_handed_over(personas, open_case):
    case = bring_to(open_case(), S.REJECTED, personas.operator)
    with pytest.raises(TransitionNotAllowed):
        actions.case_handover(case=case, to_agency=personas.dpupr, actor=personas.operator, reason="x")
    assert Case.objects.get(pk=case.pk).agency == personas.dukcapil


# --- assign --------------------------------------------------------------------------------


def test_officer_assigns_a_colleague(personas, open_case):
    case = open_case()
    actions.case_assign(case=case, assignee=personas.operator, actor=personas.kepala)

    assert Case.objects.get(pk=case.pk).assignee == personas.operator
    assert list(queries.inbox(personas.operator, mine=True)) == [case]
    assert list(queries.inbox(personas.kepala, mine=True)) == []
    event = CaseEvent.objects.get(case=case, type=CaseEvent.Type.ASSIGN)
    assert (event.actor, event.is_public) == (personas.kepala, False)
    assert event.data == {"assignee": "Ora Operator"}


def test_assignment_can_be_cleared(personas, open_case):
    case = open_case()
    actions.case_assign(case=case, assignee=personas.operator, actor=personas.kepala)
    actions.case_assign(case=case, assignee=None, actor=personas.kepala)
    assert Case.objects.get(pk=case.pk).assignee is None


def test_cannot_assign_an_officer_of_another_agency(personas, open_case):
    case = open_case()
    with pytest.raises(NotYourAgency):
        actions.case_assign(case=case, assignee=personas.outsider, actor=personas.kepala)
    assert Case.objects.get(pk=case.pk).assignee is None


def test_officer_of_other_agency_cannot_assign(personas, open_case):
    case = open_case()
    with pytest.raises(NotYourAgency):
        actions.case_assign(case=case, assignee=personas.outsider, actor=personas.outsider)
    assert Case.objects.get(pk=case.pk).assignee is None


# --- comments ------------------------------------------------------------------------------


def test_public_reply_is_on_the_public_timeline_and_tells_the_resident(personas, open_case):
    case = open_case()
    actions.case_comment(case=case, actor=personas.operator, text="Silakan datang hari Senin.", public=True)

    assert [e.text for e in queries.public_events(case) if e.type == CaseEvent.Type.REPLY] == [
        "Silakan datang hari Senin."
    ]
    assert "Silakan datang hari Senin." in Message.objects.get(template="case_replied").body


def test_internal_note_stays_internal(personas, open_case):
    case = open_case()
    actions.case_comment(case=case, actor=personas.operator, text="Berkas ganda, cek NIK", public=False)

    assert all("Berkas ganda" not in e.text for e in queries.public_events(case))
    assert any("Berkas ganda" in e.text for e in queries.timeline_for_staff(case))
    assert not Message.objects.filter(template="case_replied").exists()


def test_officer_of_other_agency_cannot_comment(personas, open_case):
    case = open_case()
    with pytest.raises(NotYourAgency):
        actions.case_comment(case=case, actor=personas.outsider, text="x", public=False)
    assert not CaseEvent.objects.filter(case=case, type=CaseEvent.Type.NOTE).exists()


# NUL never reaches the action (forms refuse it, see test_views) and PostgreSQL cannot store it.
# Text a browser can send: no NUL (PostgreSQL refuses it, the form too) and no lone
# surrogates (they cannot be encoded as UTF-8, so no request carries them).
COMMENT_TEXT = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), min_size=1, max_size=40
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(COMMENT_TEXT, st.booleans()), min_size=1, max_size=8))
def test_public_events_hold_exactly_the_public_comments(personas, open_case, comments):
    case = open_case()
    for text, public in comments:
        actions.case_comment(case=case, actor=personas.operator, text=text, public=public)

    shown = list(queries.public_events(case))
    assert all(e.is_public for e in shown)
    assert [e.text for e in shown if e.type == CaseEvent.Type.REPLY] == [t for t, p in comments if p]
    assert not any(e.type == CaseEvent.Type.NOTE for e in shown)


def test_private_status_change_is_neither_public_nor_sent(personas, open_case):
    case = open_case()
    sent_before = Message.objects.count()
    actions.case_transition(case=case, to_status=S.VERIFIED, actor=personas.operator,
                            note="cek ulang berkas", public=False)
    assert all(e.to_status != S.VERIFIED for e in queries.public_events(case))
    assert Message.objects.count() == sent_before


def test_public_status_change_tells_the_resident_with_the_note(personas, open_case):
    case = open_case()
    actions.case_transition(case=case, to_status=S.WAITING_CITIZEN, actor=personas.operator,
                            note="Unggah ulang foto KK yang terbaca.")
    message = Message.objects.get(template="case_status_changed")
    assert message.to == "alice@warga.test"
    assert case.tracking_code in message.subject
    assert "Unggah ulang foto KK yang terbaca." in message.body
