from django.contrib import admin

from kotacerdas.audit.admin import AuditedModelAdmin
from kotacerdas.services.models import FormField, Service


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0
    fields = ["order", "name", "label", "type", "required", "help", "choices", "accept", "max_mb"]


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ["name", "agency", "category", "sla_workdays", "online", "is_sample", "is_published"]
    list_filter = ["category", "agency", "online", "is_sample", "is_published"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FormFieldInline]
