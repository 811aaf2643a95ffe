from django.core.cache import cache

from kotacerdas.lib.geo import geometry_bbox, geometry_contains
from kotacerdas.regions.models import Region

_BOUNDARY_CACHE_KEY = "regions:kelurahan-boundaries"


def _kelurahan_boundaries() -> list[tuple[int, tuple[float, float, float, float], dict]]:
    shapes = cache.get(_BOUNDARY_CACHE_KEY)
    if shapes is None:
        rows = Region.objects.filter(level=Region.Level.KELURAHAN, boundary__isnull=False)
        shapes = [(r.pk, geometry_bbox(r.boundary or {}), r.boundary) for r in rows.only("pk", "boundary")]
        cache.set(_BOUNDARY_CACHE_KEY, shapes, 3600)
    return shapes


def forget_boundaries() -> None:
    cache.delete(_BOUNDARY_CACHE_KEY)


def locate(lat: float, lon: float) -> Region | None:
    """The kelurahan containing the point, or None outside the city."""
    for pk, (min_lon, min_lat, max_lon, max_lat), boundary in _kelurahan_boundaries():
        inside_box = min_lon <= lon <= max_lon and min_lat <= lat <= max_lat
        if inside_box and geometry_contains(boundary, lon, lat):
            region = Region.objects.filter(pk=pk).first()
            if region is None:  # the cached shapes are stale: an admin changed the regions
                forget_boundaries()
                return locate(lat, lon)
            return region
    return None


def regions_at_level(level: str):
    return Region.objects.filter(level=level).select_related("parent").order_by("code")


def kelurahan_choices():
    return Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name")
