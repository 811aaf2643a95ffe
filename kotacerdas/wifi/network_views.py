"""The network operators' dashboard: health now, uptime and usage over a period. It reads
incidents and the daily usage rollups only, never raw probes or sessions."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.lib import svgchart
from kotacerdas.regions.models import Region
from kotacerdas.wifi import uptime
from kotacerdas.wifi.models import Health, Hotspot
from kotacerdas.wifi.queries import is_network_operator
from kotacerdas.wifi.radius.queries import usage_summary

LONGEST_PERIOD_DAYS = 366
USAGE_CACHE_SECONDS = 300
GIB = 1024**3


class PeriodForm(forms.Form):
    # A date input takes and sends ISO dates whatever the page's language.
    dari = forms.DateField(label=gettext_lazy("Dari tanggal"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sampai = forms.DateField(label=gettext_lazy("Sampai tanggal"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kelurahan = forms.ModelChoiceField(
        label=gettext_lazy("Kelurahan"), required=False, to_field_name="code",
        queryset=Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name"),
        empty_label=gettext_lazy("Semua kelurahan"),
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("sampai") or today
        start = data.get("dari") or end - timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        if (end - start).days >= LONGEST_PERIOD_DAYS:
            raise forms.ValidationError(_("Periode paling panjang satu tahun."))
        data["start"], data["end"] = start, end
        return data


def _health_counts() -> list[tuple[str, str, int]]:
    """(value, label, active points) for every health, none left out."""
    counts = dict(
        Hotspot.objects.filter(status=Hotspot.Status.ACTIVE)
        .values_list("health").annotate(n=Count("pk")).order_by()
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in Health.choices]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


@staff_required
def network(request: HttpRequest) -> HttpResponse:
    if not is_network_operator(request.user):
        raise Http404
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        kelurahan = form.cleaned_data["kelurahan"]
    else:
        # Unfiltered, or a period the form refused (its errors show): the last 30 days.
        end = timezone.localdate()
        start, kelurahan = end - timedelta(days=29), None
        if not form.is_bound:
            form = PeriodForm(initial={"dari": start, "sampai": end})
    # The rollups change every 15 minutes (radius/tasks.py): five minutes' reuse costs the
    # figures nothing and spares the database two aggregations over period × hotspots rows.
    # get_or_set never answers None here: it computes the figures when they are not kept.
    usage: dict[str, Any] = cache.get_or_set(  # type: ignore[assignment]
        f"wifi:usage:{start}:{end}:{kelurahan.pk if kelurahan else ''}",
        lambda: usage_summary(start=start, end=end, kelurahan=kelurahan),
        USAGE_CACHE_SECONDS,
    )
    by_day = {row["day"]: row for row in usage["days"]}
    days = [(day.strftime("%d/%m"), by_day.get(day, {})) for day in _days(start, end)]
    sessions_chart = svgchart.bar_chart(
        _("Sesi per hari"), [svgchart.Point(label, row.get("sessions") or 0) for label, row in days]
    )
    traffic_chart = svgchart.bar_chart(
        _("Lalu lintas per hari (GiB)"),
        [svgchart.Point(label, round(((row.get("bytes_in") or 0) + (row.get("bytes_out") or 0)) / GIB, 1))
         for label, row in days],
    )
    daily_uptime = uptime.daily_uptime(None, start, end, kelurahan=kelurahan)
    # A day still to come, or without any active point, has no uptime: it is left out.
    uptime_chart = svgchart.line_chart(
        _("Uptime per hari (%)"),
        [svgchart.Point(day.strftime("%d/%m"), round(share * 100, 1))
         for day, share in daily_uptime if share is not None],
    )
    year_ago = date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)
    months = uptime.monthly_uptime(None, year_ago, end, kelurahan=kelurahan)  # the last 12 months
    context = {
        "form": form,
        "uptime_months": [(month, share) for month, share in months if share is not None],
        "start": start,
        "end": end,
        "kelurahan": kelurahan,
        "health": _health_counts(),
        "usage": usage,
        "top_hotspots": [{**row, "gib": ((row["bytes_in"] or 0) + (row["bytes_out"] or 0)) / GIB}
                         for row in usage["top_hotspots"]],
        "bytes_total_gib": (usage["totals"]["bytes_in"] + usage["totals"]["bytes_out"]) / GIB,
        "sessions_chart": sessions_chart,
        "traffic_chart": traffic_chart,
        "uptime_chart": uptime_chart,
        "uptime_city": uptime.uptime_city(start, end, kelurahan=kelurahan),
        "uptime_kelurahan": uptime.uptime_by_kelurahan(start, end),
        "worst": uptime.uptime_by_hotspot(start, end, kelurahan=kelurahan, worst=10),
    }
    return render(request, "wifi/network.html", context)
