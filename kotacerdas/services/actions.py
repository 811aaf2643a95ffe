import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kotacerdas.agencies.models import Agency
from kotacerdas.services.models import FormField, Service

FIELD_KEYS = ("label", "type", "required", "help", "choices", "accept", "max_mb")


@transaction.atomic
def services_load_reference() -> int:
    """Load the sample catalog. Idempotent, and never overwrites a service an OPD has edited."""
    rows = json.loads((Path(settings.BASE_DIR) / "data" / "services.json").read_text())
    agencies = {a.code: a for a in Agency.objects.all()}
    created = 0
    for row in rows:
        every_kelurahan = row["agency"] == "kelurahan"
        service, made = Service.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "agency": None if every_kelurahan else agencies[row["agency"]],
                "all_kelurahan": every_kelurahan,
                "summary": row["summary"],
                "category": row["category"],
                "life_events": row["life_events"],
                "requirements": row["requirements"],
                "procedure": row["procedure"],
                "sla_workdays": row["sla_days"],
                "fee": row["fee"],
                "fee_amount": row["fee_amount"],
                "product": row["product"],
                "complaint_channel": row["complaint_channel"],
                "legal_basis": row["legal_basis"],
                "online": row["online"],
                "requires_nik": row["requires_nik"],
                "needs_approval": row["needs_approval"],
                "is_sample": True,
            },
        )
        if made:
            created += 1
            FormField.objects.bulk_create(
                FormField(service=service, order=index, name=field["name"],
                          **{key: field[key] for key in FIELD_KEYS if key in field})
                for index, field in enumerate(row["form"])
            )
    return created
