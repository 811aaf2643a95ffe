from django.contrib import admin

from kotacerdas.audit.admin import AuditedModelAdmin
from kotacerdas.cases.models import Case, CaseEvent, Holiday


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "type", "is_public", "actor", "from_status", "to_status", "text"]
    exclude = ["data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change through the staff area's actions, which audit them."""

    list_display = ["tracking_code", "kind", "agency", "status", "due_date", "submitted_at"]
    list_filter = ["kind", "status", "agency"]
    search_fields = ["tracking_code", "title"]
    inlines = [CaseEventInline]
    readonly_fields = [f.name for f in Case._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"
