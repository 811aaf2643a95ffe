from typing import Any

from django.db import models, transaction

from kotacerdas.audit.context import current_ip
from kotacerdas.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row. Call it inside the action's own transaction."""
    assert transaction.get_connection().in_atomic_block, "audit rows belong inside the action"
    changes = {}
    for field in sorted(set(before or {}) | set(after or {})):
        old, new = _plain((before or {}).get(field)), _plain((after or {}).get(field))
        if old != new:
            changes[field] = [old, new]
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes,
        ip=current_ip.get(),
    )
