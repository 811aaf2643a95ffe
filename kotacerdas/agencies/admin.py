from django.contrib import admin

from kotacerdas.agencies.models import Agency
from kotacerdas.audit.admin import AuditedModelAdmin


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["short_name", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
