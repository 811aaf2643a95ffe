"""The demo hotspots `kotacerdas seed --demo` loads: spread over the city, each inside its
kelurahan, probing only this machine, and loaded once however often the seed runs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from kotacerdas.audit.models import AuditEntry
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import locate
from kotacerdas.wifi.demo import demo_hotspots
from kotacerdas.wifi.models import Health, Hotspot, ProbeKind


@pytest.fixture
def regions(db) -> int:
    return regions_load_reference()


def test_demo_hotspots_load_once(regions):
    added = demo_hotspots()
    assert 38 <= added <= 45
    assert demo_hotspots() == 0
    assert Hotspot.objects.count() == added
    assert not Hotspot.objects.filter(is_demo=False).exists()
    assert AuditEntry.objects.filter(action="hotspot_add").count() == added


def test_demo_hotspots_cover_every_kelurahan_and_stand_inside_it(regions):
    demo_hotspots()
    kelurahan = set(Region.objects.filter(level=Region.Level.KELURAHAN).values_list("pk", flat=True))
    assert set(Hotspot.objects.values_list("kelurahan", flat=True)) == kelurahan
    # No marker hides another.
    assert len(set(Hotspot.objects.values_list("lat", "lon"))) == Hotspot.objects.count()
    for hotspot in Hotspot.objects.select_related("kelurahan"):
        assert locate(hotspot.lat, hotspot.lon) == hotspot.kelurahan, hotspot.code
        assert hotspot.name.endswith(hotspot.kelurahan.name)
        assert hotspot.rw and hotspot.rt
        assert (hotspot.bandwidth_mbps, hotspot.backhaul, str(hotspot.installed_on)) == (
            20, "fiber optik", "2022-04-01")


def test_demo_probes_stay_on_this_machine(regions):
    demo_hotspots()
    dead = Hotspot.objects.filter(probe_kind=ProbeKind.TCP)
    assert dead.count() == 3
    assert set(dead.values_list("management_address", "probe_port")) == {("127.0.0.1", 9)}
    http = Hotspot.objects.filter(probe_kind=ProbeKind.HTTP)
    assert {h.management_address for h in http} == {f"{settings.SITE_URL}/healthz"}
    assert Hotspot.objects.count() == dead.count() + http.count()
    assert Hotspot.objects.filter(status=Hotspot.Status.MAINTENANCE).count() == 1


def test_demo_map_is_not_all_unknown_before_the_first_round(regions):
    demo_hotspots()
    working = Hotspot.objects.filter(probe_kind=ProbeKind.HTTP, status=Hotspot.Status.ACTIVE)
    assert set(working.values_list("health", flat=True)) == {Health.OK}
    # The dead ones and the one in maintenance wait for the worker.
    assert set(Hotspot.objects.exclude(pk__in=working).values_list("health", flat=True)) == {Health.UNKNOWN}


def test_demo_points_follow_the_address_the_platform_serves_at(regions, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    demo_hotspots()
    settings.SITE_URL = "http://127.0.0.1:8765"  # `kotacerdas up --port 8765` next time
    assert demo_hotspots() == 0
    http = Hotspot.objects.filter(probe_kind=ProbeKind.HTTP)
    assert {h.management_address for h in http} == {"http://127.0.0.1:8765/healthz"}


def test_demo_usage_fills_two_weeks_of_rollups_once(regions):
    from kotacerdas.wifi.demo import demo_usage
    from kotacerdas.wifi.models import Session, UsageDay

    demo_hotspots()
    added = demo_usage()
    assert added > 1000
    assert demo_usage() == 0
    assert Session.objects.count() == added
    yesterday = UsageDay.objects.filter(day=timezone.localdate() - timedelta(days=1), hotspot__isnull=False)
    assert yesterday.count() == Hotspot.objects.filter(status=Hotspot.Status.ACTIVE).count()
    assert all(row.sessions and row.unique_users and row.bytes_out > row.bytes_in for row in yesterday)
    assert not Session.objects.filter(hotspot__isnull=True).exists()  # each found its point
