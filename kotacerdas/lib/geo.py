"""Plain-Python geometry on GeoJSON (RFC 7946): distances, point-in-polygon, bounding boxes.

Good enough for a city: which kelurahan a report's GPS point falls in, how far a citizen is
from a Wi-Fi hotspot. Coordinates are WGS84 [longitude, latitude]. Planar ray casting on
lon/lat is exact enough for polygons a few kilometres across and does not need GEOS, so
the platform runs on plain SQLite. Nothing here handles the antimeridian; Indonesia does
not cross it.
"""

import math
from collections.abc import Iterator, Sequence
from typing import Any

# IUGG mean Earth radius; the haversine error from the Earth's flattening (< 0.5 %) is far
# below GPS accuracy on a phone.
EARTH_RADIUS_M = 6_371_008.8

Ring = Sequence[Sequence[float]]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    # min() guards asin against a rounding error pushing a just above 1 for antipodes.
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def geometry_contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether a GeoJSON Polygon or MultiPolygon contains the point; holes are excluded.

    A point exactly on an edge may be reported either way; for city boundaries that is
    below the precision of the data.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        return _polygon_contains(geometry["coordinates"], lon, lat)
    if kind == "MultiPolygon":
        return any(_polygon_contains(p, lon, lat) for p in geometry["coordinates"])
    raise ValueError(f"geometry_contains supports Polygon and MultiPolygon, not {kind!r}")


def _polygon_contains(rings: Sequence[Ring], lon: float, lat: float) -> bool:
    exterior, *holes = rings
    return _ring_contains(exterior, lon, lat) and not any(
        _ring_contains(hole, lon, lat) for hole in holes
    )


def _ring_contains(ring: Ring, x: float, y: float) -> bool:
    # Even-odd rule: count edges crossed by a ray going east from the point. Works for
    # either ring orientation, so files that ignore RFC 7946's winding order still work.
    # Pairing each vertex with its predecessor also closes rings that forgot to repeat
    # the first position; in a closed ring that extra edge is a point and never counts.
    inside = False
    previous = ring[-1]
    for current in ring:
        x1, y1 = previous[0], previous[1]
        x2, y2 = current[0], current[1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        previous = current
    return inside


def geometry_bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of any GeoJSON geometry with coordinates."""
    positions = list(_positions(geometry["coordinates"]))
    if not positions:
        raise ValueError("geometry has no coordinates")
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)


def _positions(coordinates: Any) -> Iterator[Sequence[float]]:
    # A position is a list of numbers; anything deeper is a list of positions or rings.
    if coordinates and isinstance(coordinates[0], int | float):
        yield coordinates
        return
    for item in coordinates:
        yield from _positions(item)
