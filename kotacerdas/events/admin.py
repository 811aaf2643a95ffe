from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kotacerdas.events import actions
from kotacerdas.events.models import Event, Material, Registration


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ["title", "name", "size", "created_at"]
    readonly_fields = ["title", "name", "size", "created_at"]
    can_delete = True
    verbose_name_plural = _("materi (tambahkan lewat halaman kelola acara agar berkasnya diperiksa)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title", "agency", "starts_at", "place", "capacity", "is_public", "certificate", "is_sample",
    ]
    list_filter = ["agency", "is_public", "certificate", "is_sample"]
    search_fields = ["title", "place", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [MaterialInline]
    actions = ["fill_seats"]

    def save_model(self, request, obj, form, change) -> None:
        actions.event_save(event=obj, actor=request.user, changed=list(form.changed_data))

    @admin.action(description=_("Naikkan peserta dari daftar tunggu ke kursi yang kosong"))
    def fill_seats(self, request, queryset) -> None:
        promoted = sum(len(actions.event_fill_seats(event=event, actor=request.user)) for event in queryset)
        self.message_user(request, _("%(count)s peserta naik dari daftar tunggu.") % {"count": promoted},
                          messages.SUCCESS)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registration, cancelling and check-in go through their actions."""

    list_display = ["event", "user", "status", "registered_at", "checked_in_at"]
    list_filter = ["status", "event"]
    search_fields = ["event__title", "user__name"]
    readonly_fields = [f.name for f in Registration._meta.fields if f.name != "ticket_code"]
    exclude = ["ticket_code"]

    def has_add_permission(self, request) -> bool:
        return False
