import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kotacerdas.agencies.models import Agency
from kotacerdas.regions.models import Region

DATA = Path(settings.BASE_DIR) / "data"


@transaction.atomic
def agencies_load_reference() -> int:
    """Load the OPD list and one office per kelurahan. Existing rows (maybe edited by an
    admin) are left as they are."""
    created = 0
    with (DATA / "agencies.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            _agency, made = Agency.objects.get_or_create(
                code=row["code"],
                defaults={
                    "short_name": row["short_name"],
                    "name": row["name"],
                    "kind": row["kind"],
                    "region": Region.objects.filter(code=row["region_code"]).first()
                    if row["region_code"] else None,
                },
            )
            created += made
    for kelurahan in Region.objects.filter(level=Region.Level.KELURAHAN):
        _agency, made = Agency.objects.get_or_create(
            code=f"kel-{kelurahan.code.replace('.', '')}",
            defaults={
                "short_name": f"Kel. {kelurahan.name}",
                "name": f"Kelurahan {kelurahan.name}",
                "kind": Agency.Kind.KELURAHAN,
                "region": kelurahan,
            },
        )
        created += made
    return created
