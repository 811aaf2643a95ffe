from django.contrib import admin

from kotacerdas.audit.admin import AuditedModelAdmin
from kotacerdas.reports.models import Attribute, Category, ReplyTemplate, Report


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    """Which agency handles what, and the SP4N-LAPOR! deadlines per category."""

    list_display = ["name", "code", "group", "agency", "verify_workdays", "followup_workdays",
                    "autoclose_workdays", "is_active"]
    list_filter = ["agency", "group", "is_active"]
    search_fields = ["name", "code", "keywords"]
    inlines = [AttributeInline]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(AuditedModelAdmin):
    list_display = ["title", "agency"]
    list_filter = ["agency"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """For looking up; reports change only through the officers' actions (audited)."""

    list_display = ["case", "category", "kelurahan", "privacy", "supporters", "created_at"]
    list_filter = ["category", "privacy", "kelurahan"]
    search_fields = ["case__tracking_code"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
