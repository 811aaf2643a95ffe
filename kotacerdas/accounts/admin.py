from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kotacerdas.accounts.models import ApiKey, Membership, User
from kotacerdas.audit.admin import AuditedModelAdmin


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    max_num = 1


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "staff_membership__agency"]
    search_fields = ["name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "email_verified",
                               "phone_verified"]}),
        ("Preferensi", {"fields": ["language", "channels"]}),
    ]
    add_fieldsets = [(None, {"fields": ["name", "email", "password1", "password2"]})]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at"]

    def has_add_permission(self, request):
        return False  # keys are made with `kotacerdas create_api_key NAME`, shown once
