from django.contrib import admin

from kotacerdas.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    readonly_fields = [f.name for f in Message._meta.fields]
    exclude = ["body"]

    def has_add_permission(self, request):
        return False
