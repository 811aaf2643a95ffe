from django.contrib import admin

from kotacerdas.information.models import (
    Document,
    InformationRequest,
    News,
    Objection,
    PpidRules,
    PublicInformation,
)


@admin.register(PpidRules)
class PpidRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "answer_workdays", "extension_workdays", "objection_window_workdays",
                    "objection_answer_workdays", "ppid_agency", "superior_agency"]

    def has_add_permission(self, request) -> bool:
        return not PpidRules.objects.exists()


@admin.register(PublicInformation)
class PublicInformationAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "agency", "updated_at"]
    list_filter = ["category", "agency"]
    search_fields = ["title", "summary"]


@admin.register(InformationRequest)
class InformationRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "decision", "extended_at", "decided_at"]
    list_filter = ["decision"]
    readonly_fields = [f.name for f in InformationRequest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["request", "outcome", "filed_at", "due_date"]
    readonly_fields = [f.name for f in Objection._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


# News and documents are written through the staff pages (/informasi/staf/berita/), whose
# actions sanitise, check uploads and audit; the admin only lists them.


@admin.register(News)
class NewsAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agency", "status", "publish_at", "featured", "is_sample"]
    list_filter = ["kind", "status", "featured", "agency"]
    search_fields = ["title", "summary"]
    readonly_fields = [f.name for f in News._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "number", "year", "agency", "status", "is_sample"]
    list_filter = ["kind", "status", "year", "agency"]
    search_fields = ["title", "number"]
    exclude = ["text"]
    readonly_fields = [f.name for f in Document._meta.fields if f.name != "text"]

    def has_add_permission(self, request) -> bool:
        return False
