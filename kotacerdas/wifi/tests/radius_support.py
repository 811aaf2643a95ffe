"""Set-up shared by the RADIUS accounting tests: hotspots, packets and the endpoint."""

import json
from typing import Any

from django.urls import path, reverse

from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.wifi.models import Hotspot, Session
from kotacerdas.wifi.radius import urls as radius_urls
from kotacerdas.wifi.radius.packets import packet_clean

# The integrator mounts radius/urls.py at api/wifi/radius/; the tests mount it themselves
# (with @pytest.mark.urls) so they do not depend on that.
urlpatterns = [path("api/wifi/radius/", (radius_urls.urlpatterns, "wifi_radius", "wifi_radius"))]
URLCONF = __name__

# A user name and a MAC that must never be found in the database.
USERNAME = "6281234567890"
MAC = "30:39:26:86:CC:EA"


def kelurahan() -> Region:
    if not Region.objects.filter(level="kelurahan").exists():
        regions_load_reference()
    region = Region.objects.filter(level="kelurahan").first()
    assert region is not None
    return region


def make_hotspot(code: str, **fields: Any) -> Hotspot:
    fields.setdefault("kelurahan", kelurahan())
    return Hotspot.objects.create(code=code, name=f"Balai {code}", lat=-8.1, lon=112.16, **fields)


def packet(status: str = "Start", **fields: Any) -> dict[str, Any]:
    """A packet as packets.packet_from_json makes it, MikroTik-flavoured."""
    raw = {"status_type": status, "session_id": "80f00003", "username": USERNAME, "calling_station_id": MAC,
           "nas_ip": "10.20.0.1", "nas_identifier": "rw03-sentul", "called_station_id": "hotspot-rw03",
           "nas_port_id": "bridge-hotspot"}
    raw.update(fields)
    return packet_clean(raw)


def accounting_url() -> str:
    return reverse("wifi_radius:accounting", urlconf=URLCONF)


def post(client, key: str | None, body: Any):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(accounting_url(), data=data, content_type="application/json", headers=headers)


def rlm_rest(attributes: dict[str, Any]) -> dict[str, Any]:
    """rlm_rest's default JSON body: every attribute {"type": ..., "value": [...]}."""
    types = {int: "integer", str: "string"}
    return {name: {"type": types.get(type(value), "string"), "value": [value]}
            for name, value in attributes.items()}


def stored_text() -> str:
    """Every value of every session column, to look for what must not be there."""
    return json.dumps(list(Session.objects.values()), default=str)
