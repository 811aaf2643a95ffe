from django.contrib import admin

from kotacerdas.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from kotacerdas.wifi.models import Hotspot, Incident

HEALTH_FIELDS = ["health", "health_changed_at", "last_probe_at", "last_ok_at", "failures", "first_failure_at",
                 "last_rtt_ms", "last_error", "last_push_at", "created_at", "updated_at"]


@admin.register(Hotspot)
class HotspotAdmin(AuditedModelAdmin):
    """For looking up and quick fixes; the field team works in /wifi/kelola/. Health is the
    monitoring's to write, and the device key's hash is never shown."""

    list_display = ["code", "name", "kelurahan", "rw", "rt", "status", "health", "last_probe_at",
                    "probe_kind"]
    list_filter = ["status", "health", "probe_kind", "is_demo", "kelurahan"]
    search_fields = ["code", "name", "nas_identifier", "called_station_id", "wispr_location_id",
                     "management_address"]
    list_select_related = ["kelurahan"]
    exclude = ["device_key_hash"]
    readonly_fields = HEALTH_FIELDS


@admin.register(Incident)
class IncidentAdmin(ReadOnlyModelAdmin):
    """Opened and closed by the monitoring only."""

    list_display = ["hotspot", "started_at", "ended_at", "cause"]
    list_filter = ["ended_at"]
    search_fields = ["hotspot__code", "hotspot__name"]
    list_select_related = ["hotspot"]
    date_hierarchy = "started_at"
