from django.contrib import admin

from kotacerdas.audit.actions import audit_record
from kotacerdas.audit.models import AuditEntry


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records only the platform writes (the audit log, monitoring incidents): admins
    look them up, nobody adds, edits or deletes one by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Admins search the log; nobody edits or deletes it."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action", "actor__name"]
    date_hierarchy = "at"


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits are actions too: each save or delete writes an audit row in its transaction."""

    def save_model(self, request, obj, form, change):
        # Secrets are recorded as changed, never with their values.
        changed = [name for name in form.changed_data if "password" not in name]
        before = {name: form.initial.get(name) for name in changed} if change else {}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in changed}
        after.update({name: "***" for name in form.changed_data if "password" in name})
        action = f"admin_{'change' if change else 'add'}_{obj._meta.model_name}"
        audit_record(actor=request.user, action=action, obj=obj, before=before, after=after)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=f"admin_delete_{obj._meta.model_name}", obj=obj,
                     before={"object": str(obj)})
        super().delete_model(request, obj)
