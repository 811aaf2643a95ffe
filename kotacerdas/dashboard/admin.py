from django.contrib import admin

from kotacerdas.dashboard.models import DigestSent, Rollup


@admin.register(Rollup)
class RollupAdmin(admin.ModelAdmin):
    list_display = ["period", "computed_at", "seconds"]
    readonly_fields = ["period", "cells", "computed_at", "seconds"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "week", "overdue", "indicators", "sent_at"]
    list_filter = ["week"]
    readonly_fields = ["user", "week", "overdue", "indicators", "sent_at"]
