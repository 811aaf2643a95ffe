from ninja import Router, Schema

from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import regions_at_level

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


@router.get("", response=list[RegionOut], summary="Wilayah Kota Blitar / regions")
def list_regions(request, level: Region.Level = Region.Level.KELURAHAN):
    return [
        RegionOut(code=r.code, name=r.name, level=r.level, parent_code=r.parent.code if r.parent else None)
        for r in regions_at_level(level)
    ]
