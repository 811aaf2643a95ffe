from typing import Any, Literal

from django.http import HttpResponse
from ninja import Router, Schema

from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import regions_at_level

router = Router(tags=["regions"])

# The boundaries are MIT-licensed: the licence asks that the notice travel with the data,
# and the map shows this text in its attribution control (see kotacerdas/data/README.md).
BOUNDARY_ATTRIBUTION = (
    "Batas wilayah / boundaries: cahyadsn/wilayah_boundaries, MIT License, © Cahya DSN; "
    "disederhanakan / simplified."
)


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class KelurahanProperties(Schema):
    code: str
    name: str
    kecamatan: str


class KelurahanFeature(Schema):
    type: Literal["Feature"] = "Feature"
    properties: KelurahanProperties
    geometry: dict[str, Any]  # a GeoJSON Polygon or MultiPolygon, [lng, lat] as RFC 7946 says


class KelurahanCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    attribution: str
    features: list[KelurahanFeature]


@router.get("", response=list[RegionOut], summary="Wilayah Kota Blitar / regions")
def list_regions(request, level: Region.Level = Region.Level.KELURAHAN):
    return [
        RegionOut(code=r.code, name=r.name, level=r.level, parent_code=r.parent.code if r.parent else None)
        for r in regions_at_level(level)
    ]


@router.get(
    "/boundaries.geojson",
    response=KelurahanCollection,
    url_name="region_boundaries",
    summary="Batas kelurahan (GeoJSON) / kelurahan boundaries",
)
def kelurahan_boundaries(request, response: HttpResponse):
    """The 21 kelurahan as a GeoJSON FeatureCollection: the basemap of every map on the portal,
    which draws the city's shape without loading tiles from anywhere else."""
    # Boundaries change when Kemendagri redraws a kelurahan, years apart; a day's caching
    # spares phones on slow connections from downloading the polygons on every page.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Type"] = "application/geo+json"
    kelurahan = regions_at_level(Region.Level.KELURAHAN).filter(boundary__isnull=False)
    return KelurahanCollection(
        attribution=BOUNDARY_ATTRIBUTION,
        features=[
            KelurahanFeature(
                properties=KelurahanProperties(code=k.code, name=k.name, kecamatan=k.parent.name),
                geometry=k.boundary,
            )
            for k in kelurahan
        ],
    )
