"""Indicators fed by a live figure of the platform: no one re-types what the system knows."""

from decimal import Decimal

import pytest
import time_machine

from kotacerdas.audit.models import AuditEntry
from kotacerdas.masterplan import actions
from kotacerdas.masterplan.errors import MasterplanError
from kotacerdas.masterplan.models import Realisation
from kotacerdas.masterplan.tests.conftest import make_indicator
from kotacerdas.services.tests.conftest import make_service


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel("2026-06-15 10:00 +0700", tick=False):
        yield


@pytest.fixture
def online_share(masterplan):
    return make_indicator(
        masterplan.programme,
        "Layanan daring penuh",
        {2026: "50"},
        kind="outcome",
        metric="services_online_share",
    )


def test_the_realisation_follows_the_platforms_figure(online_share, personas):
    make_service(personas.dukcapil, slug="akta", online=True, is_published=True)
    make_service(personas.dukcapil, slug="kk", online=True, is_published=True)
    make_service(personas.dukcapil, slug="ktp", online=False, is_published=True)
    make_service(personas.dukcapil, slug="konsep", online=True, is_published=False)
    assert actions.realisations_refresh_automatic() == 1
    realisation = Realisation.objects.get(indicator=online_share, year=2026)
    assert (realisation.value, realisation.status, realisation.is_automatic) == (
        Decimal("66.67"),
        Realisation.Status.VERIFIED,
        True,
    )
    assert actions.realisations_refresh_automatic() == 0  # unchanged: no new history
    make_service(personas.dukcapil, slug="pindah", online=True, is_published=True)
    assert actions.realisations_refresh_automatic() == 1
    realisation.refresh_from_db()
    assert realisation.value == Decimal("75.00")
    assert list(realisation.events.values_list("type", flat=True)) == ["automatic", "automatic"]
    assert AuditEntry.objects.filter(action="realisation_automatic").count() == 2


def test_no_figure_no_realisation(online_share):
    assert actions.realisations_refresh_automatic() == 0
    assert not Realisation.objects.exists()


def test_an_opd_cannot_type_over_an_automatic_figure(online_share, personas):
    with pytest.raises(MasterplanError):
        actions.realisation_save(actor=personas.operator, indicator=online_share, year=2026, value="99")
