"""Test-only pages for test_map_browser.py: the API (for the boundaries) plus one page with a
picker map and a markers map, and the points those markers come from. Never routed in
production; the rest of the site is left out so its pages cannot break these tests."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path, reverse

from kotacerdas.api import api

PAGE = """<!doctype html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Peta uji</title>
  {% include "portal/_map_assets.html" %}
</head>
<body>
  <form id="report" method="post" action="">
    <label for="id_lat">Lintang</label> <input id="id_lat" name="lat" inputmode="decimal" value="{{ lat }}">
    <label for="id_lon">Bujur</label> <input id="id_lon" name="lon" inputmode="decimal" value="{{ lon }}">
    <div id="picker" class="map" aria-label="Peta lokasi laporan" data-map
         data-boundaries="{{ boundaries }}" data-pick-lat="#id_lat" data-pick-lon="#id_lon"
         data-tiles="{{ tiles }}" data-tiles-attribution="{{ tiles_attribution }}"></div>
    <button type="button" data-locate hidden data-msg-busy="Mencari lokasi Anda…"
            data-msg-denied="Izin lokasi ditolak." data-msg-failed="Lokasi tidak dapat ditemukan.">
      Pakai lokasi saya
    </button>
    <p data-locate-status role="status"></p>
  </form>
  <div id="reports" class="map" aria-label="Peta laporan" data-map
       data-boundaries="{{ boundaries }}" data-points="{{ points }}" data-center="{{ center }}"></div>
</body>
</html>"""

# Report-like points in Kota Blitar; one title carries markup, which must show as text.
POINTS = [
    {"title": "Jalan berlubang di Jl. Merdeka", "url": "/laporan/1/", "status": "submitted",
     "category": "Jalan", "lon": 112.1681, "lat": -8.0985},
    {"title": "Lampu jalan <b>mati</b>", "url": "/laporan/2/", "status": "in_progress",
     "category": "Penerangan", "lon": 112.1550, "lat": -8.0890},
    {"title": "Saluran tersumbat", "url": "/laporan/3/", "status": "resolved",
     "category": "Drainase", "lon": 112.1802, "lat": -8.0700},
]


def map_page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({
        "boundaries": reverse("api-v1:region_boundaries"),
        "points": reverse("test_map_points"),
        "lat": request.GET.get("lat", ""),
        "lon": request.GET.get("lon", ""),
        "center": request.GET.get("center", ""),
        # ?tiles=1: a tile layer, served by this test server so no request leaves it.
        "tiles": "/uji/peta/ubin/{z}/{x}/{y}.png" if request.GET.get("tiles") else "",
        "tiles_attribution": "© Ubin uji" if request.GET.get("tiles") else "",
    }))


def map_points(request: HttpRequest) -> JsonResponse:
    """?status=… keeps the points with that status, as a report filter would."""
    wanted = request.GET.get("status")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
            "properties": {k: p[k] for k in ("title", "url", "status", "category")},
        }
        for p in POINTS
        if wanted in (None, p["status"])
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


# The smallest valid PNG: one transparent pixel.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c02"
    "0000000b4944415478da6364600000000600023081d02f0000000049454e44ae426082"
)


def map_tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    return HttpResponse(PIXEL, content_type="image/png")


urlpatterns = [
    path("uji/peta/", map_page, name="test_map_page"),
    path("uji/peta/titik.geojson", map_points, name="test_map_points"),
    path("uji/peta/ubin/<int:z>/<int:x>/<int:y>.png", map_tile),
    path("api/v1/", api.urls),
]
