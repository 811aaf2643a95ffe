"""The health state machine, incidents, alerts and a whole round, with time frozen."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import QuerySet

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.cases.actions import holidays_load_reference
from kotacerdas.cases.models import Case, Status
from kotacerdas.notifications.models import Message
from kotacerdas.reports.actions import categories_load_reference, report_submit
from kotacerdas.reports.models import Category
from kotacerdas.wifi import monitoring, tasks
from kotacerdas.wifi.models import Health, Hotspot, HotspotReport, Incident, ProbeKind, ProbeResult
from kotacerdas.wifi.probes import Result
from kotacerdas.wifi.tests.fixtures_monitoring import (  # noqa: F401 - fixtures
    SENTUL,
    closed_port,
    listeners_fixture,
    make_hotspot_fixture,
    quick_probes_fixture,
    sentul_fixture,
    wib,
)

DOWN = Result(ok=False, error="Tidak menjawab dalam 3 detik.")
UP = Result(ok=True, rtt_ms=4.2)
T0 = wib(2026, 11, 10, 8, 0)


@pytest.fixture
def hotspot(personas, make_hotspot) -> Hotspot:
    return make_hotspot()


def record(hotspot: Hotspot, result: Result, at):
    with time_machine.travel(at, tick=False):
        return monitoring.probe_record(hotspot=hotspot, result=result, at=at)


def fresh(hotspot: Hotspot) -> Hotspot:
    return Hotspot.objects.get(pk=hotspot.pk)


def alerts(template: str) -> list[Message]:
    return list(Message.objects.filter(template=template))


# --- Tolerance ------------------------------------------------------------------------------------------


def test_first_success_makes_an_unknown_point_ok(hotspot):
    record(hotspot, UP, T0)
    found = fresh(hotspot)
    assert found.health == Health.OK
    assert found.last_ok_at == found.last_probe_at == found.health_changed_at == T0
    assert found.last_rtt_ms == 4.2
    assert ProbeResult.objects.filter(hotspot=hotspot, ok=True).count() == 1


def test_two_failures_in_a_minute_are_a_problem_not_an_outage(hotspot):
    record(hotspot, UP, T0 - timedelta(minutes=1))
    record(hotspot, DOWN, T0)
    record(hotspot, DOWN, T0 + timedelta(minutes=1))
    found = fresh(hotspot)
    assert found.health == Health.PROBLEM
    assert found.failures == 2
    assert found.first_failure_at == T0
    assert found.last_ok_at == T0 - timedelta(minutes=1)
    assert found.last_error == DOWN.error
    assert not Incident.objects.exists()
    assert not Message.objects.exists()


def test_many_failures_within_the_tolerance_minutes_are_still_a_problem(hotspot):
    for seconds in range(0, 60, 10):
        record(hotspot, DOWN, T0 + timedelta(seconds=seconds))
    assert fresh(hotspot).health == Health.PROBLEM
    assert fresh(hotspot).failures == 6


def test_three_failures_over_three_minutes_are_critical_and_alert_the_operators(hotspot, personas):
    record(hotspot, DOWN, T0)
    record(hotspot, DOWN, T0 + timedelta(minutes=1, seconds=30))
    change = record(hotspot, DOWN, T0 + timedelta(minutes=3))
    found = fresh(hotspot)
    assert found.health == Health.CRITICAL
    assert found.health_changed_at == T0 + timedelta(minutes=3)
    incident = Incident.objects.get(hotspot=hotspot)
    assert change.opened == incident
    # The outage began with the first failed probe; the tolerance only delayed the alert.
    assert incident.started_at == T0
    assert incident.ended_at is None
    [alert] = alerts("wifi_down")
    assert alert.user == personas.admin  # Diskominfotik's admin runs the network
    assert hotspot.code in alert.subject
    assert f"/wifi/kelola/{hotspot.code}/" in alert.body
    assert "Sentul" in alert.body


def test_staff_of_other_agencies_and_residents_get_no_network_alerts(hotspot, personas):
    for minute in range(4):
        record(hotspot, DOWN, T0 + timedelta(minutes=minute))
    assert {m.user for m in Message.objects.all()} == {personas.admin}


def test_incident_opens_once_however_long_the_outage(hotspot):
    for minute in range(10):
        record(hotspot, DOWN, T0 + timedelta(minutes=minute))
    assert Incident.objects.filter(hotspot=hotspot).count() == 1
    assert len(alerts("wifi_down")) == 1
    assert fresh(hotspot).failures == 10


def test_back_up_closes_the_incident_with_its_duration_and_says_so(hotspot, personas):
    for minute in range(4):
        record(hotspot, DOWN, T0 + timedelta(minutes=minute))
    change = record(hotspot, UP, T0 + timedelta(minutes=42))
    incident = Incident.objects.get(hotspot=hotspot)
    assert change.closed == incident
    assert incident.ended_at == T0 + timedelta(minutes=42)
    assert incident.duration == timedelta(minutes=42)
    found = fresh(hotspot)
    assert (found.health, found.failures, found.first_failure_at) == (Health.OK, 0, None)
    [alert] = alerts("wifi_up")
    assert alert.user == personas.admin
    assert "42" in alert.body


def test_a_problem_that_clears_opens_no_incident_and_alerts_no_one(hotspot):
    record(hotspot, DOWN, T0)
    record(hotspot, DOWN, T0 + timedelta(minutes=1))
    record(hotspot, UP, T0 + timedelta(minutes=2))
    assert fresh(hotspot).health == Health.OK
    assert not Incident.objects.exists()
    assert not Message.objects.exists()


def test_next_outage_opens_a_new_incident(hotspot):
    for start in (T0, T0 + timedelta(hours=1)):
        for minute in range(4):
            record(hotspot, DOWN, start + timedelta(minutes=minute))
        record(hotspot, UP, start + timedelta(minutes=10))
    assert Incident.objects.filter(hotspot=hotspot, ended_at__isnull=False).count() == 2
    assert len(alerts("wifi_down")) == len(alerts("wifi_up")) == 2


def test_a_second_open_incident_is_refused_even_when_the_check_misses_it(hotspot, monkeypatch):
    Incident.objects.create(hotspot=hotspot, started_at=T0)
    # As if another worker inserted its incident between this worker's check and insert.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with transaction.atomic():
        assert monitoring._incident_open(hotspot, started_at=T0, cause="") is None
    monkeypatch.undo()
    assert Incident.objects.filter(hotspot=hotspot, ended_at__isnull=True).count() == 1


# --- Residents who reported the point -----------------------------------------------------------------


@pytest.fixture
def wifi_category(personas, sentul) -> Category:
    agencies_load_reference()
    holidays_load_reference()
    categories_load_reference()
    return Category.objects.get(code="wifi-mati")


@pytest.fixture
def reported(personas, hotspot, wifi_category):
    """Alice reports the point dead from the Wi-Fi map."""

    def make(reporter=None) -> HotspotReport:
        report = report_submit(
            reporter=reporter or personas.alice, category=wifi_category,
            description="Wi-Fi di balai RW tidak bisa tersambung sejak pagi.", lat=SENTUL[0], lon=SENTUL[1],
        )
        return HotspotReport.objects.create(hotspot=hotspot, report=report, created_at=T0)

    return make


def test_reporters_hear_once_when_the_point_is_back(hotspot, personas, reported):
    link = reported()
    bob_link = reported(personas.bob)
    Message.objects.all().delete()
    for minute in range(4):
        record(hotspot, DOWN, T0 + timedelta(minutes=minute))
    back = T0 + timedelta(minutes=30)
    record(hotspot, UP, back)
    told = alerts("wifi_back")
    assert {m.user for m in told} == {personas.alice, personas.bob}
    link.refresh_from_db()
    bob_link.refresh_from_db()
    assert link.back_notified_at == bob_link.back_notified_at == back
    body = told[0].body
    assert f"/wifi/{hotspot.code}/" in body
    for private in ("Alice", "Wulandari", "alice@warga.test", "Bob", "Prasetyo"):
        assert private not in body
    # The next outage and recovery tell them nothing new.
    for minute in range(4):
        record(hotspot, DOWN, T0 + timedelta(hours=1, minutes=minute))
    record(hotspot, UP, T0 + timedelta(hours=2))
    assert len(alerts("wifi_back")) == 2


def test_reporters_of_finished_cases_are_not_told(hotspot, reported):
    link = reported()
    Case.objects.filter(pk=link.report.case_id).update(status=Status.CLOSED)
    for minute in range(4):
        record(hotspot, DOWN, T0 + timedelta(minutes=minute))
    record(hotspot, UP, T0 + timedelta(minutes=30))
    assert not alerts("wifi_back")
    link.refresh_from_db()
    assert link.back_notified_at is None


def test_a_point_that_was_never_down_tells_reporters_nothing(hotspot, reported):
    link = reported()
    record(hotspot, UP, T0)
    record(hotspot, UP, T0 + timedelta(minutes=1))
    assert not alerts("wifi_back")
    link.refresh_from_db()
    assert link.back_notified_at is None


# --- A round -----------------------------------------------------------------------------------------------


def test_a_round_probes_active_points_only_and_records_them(personas, make_hotspot, listeners, quick_probes):
    up = make_hotspot(probe_port=listeners.accepting())
    down = make_hotspot(probe_port=closed_port())
    resting = make_hotspot(status=Hotspot.Status.MAINTENANCE, probe_port=closed_port())
    retired = make_hotspot(status=Hotspot.Status.RETIRED, probe_port=closed_port())
    summary = monitoring.probe_round(now=T0)
    assert (summary.probed, summary.ok, summary.failed) == (2, 1, 1)
    assert ProbeResult.objects.filter(at=T0).count() == 2
    assert fresh(up).health == Health.OK
    assert fresh(down).health == Health.PROBLEM
    assert fresh(resting).health == fresh(retired).health == Health.UNKNOWN
    assert not ProbeResult.objects.filter(hotspot__in=[resting, retired]).exists()


def test_rounds_take_a_dead_point_down_and_back_up(personas, make_hotspot, listeners, quick_probes):
    port = closed_port()
    point = make_hotspot(probe_port=port)
    summaries = [monitoring.probe_round(now=T0 + timedelta(minutes=m)) for m in range(4)]
    assert [s.went_down for s in summaries] == [0, 0, 0, 1]
    Hotspot.objects.filter(pk=point.pk).update(probe_port=listeners.accepting())
    assert monitoring.probe_round(now=T0 + timedelta(minutes=5)).came_back == 1
    assert Incident.objects.get(hotspot=point).duration == timedelta(minutes=5)


def test_a_mass_outage_is_a_few_alerts_and_one_summary(
    personas, make_hotspot, listeners, quick_probes, monkeypatch
):
    monkeypatch.setattr(monitoring, "ALERT_BURST", 2)
    monkeypatch.setattr(monitoring, "ALERT_LIST", 2)
    points = [make_hotspot(probe_port=closed_port()) for _ in range(5)]
    for minute in range(4):
        monitoring.probe_round(now=T0 + timedelta(minutes=minute))
    assert Incident.objects.filter(ended_at__isnull=True).count() == 5
    down = alerts("wifi_down")
    assert len(down) == 3
    [summary] = [m for m in down if m.subject.startswith("3 ")]
    assert summary.subject == "3 titik Wi-Fi lagi mati"
    assert points[2].code in summary.body and points[3].code in summary.body
    assert points[4].code not in summary.body
    assert "dan 1 titik lainnya" in summary.body
    Hotspot.objects.update(probe_port=listeners.accepting())
    assert monitoring.probe_round(now=T0 + timedelta(minutes=9)).came_back == 5
    up = alerts("wifi_up")
    assert len(up) == 3
    assert any(m.subject == "3 titik Wi-Fi lagi menyala kembali" for m in up)


def test_a_push_point_is_up_while_it_reports(personas, make_hotspot, quick_probes, settings):
    settings.WIFI_PUSH_STALE_MINUTES = 10
    point = make_hotspot(probe_kind=ProbeKind.PUSH, last_push_at=T0 - timedelta(minutes=1))
    monitoring.probe_round(now=T0)
    monitoring.probe_round(now=T0 + timedelta(minutes=8))
    assert fresh(point).health == Health.OK  # a report every five minutes is on time
    for minute in range(4):
        monitoring.probe_round(now=T0 + timedelta(minutes=10 + minute))
    assert fresh(point).health == Health.CRITICAL


def test_prune_forgets_old_samples_and_keeps_incidents(hotspot):
    record(hotspot, DOWN, T0 - timedelta(days=8))
    Incident.objects.create(
        hotspot=hotspot, started_at=T0 - timedelta(days=8), ended_at=T0 - timedelta(days=7)
    )
    record(hotspot, UP, T0 - timedelta(days=1))
    assert monitoring.probe_results_prune(days=7, now=T0) == 1
    assert ProbeResult.objects.count() == 1
    assert Incident.objects.count() == 1


def test_the_periodic_task_skips_while_a_round_still_runs(personas, make_hotspot, quick_probes, listeners):
    make_hotspot(probe_port=listeners.accepting())
    assert tasks.probe.call_local() == 1
    with tasks.lock_task(tasks.ROUND_LOCK):
        assert tasks.probe.call_local() == 0


# --- Two workers at once (PostgreSQL: real row locks) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_recording_the_same_outage_open_one_incident(personas, make_hotspot):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    point = make_hotspot()
    for minute in range(3):
        monitoring.probe_record(hotspot=point, result=DOWN, at=T0 + timedelta(minutes=minute))
    gate = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker():
        try:
            gate.wait()
            monitoring.probe_record(hotspot=point, result=DOWN, at=T0 + timedelta(minutes=3))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Incident.objects.filter(hotspot=point).count() == 1
    assert Message.objects.filter(template="wifi_down").count() == 1
    assert fresh(point).failures == 7
