"""Bappeda keeps the masterplan here: its text, programmes, indicators and yearly targets,
and the frameworks' editable data (weights, levels, bands). Realisations move only through
the staff pages (entry, verification), so here they are read-only."""

from django.contrib import admin

from kotacerdas.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from kotacerdas.masterplan.models import (
    Dimension,
    EvaluationComponent,
    Indicator,
    Plan,
    Programme,
    Realisation,
    SpbeBand,
    SpbeIndicator,
    SpbeLevel,
    SubDimension,
    Target,
)


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ["title", "start_year", "end_year", "is_demo"]


class SubDimensionInline(admin.TabularInline):
    model = SubDimension
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [SubDimensionInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "kind", "name", "unit", "baseline", "baseline_year", "direction", "agency", "metric"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = [
        "code",
        "name",
        "dimension",
        "lead_agency",
        "horizon",
        "start_year",
        "end_year",
        "status",
        "is_demo",
    ]
    list_filter = ["dimension", "horizon", "status", "lead_agency", "is_demo"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["dimension", "lead_agency"]
    autocomplete_fields = ["supporting_agencies"]
    inlines = [IndicatorInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ["name", "programme", "kind", "unit", "agency", "metric"]
    list_filter = ["kind", "agency"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme", "agency"]
    inlines = [TargetInline]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyModelAdmin):
    list_display = ["indicator", "year", "value", "status", "is_automatic", "submitted_at", "reviewed_at"]
    list_filter = ["status", "year", "is_automatic"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator"]


@admin.register(EvaluationComponent)
class EvaluationComponentAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "weight", "order"]


@admin.register(SpbeIndicator)
class SpbeIndicatorAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "aspect", "weight"]
    list_filter = ["aspect__domain"]
    list_select_related = ["aspect"]


@admin.register(SpbeLevel)
class SpbeLevelAdmin(AuditedModelAdmin):
    list_display = ["level", "name", "description"]


@admin.register(SpbeBand)
class SpbeBandAdmin(AuditedModelAdmin):
    list_display = ["name", "minimum"]
