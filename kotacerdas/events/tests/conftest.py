from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kotacerdas.events.models import Event


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def make_event(personas):
    """An event of Dispendukcapil (the operator's and kepala's agency) starting in a week
    unless told otherwise."""
    counter = iter(range(1, 1000))

    def make(**fields) -> Event:
        starts = fields.pop("starts_at", timezone.now() + timedelta(days=7))
        n = next(counter)
        defaults = {
            "agency": personas.dukcapil, "title": f"Sosialisasi KTP digital {n}", "slug": f"sosialisasi-{n}",
            "place": "Aula Dispendukcapil", "starts_at": starts, "ends_at": starts + timedelta(hours=3),
            "capacity": 2, "certificate": True,
        }
        return Event.objects.create(**{**defaults, **fields})

    return make
