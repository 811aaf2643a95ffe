from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from kotacerdas.audit.actions import audit_record
from kotacerdas.audit.models import AuditEntry
from kotacerdas.audit.queries import audit_for
from kotacerdas.cases import actions
from kotacerdas.cases.errors import CaseConflict, NotYourAgency
from kotacerdas.cases.models import Case, Holiday, Kind, Status
from kotacerdas.notifications.models import Message


@pytest.fixture
def case(personas) -> Case:
    return actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="Pindah datang",
                             sla_workdays=5, citizen=personas.alice)


def only_new_row(before_ids: set[int]) -> AuditEntry:
    rows = list(AuditEntry.objects.exclude(pk__in=before_ids))
    assert len(rows) == 1, [r.action for r in rows]
    return rows[0]


def ids() -> set[int]:
    return set(AuditEntry.objects.values_list("pk", flat=True))


def test_opening_a_case_writes_one_row(personas):
    case = actions.case_open(kind=Kind.REPORT, agency=personas.dukcapil, title="Antrean panjang",
                             sla_workdays=5, citizen=personas.alice)
    row = AuditEntry.objects.get()
    assert (row.actor, row.action, row.object_type, row.object_id) == (
        personas.alice, "case_open", "cases.case", str(case.pk)
    )
    assert row.changes == {
        "agency": [None, personas.dukcapil.pk], "kind": [None, "report"], "status": [None, "submitted"],
    }
    assert row.ip is None  # not through a request


@pytest.mark.parametrize(
    ("perform", "actor", "action", "changes"),
    [
        (lambda p, c: actions.case_transition(case=c, to_status=Status.VERIFIED, actor=p.operator),
         "operator", "case_transition", lambda p, c: {"status": ["submitted", "verified"]}),
        (lambda p, c: actions.case_handover(case=c, to_agency=p.dpupr, actor=p.kepala, reason="drainase"),
         "kepala", "case_handover",
         lambda p, c: {"agency": [p.dukcapil.pk, p.dpupr.pk], "reason": [None, "drainase"]}),
        (lambda p, c: actions.case_assign(case=c, assignee=p.operator, actor=p.kepala),
         "kepala", "case_assign", lambda p, c: {"assignee": [None, p.operator.pk]}),
        (lambda p, c: actions.case_comment(case=c, actor=p.operator, text="Terima kasih", public=True),
         "operator", "case_reply", lambda p, c: {"event": [None, c.events.get(type="reply").pk]}),
        (lambda p, c: actions.case_comment(case=c, actor=p.operator, text="cek dulu", public=False),
         "operator", "case_note", lambda p, c: {"event": [None, c.events.get(type="note").pk]}),
    ],
    ids=["transition", "handover", "assign", "reply", "note"],
)
def test_every_case_action_writes_one_row(personas, case, perform, actor, action, changes):
    before = ids()
    perform(personas, case)
    row = only_new_row(before)
    assert row.actor == getattr(personas, actor)
    assert row.action == action
    assert (row.object_type, row.object_id) == ("cases.case", str(case.pk))
    assert row.changes == changes(personas, case)
    assert row in audit_for(case)


def test_adding_a_holiday_writes_one_row(personas):
    before = ids()
    holiday = actions.holiday_add(day=date(2026, 7, 8), name="Libur daerah", actor=personas.admin)
    row = only_new_row(before)
    assert (row.actor, row.action, row.object_type, row.object_id) == (
        personas.admin, "holiday_add", "cases.holiday", str(holiday.pk)
    )
    assert row.changes == {"date": [None, "2026-07-08"], "name": [None, "Libur daerah"]}


@pytest.mark.parametrize(
    ("path", "data", "action"),
    [
        ("status", {"to_status": "verified"}, "case_transition"),
        ("komentar", {"text": "Sudah kami proses", "public": "on"}, "case_reply"),
        ("komentar", {"text": "internal saja"}, "case_note"),
        ("disposisi", {"to_agency": "DPUPR", "reason": "bukan kami"}, "case_handover"),
        ("tugaskan", {"assignee": "OPERATOR"}, "case_assign"),
    ],
)
def test_actions_through_the_pages_record_the_clients_ip(personas, case, staff_client, path, data, action):
    data = {
        key: {"DPUPR": personas.dpupr.pk, "OPERATOR": personas.operator.pk}.get(value, value)
        for key, value in data.items()
    }
    client = staff_client(personas.kepala)
    before = ids()
    response = client.post(f"/staf/perkara/{case.tracking_code}/{path}/", data, REMOTE_ADDR="203.0.113.45")
    assert response.status_code == 302
    row = only_new_row(before)
    assert (row.action, row.actor, row.ip) == (action, personas.kepala, "203.0.113.45")


def test_ip_is_not_left_behind_for_work_outside_a_request(personas, case, staff_client):
    staff_client(personas.kepala).post(f"/staf/perkara/{case.tracking_code}/status/",
                                       {"to_status": "verified"}, REMOTE_ADDR="203.0.113.45")
    actions.case_transition(case=Case.objects.get(pk=case.pk), to_status=Status.IN_PROGRESS,
                            actor=personas.operator)
    assert AuditEntry.objects.filter(action="case_transition").order_by("-id").first().ip is None


def test_staff_page_shows_the_audit_trail(personas, case, staff_client):
    actions.case_assign(case=case, assignee=personas.operator, actor=personas.kepala)
    html = staff_client(personas.operator).get(f"/staf/perkara/{case.tracking_code}/").content.decode()
    assert "case_assign" in html
    assert "case_open" in html


# --- append-only ---------------------------------------------------------------------------


def test_log_rows_cannot_be_updated(personas, case):
    row = AuditEntry.objects.get(action="case_open")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=row.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(ip="10.0.0.1")
    row.action = "forged"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update opens no savepoint
        AuditEntry.objects.bulk_update([row], ["action"])
    assert AuditEntry.objects.get(pk=row.pk).action == "case_open"


def test_log_rows_cannot_be_deleted(personas, case):
    row = AuditEntry.objects.get(action="case_open")
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=row.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=row.pk).exists()


def test_admin_cannot_edit_or_delete_the_log(personas, case, staff_client):
    row = AuditEntry.objects.get(action="case_open")
    client = staff_client(personas.admin)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.post(f"/admin/audit/auditentry/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_audit_row_outside_a_transaction_is_refused(personas):
    # A row written on its own could outlive the change it describes, or describe one that
    # was rolled back: audit_record insists on running inside the action's transaction.
    holiday = Holiday.objects.create(date=date(2026, 7, 8), name="Libur daerah", kind="lokal")
    with pytest.raises(AssertionError):
        audit_record(actor=personas.admin, action="holiday_add", obj=holiday)
    assert not AuditEntry.objects.exists()


# --- a failed action leaves no trace --------------------------------------------------------


def test_conflicting_transition_leaves_no_audit_row(personas, case):
    stale = Case.objects.get(pk=case.pk)
    actions.case_transition(case=case, to_status=Status.VERIFIED, actor=personas.kepala)
    before = ids()
    with pytest.raises(CaseConflict):
        actions.case_transition(case=stale, to_status=Status.REJECTED, actor=personas.operator)
    assert ids() == before


def test_refused_action_leaves_no_audit_row(personas, case):
    before = ids()
    with pytest.raises(NotYourAgency):
        actions.case_assign(case=case, assignee=personas.outsider, actor=personas.kepala)
    assert ids() == before


class ModuleFailed(Exception):
    pass


def test_rolled_back_action_leaves_no_audit_row_nor_message(personas, case):
    """A module opens a case and then fails (say, an upload is refused): the whole
    application rolls back, and so must its audit rows and queued messages."""
    rows, messages, cases = ids(), Message.objects.count(), Case.objects.count()
    with pytest.raises(ModuleFailed), transaction.atomic():
        opened = actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="Akta",
                                   sla_workdays=5, citizen=personas.bob)
        actions.case_transition(case=opened, to_status=Status.VERIFIED, actor=personas.operator)
        assert len(ids()) == len(rows) + 2  # written, inside the transaction...
        raise ModuleFailed
    assert ids() == rows  # ...and gone with it
    assert Message.objects.count() == messages
    assert Case.objects.count() == cases


def test_rolled_back_holiday_leaves_no_audit_row(personas):
    with pytest.raises(ModuleFailed), transaction.atomic():
        actions.holiday_add(day=date(2026, 7, 8), name="Libur daerah", actor=personas.admin)
        raise ModuleFailed
    assert not AuditEntry.objects.exists()
    assert not Holiday.objects.exists()


def test_the_database_refuses_to_rewrite_audit_rows_even_with_raw_sql(personas, case):
    entry = AuditEntry.objects.filter(object_id=str(case.pk)).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.action != "forged"


def test_the_database_refuses_to_delete_audit_rows_on_postgresql(personas, case):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE open for test flushes; PostgreSQL refuses it")
    entry = AuditEntry.objects.filter(object_id=str(case.pk)).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
