"""Set-up for Wi-Fi tests: the city's reference data as a fresh installation loads it (the
"wifi-mati" report category goes to Diskominfotik, the personas' admin's agency), and a
factory adding hotspots through the registry's action, as the field team would."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.cases.actions import holidays_load_reference
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import forget_boundaries
from kotacerdas.reports.actions import categories_load_reference
from kotacerdas.reports.models import Category
from kotacerdas.wifi import actions
from kotacerdas.wifi.models import Hotspot
from kotacerdas.wifi.radius.queries import forget_hotspot_map


@dataclass
class City:
    category: Category  # "wifi-mati"

    @staticmethod
    def kelurahan(name: str) -> Region:
        return Region.objects.get(level=Region.Level.KELURAHAN, name=name)


@pytest.fixture(autouse=True)
def _fresh_caches():
    # `locate` caches kelurahan outlines, and accounting the hotspot registry, with their
    # primary keys; a rolled-back test's rows are gone, its cache entry would not be.
    forget_boundaries()
    forget_hotspot_map()
    cache.clear()
    yield
    forget_boundaries()
    forget_hotspot_map()
    cache.clear()


@pytest.fixture
def city(personas) -> City:
    """After the personas: their agencies are made first and the reference load keeps them."""
    regions_load_reference()
    agencies_load_reference()
    holidays_load_reference()
    categories_load_reference()
    return City(category=Category.objects.get(code=actions.REPORT_CATEGORY))


HotspotFactory = Callable[..., Hotspot]


@pytest.fixture
def hotspot_factory(city, personas) -> HotspotFactory:
    """make(code=None, *, kelurahan="Kauman", health=None, **registry fields): a hotspot at
    the kelurahan's centre unless lat/lon say otherwise, probed by TCP at a closed port of
    127.0.0.1; `health` is set as if the monitoring had."""
    numbers = itertools.count(1)

    def make(code: str | None = None, *, kelurahan: str = "Kauman", health: str | None = None,
             actor=None, **fields) -> Hotspot:
        n = next(numbers)
        region = city.kelurahan(kelurahan)
        data = {
            "code": code or f"T-{n:03d}",
            "name": f"Balai RW {n:02d} {region.name}",
            "kelurahan": region.code,
            "rw": str(n % 9 + 1),
            "rt": str(n % 3 + 1),
            "lat": region.centroid_lat,
            "lon": region.centroid_lon,
            # Nothing listens on port 9 of this machine: a probe fails at once, off no network.
            "management_address": "127.0.0.1",
            "probe_kind": "tcp",
            "probe_port": "9",
            "nas_ip": f"10.72.0.{n}",
        } | fields
        hotspot = actions.hotspot_save(actor=actor or personas.admin, data=data)
        if health is not None:
            now = timezone.now()
            Hotspot.objects.filter(pk=hotspot.pk).update(
                health=health, health_changed_at=now, last_probe_at=now
            )
            hotspot.refresh_from_db()
        return hotspot

    return make
