"""session_account against FreeRADIUS's radacct semantics (wifi.md §2.1)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from kotacerdas.wifi.models import Session
from kotacerdas.wifi.radius.actions import session_account
from kotacerdas.wifi.radius.hashing import mac_hash, normalise_mac, user_hash
from kotacerdas.wifi.radius.packets import acct_unique
from kotacerdas.wifi.tests.radius_support import MAC, USERNAME, make_hotspot, packet, stored_text

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 11, 29, 8, 0, tzinfo=WIB)
GIB4 = 1 << 32

pytestmark = pytest.mark.django_db


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def account(status: str, when: int, **fields) -> str:
    return session_account(packet=packet(status, event_timestamp=at(when), **fields))


def the_session() -> Session:
    return Session.objects.get()


def test_start_creates_the_session_and_a_repeated_start_changes_nothing():
    assert account("Start", 0) == "created"
    assert account("Start", 5) == "ignored"
    session = the_session()
    assert session.started_at == T0
    assert session.stopped_at is None and session.updated_at is None
    assert session.session_id == "80f00003"


def test_interim_updates_counters_and_stop_closes_the_session():
    account("Start", 0)
    result = account("Interim-Update", 300, session_time=300, input_octets=1000, output_octets=5000)
    assert result == "updated"
    session = the_session()
    assert (session.session_time, session.input_octets, session.output_octets) == (300, 1000, 5000)
    assert session.updated_at == at(300)
    assert account("Stop", 400, session_time=400, input_octets=1500, output_octets=9000,
                   terminate_cause="User-Request") == "updated"
    session = the_session()
    assert session.stopped_at == at(400)
    assert session.terminate_cause == "User-Request"
    assert (session.session_time, session.input_octets, session.output_octets) == (400, 1500, 9000)


def test_an_interim_older_than_the_stored_one_is_ignored():
    account("Start", 0)
    account("Interim-Update", 600, session_time=600, input_octets=2000)
    assert account("Interim-Update", 300, session_time=300, input_octets=1000) == "ignored"
    assert the_session().input_octets == 2000
    assert the_session().session_time == 600


def test_a_retransmitted_interim_changes_nothing():
    account("Start", 0)
    account("Interim-Update", 300, session_time=300, input_octets=1000)
    account("Interim-Update", 300, session_time=300, input_octets=1000)
    session = the_session()
    assert (session.session_time, session.input_octets, session.updated_at) == (300, 1000, at(300))


def test_an_interim_without_counters_keeps_them():
    account("Start", 0)
    account("Interim-Update", 300, session_time=300, input_octets=1000, output_octets=2000)
    account("Interim-Update", 600, session_time=600)
    session = the_session()
    assert (session.session_time, session.input_octets, session.output_octets) == (600, 1000, 2000)


def test_interim_and_stop_after_the_stop_are_ignored():
    account("Start", 0)
    account("Stop", 400, session_time=400, input_octets=1500, terminate_cause="Idle-Timeout")
    assert account("Interim-Update", 500, session_time=500, input_octets=9999) == "ignored"
    assert account("Stop", 600, session_time=600, input_octets=9999, terminate_cause="Lost-Carrier") \
        == "ignored"
    session = the_session()
    assert (session.input_octets, session.terminate_cause) == (1500, "Idle-Timeout")
    assert session.stopped_at == at(400)


def test_interim_without_start_creates_the_row_dated_back_by_its_session_time():
    assert account("Interim-Update", 900, session_time=600, input_octets=10) == "created"
    session = the_session()
    assert session.started_at == at(300)
    assert session.updated_at == at(900)
    assert session.stopped_at is None
    # The late Start then finds the row there and changes nothing.
    assert account("Start", 300) == "ignored"
    assert Session.objects.count() == 1


def test_stop_without_start_creates_a_closed_row():
    result = account("Stop", 1000, session_time=1000, output_octets=77, terminate_cause="Session-Timeout")
    assert result == "created"
    session = the_session()
    assert (session.started_at, session.stopped_at, session.output_octets) == (T0, at(1000), 77)
    assert session.terminate_cause == "Session-Timeout"


def test_without_event_timestamp_the_time_of_receipt_less_the_delay_is_used():
    now = at(100)
    session_account(packet=packet("Start", delay_time=30), now=now)
    assert the_session().started_at == at(70)


def test_accounting_on_closes_the_open_sessions_of_that_nas_only():
    account("Start", 0, session_id="a1")
    account("Start", 10, session_id="a2")
    account("Stop", 20, session_id="a3", session_time=20, terminate_cause="User-Request")
    account("Start", 0, session_id="b1", nas_ip="10.20.0.2", nas_identifier="rw04")
    assert session_account(packet=packet("Accounting-On", session_id="", nas_ip="10.20.0.1",
                                         event_timestamp=at(3600))) == "closed 2"
    closed = Session.objects.filter(session_id__in=["a1", "a2"])
    assert {(s.stopped_at, s.terminate_cause) for s in closed} == {(at(3600), "NAS-Reboot")}
    assert Session.objects.get(session_id="a3").terminate_cause == "User-Request"
    assert Session.objects.get(session_id="b1").stopped_at is None
    # An Interim the router had queued before it rebooted changes nothing now.
    assert account("Interim-Update", 3000, session_id="a1", session_time=3000) == "ignored"


def test_accounting_off_without_an_ip_closes_by_nas_identifier():
    account("Start", 0, nas_ip="", nas_identifier="rw07-kepanjen", session_id="c1")
    account("Start", 0, nas_ip="", nas_identifier="rw08", session_id="c2")
    result = session_account(packet=packet("Accounting-Off", session_id="", nas_ip="",
                                           nas_identifier="rw07-kepanjen", event_timestamp=at(60)))
    assert result == "closed 1"
    assert Session.objects.get(session_id="c1").terminate_cause == "NAS-Reboot"
    assert Session.objects.get(session_id="c2").stopped_at is None


def test_accounting_on_leaves_sessions_started_after_the_reboot():
    account("Start", 7200, session_id="after")
    reboot = packet("Accounting-On", session_id="", event_timestamp=at(3600))
    assert session_account(packet=reboot) == "closed 0"


def test_gigawords_make_counters_beyond_4_gib():
    account("Start", 0)
    account("Interim-Update", 600, session_time=600, input_octets=5, input_gigawords=2,
            output_octets=10, output_gigawords=1)
    session = the_session()
    assert session.input_octets == 2 * GIB4 + 5
    assert session.output_octets == GIB4 + 10


def test_a_32_bit_counter_that_goes_down_while_the_session_goes_on_has_wrapped():
    account("Start", 0)
    account("Interim-Update", 300, session_time=300, output_octets=GIB4 - 1000)
    account("Interim-Update", 600, session_time=600, output_octets=500)
    assert the_session().output_octets == GIB4 + 500
    account("Interim-Update", 900, session_time=900, output_octets=4000)
    assert the_session().output_octets == GIB4 + 4000
    account("Interim-Update", 1200, session_time=1200, output_octets=100)
    assert the_session().output_octets == 2 * GIB4 + 100
    account("Stop", 1500, session_time=1500, output_octets=200)
    assert the_session().output_octets == 2 * GIB4 + 200


def test_unique_id_is_freeradius_acct_unique_md5_unless_the_packet_has_one():
    account("Start", 0)
    # md5("User-Name,Acct-Session-Id,NAS-IP-Address,NAS-Identifier,NAS-Port-Id,NAS-Port")
    assert the_session().unique_id == "bea92b5fe0480c07a0792595e5e4b83e"
    assert the_session().unique_id == acct_unique(
        username=USERNAME, session_id="80f00003", nas_ip="10.20.0.1", nas_identifier="rw03-sentul",
        nas_port_id="bridge-hotspot", nas_port="",
    )
    account("Start", 0, session_id="x", unique_id="f" * 32)
    assert Session.objects.filter(unique_id="f" * 32).exists()


def test_user_name_and_mac_are_stored_only_as_keyed_hashes():
    account("Start", 0)
    account("Stop", 60, session_time=60)
    text = stored_text()
    assert USERNAME not in text
    for form in (MAC, MAC.lower(), normalise_mac(MAC), MAC.replace(":", "-")):
        assert form not in text
    session = the_session()
    assert len(session.user_hash) == 32 and len(session.mac_hash) == 32
    assert session.user_hash == user_hash(USERNAME)
    assert session.mac_hash == mac_hash("30-39-26-86-cc-ea")  # one MAC, whatever its spelling


def test_hashes_depend_on_the_secret_key(settings):
    before = user_hash(USERNAME)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert user_hash(USERNAME) != before


def test_hotspot_is_found_by_wispr_location_id_first():
    make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    location = "isocc=id,cc=62,ac=0342,network=KotaBlitar_RT02"
    by_location = make_hotspot("snt-rw03-rt02", wispr_location_id=location)
    account("Start", 0, wispr_location_id=location)
    assert the_session().hotspot == by_location


def test_hotspot_is_found_by_mikrotik_hotspot_server_name():
    # One MikroTik gateway, several hotspot servers (one per RW): the server name decides.
    make_hotspot("snt-rw02", nas_ip="10.20.0.1", called_station_id="hotspot-rw02")
    rw03 = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    make_hotspot("kpj-rw03", nas_ip="10.30.0.1", called_station_id="hotspot-rw03")
    account("Start", 0)
    assert the_session().hotspot == rw03


def test_hotspot_is_found_by_server_name_alone_then_identifier_then_a_unique_nas_ip():
    by_server = make_hotspot("a", called_station_id="hotspot-rw09")
    by_identifier = make_hotspot("b", nas_identifier="rw10-sukorejo")
    by_ip = make_hotspot("c", nas_ip="10.40.0.1")
    make_hotspot("d", nas_ip="10.50.0.1")
    make_hotspot("e", nas_ip="10.50.0.1")
    account("Start", 0, session_id="1", called_station_id="hotspot-rw09", nas_ip="10.99.0.1")
    account("Start", 0, session_id="2", called_station_id="unknown", nas_identifier="rw10-sukorejo",
            nas_ip="10.99.0.1")
    account("Start", 0, session_id="3", called_station_id="unknown", nas_identifier="x", nas_ip="10.40.0.1")
    account("Start", 0, session_id="4", called_station_id="unknown", nas_identifier="x", nas_ip="10.50.0.1")
    found = dict(Session.objects.values_list("session_id", "hotspot"))
    assert found == {"1": by_server.pk, "2": by_identifier.pk, "3": by_ip.pk, "4": None}


def test_a_hotspot_added_after_the_registry_was_read_is_still_found():
    make_hotspot("snt-rw02", nas_ip="10.20.0.1", called_station_id="hotspot-rw02")
    account("Start", 0, session_id="1", called_station_id="hotspot-rw02")  # reads the registry
    rw03 = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    account("Start", 0, session_id="2")
    assert Session.objects.get(session_id="2").hotspot == rw03


def test_a_hotspot_deleted_after_the_registry_was_read_leaves_the_session_unassigned():
    gone = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    account("Start", 0, session_id="1")
    assert Session.objects.get(session_id="1").hotspot == gone
    gone.delete()
    assert account("Start", 10, session_id="2") == "created"
    assert Session.objects.get(session_id="2").hotspot is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", ["Start", "Interim-Update", "Stop"])
def test_two_identical_packets_at_once_make_one_row_and_no_error(status):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send():
        try:
            barrier.wait(timeout=5)
            results.append(account(status, 600, session_time=600, input_octets=10,
                                   terminate_cause="User-Request"))
        except Exception as error:  # noqa: BLE001 - the test reports any error
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    assert Session.objects.count() == 1
    # The second finds the first's row: a Start or a Stop is then a repeat, an Interim the same.
    assert results.count("created") == 1
    assert len(results) == 2
    session = Session.objects.get()
    assert (session.session_time, session.input_octets) == (600, 10)


# --- Commits outside a transaction (as the endpoint runs them) ---------------------------------

ASYNC_ON = "SELECT 1 WHERE current_setting('synchronous_commit') = 'off'"


@pytest.mark.django_db(transaction=True)
def test_a_session_accounted_in_autocommit_is_stored_like_any_other():
    assert account("Start", 0) == "created"
    interim = {"session_time": 300, "input_octets": 1000, "output_octets": 5000}
    assert account("Interim-Update", 300, **interim) == "updated"
    assert account("Stop", 400, session_time=400, input_octets=1500, output_octets=9000) == "updated"
    assert account("Stop", 400, session_time=400, input_octets=1500, output_octets=9000) == "ignored"
    session = the_session()
    assert (session.session_time, session.output_octets, session.stopped_at) == (400, 9000, at(400))


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_accounting_alone_commits_without_waiting_for_the_disk(settings):
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    from kotacerdas.wifi.radius.actions import _write

    assert _write(ASYNC_ON, []) == 1  # the accounting statement's own transaction
    with connection.cursor() as cursor:  # ... and nothing after it
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    settings.WIFI_ACCOUNTING_ASYNC_COMMIT = False
    assert _write(ASYNC_ON, []) == 0


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_commit_waits_as_usual():
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    from django.db import transaction

    from kotacerdas.wifi.radius.actions import _write

    with transaction.atomic():
        assert _write(ASYNC_ON, []) == 0
