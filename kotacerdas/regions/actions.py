import csv
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kotacerdas.audit.actions import audit_record
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import forget_boundaries

DATA = Path(settings.BASE_DIR) / "data"


@transaction.atomic
def regions_load_reference() -> int:
    """Load the kota, kecamatan and kelurahan with codes, postcodes and boundaries.
    Idempotent: rows that exist are left as they are."""
    shapes = {
        feature["properties"]["kode"]: feature["geometry"]
        for feature in json.loads((DATA / "blitar_wilayah.geojson").read_text())["features"]
    }
    created = 0
    with (DATA / "blitar_wilayah.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            parent_code = row["kode"].rsplit(".", 1)[0] if "." in row["kode"] else None
            _region, made = Region.objects.get_or_create(
                code=row["kode"],
                defaults={
                    "name": row["nama"],
                    "level": row["level"],
                    "parent": Region.objects.filter(code=parent_code).first() if parent_code else None,
                    "postcode": row["kodepos"],
                    "centroid_lat": float(row["lat_centroid"]),
                    "centroid_lon": float(row["lng_centroid"]),
                    "boundary": shapes.get(row["kode"]),
                },
            )
            created += made
    forget_boundaries()
    return created


@transaction.atomic
def region_add(*, parent: Region, level: str, number: int, actor=None, is_demo: bool = False) -> Region:
    """Add an RW under a kelurahan or an RT under an RW (admins keep these)."""
    prefix = "RW" if level == Region.Level.RW else "RT"
    width = 2 if level == Region.Level.RW else 3
    code = f"{parent.code}.{prefix}{number:0{width}d}"
    region, created = Region.objects.get_or_create(
        code=code,
        defaults={"name": f"{prefix} {number:0{width}d}", "level": level, "parent": parent,
                  "is_demo": is_demo, "postcode": parent.postcode},
    )
    if created:
        audit_record(actor=actor, action="region_add", obj=region, after={"code": code})
    return region
