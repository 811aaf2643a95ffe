from django.contrib import admin

from kotacerdas.audit.admin import AuditedModelAdmin
from kotacerdas.regions.models import Region


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent", "postcode", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    exclude = ["boundary"]
