"""People taking the last seat at the same moment, for real: threads with their own database
connections and PostgreSQL row locks. SQLite serialises writers, so only PostgreSQL can show
that counting seats under the event's lock holds under a true race."""

import threading

import pytest
from django.db import connection

from kotacerdas.accounts.models import User
from kotacerdas.events import actions
from kotacerdas.events.models import Registration

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

Status = Registration.Status


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a true concurrent race needs PostgreSQL (set DATABASE_URL=postgres://...)")


def race(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


@pytest.mark.parametrize("attempt", range(3))  # a race that passes once may pass by luck
def test_five_people_racing_for_two_seats_two_get_them_three_wait(personas, make_event, attempt):
    event = make_event(capacity=2)
    people = [User.objects.create_user(email=f"warga{n}@warga.test", password="x" * 12, name=f"Warga {n}")
              for n in range(5)]
    results = race([lambda user=user: actions.registration_create(event=event, user=user) for user in people])
    assert all(isinstance(r, Registration) for r in results), results
    statuses = sorted(r.status for r in results)
    assert statuses == [Status.REGISTERED] * 2 + [Status.WAITLISTED] * 3


def test_a_double_tap_racing_itself_makes_one_registration(personas, make_event):
    event = make_event()
    results = race([lambda: actions.registration_create(event=event, user=personas.alice)] * 3)
    assert all(isinstance(r, Registration) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Registration.objects.filter(event=event).count() == 1


def test_cancel_racing_a_new_registration_never_overbooks(personas, make_event):
    event = make_event(capacity=1)
    alice = actions.registration_create(event=event, user=personas.alice)
    actions.registration_create(event=event, user=personas.bob)  # waitlisted
    results = race([
        lambda: actions.registration_cancel(registration=alice, actor=personas.alice),
        lambda: actions.registration_create(event=event, user=personas.operator),
    ])
    assert all(isinstance(r, Registration) for r in results), results
    assert Registration.objects.filter(event=event, status=Status.REGISTERED).count() == 1
    assert Registration.objects.get(event=event, user=personas.bob).status == Status.REGISTERED
