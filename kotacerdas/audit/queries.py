from django.db.models import QuerySet

from kotacerdas.audit.models import AuditEntry


def audit_for(obj) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def audit_search(*, text: str = "", action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    rows = AuditEntry.objects.select_related("actor")
    if action:
        rows = rows.filter(action=action)
    if object_type:
        rows = rows.filter(object_type=object_type)
    if text:
        rows = rows.filter(object_id=text) | rows.filter(actor__name__icontains=text)
    return rows
