import re

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kotacerdas.audit.admin import AuditedModelAdmin
from kotacerdas.lib.uploads import CONTENT_TYPES
from kotacerdas.services.actions import document_revoke
from kotacerdas.services.models import FormField, OutputDocument, Service, SurveyResponse

RULE_KEYS = {"min_length", "max_length", "min", "max", "pattern", "pattern_message", "date"}


class FormFieldAdminForm(forms.ModelForm):
    """An OPD admin defines the form as data; this catches what would break it for residents."""

    class Meta:
        model = FormField
        fields = [
            "order", "name", "label", "type", "required", "help", "choices", "accept", "max_mb", "rules"
        ]

    def clean(self):
        data = super().clean()
        kind, choices = data.get("type"), data.get("choices") or []
        if kind in (FormField.Type.CHOICE, FormField.Type.MULTICHOICE) and not choices:
            self.add_error("choices", _("Isian pilihan perlu daftar pilihan, mis. [\"Ya\", \"Tidak\"]."))
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            self.add_error("choices", _("Pilihan ditulis sebagai daftar teks."))
        accept = data.get("accept") or []
        if kind == FormField.Type.FILE and not set(accept) <= set(CONTENT_TYPES) | {"jpeg"}:
            self.add_error("accept", _("Jenis berkas yang bisa dipilih: pdf, jpg, png."))
        rules = data.get("rules") or {}
        if not isinstance(rules, dict) or not set(rules) <= RULE_KEYS:
            known = ", ".join(sorted(RULE_KEYS))
            self.add_error("rules", _("Aturan yang dikenal: %(keys)s.") % {"keys": known})
        elif "pattern" in rules:
            try:
                re.compile(rules["pattern"])
            except (re.error, TypeError):
                self.add_error("rules", _("Pola (pattern) bukan ekspresi reguler yang sah."))
        if data.get("max_mb") is not None and not 1 <= data["max_mb"] <= 20:
            self.add_error("max_mb", _("Ukuran maksimal antara 1 dan 20 MB."))
        return data


class FormFieldInline(admin.TabularInline):
    model = FormField
    form = FormFieldAdminForm
    extra = 0


class OwnAgencyMixin:
    """An OPD admin sees and edits only their own agency's services; superusers see all."""

    agency_path = "agency"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        membership = request.user.membership
        return rows.filter(**{self.agency_path: membership.agency}) if membership else rows.none()


@admin.register(Service)
class ServiceAdmin(OwnAgencyMixin, AuditedModelAdmin):
    list_display = ["name", "agency", "category", "sla_workdays", "online", "is_sample", "is_published"]
    list_filter = ["category", "agency", "online", "is_sample", "is_published"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FormFieldInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        membership = request.user.membership
        if not request.user.is_superuser and membership is not None and "agency" in form.base_fields:
            field = form.base_fields["agency"]
            field.queryset = field.queryset.filter(pk=membership.agency_id)
            field.initial = membership.agency_id
        return form


@admin.register(OutputDocument)
class OutputDocumentAdmin(OwnAgencyMixin, admin.ModelAdmin):
    list_display = ["number", "title", "agency", "issued_at", "verification_code", "revoked_at"]
    list_filter = ["agency", "generated"]
    search_fields = ["number", "verification_code"]
    actions = ["revoke"]
    readonly_fields = [f.name for f in OutputDocument._meta.fields]

    def has_add_permission(self, request):
        return False  # issued only by finishing an application

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cabut dokumen terpilih (diterbitkan karena keliru)"))
    def revoke(self, request, queryset):
        for document in queryset:
            document_revoke(document=document, actor=request.user, reason="dicabut melalui admin")
        messages.success(request, _("Dokumen dicabut; halaman verifikasi kini menyatakannya dicabut."))


@admin.register(SurveyResponse)
class SurveyResponseAdmin(OwnAgencyMixin, admin.ModelAdmin):
    """Answers are read, never edited: the IKM is computed from them."""

    list_display = ["service", "agency", "submitted_at", *SurveyResponse.ELEMENTS]
    list_filter = ["agency", "service"]
    readonly_fields = [f.name for f in SurveyResponse._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
