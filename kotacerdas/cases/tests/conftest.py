"""Small factories for case tests: a case is opened through the real action, and put into
another status the way an officer would, through the real transition."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kotacerdas.cases import actions
from kotacerdas.cases.models import Case, Kind

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A wall-clock time in Kota Blitar (WIB)."""
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


@pytest.fixture
def reference_holidays(db) -> int:
    return actions.holidays_load_reference()


@pytest.fixture
def open_case(personas):
    """Open a case for Alice at Dispendukcapil unless told otherwise."""

    def make(**fields) -> Case:
        values = {
            "kind": Kind.INFORMATION,
            "agency": personas.dukcapil,
            "title": "Cetak ulang KTP-el",
            "sla_workdays": 5,
            "citizen": personas.alice,
        }
        values.update(fields)
        return actions.case_open(**values)

    return make
