from datetime import date

import pytest

from kotacerdas.dashboard.actions import rollup_month, rollups_rebuild, rollups_refresh
from kotacerdas.dashboard.metrics import METRICS, metric_value
from kotacerdas.dashboard.models import Rollup
from kotacerdas.dashboard.queries import dashboard_figures, period_for
from kotacerdas.reports import queries as report_queries
from kotacerdas.services import queries as service_queries

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def _pct(share):
    return None if share is None else 100 * share


def test_rollups_of_a_year_equal_the_direct_figures(world):
    # Before any rollup exists every metric is computed straight from the cases.
    direct = {key: metric_value(key, 2026) for key in METRICS}
    rollups_rebuild()
    figures = dashboard_figures(period=period_for("2026", TODAY))
    from_rollups = {
        "services_online_share": _pct(figures.services_online_share),
        "services_within_standard": _pct(figures.within_standard),
        "ikm_city": figures.ikm.converted if figures.ikm else None,
        "reports_within_sla": _pct(figures.reports_within_sla),
        "ppid_within_deadline": _pct(figures.ppid_within_deadline),
        "wifi_uptime": _pct(figures.wifi_uptime),
        "datasets_on_time": _pct(figures.datasets_on_time),
    }
    for key, value in from_rollups.items():
        assert value == pytest.approx(direct[key]), key
        assert metric_value(key, 2026) == pytest.approx(direct[key]), key
    assert set(from_rollups) | {"datasets_published"} == set(METRICS)
    assert figures.datasets == direct["datasets_published"]
    assert (figures.applications, figures.finished, figures.on_time) == (3, 2, 1)
    assert (figures.reports, figures.reports_answered, figures.reports_within) == (4, 3, 2)


def test_per_agency_rows_equal_the_services_and_reports_statistics(world):
    rollups_rebuild()
    figures = dashboard_figures(period=period_for("2026", TODAY))
    rows = {row.agency.code: row for row in figures.agencies}
    for agency, stats in service_queries.figures_by_agency(2026):
        row = rows[agency.code]
        assert row.applications == stats.applications
        assert row.within_standard == stats.within_standard
        assert (row.ikm.converted if row.ikm else None) == (stats.ikm.converted if stats.ikm else None)
    for stats in report_queries.figures(year=2026).agencies:
        assert rows[stats.agency.code].reports == stats.reports
        assert rows[stats.agency.code].reports_within_sla == stats.within_sla


def test_open_and_overdue_now(world):
    rollups_rebuild()
    figures = dashboard_figures(period=period_for("bulan-ini", TODAY))
    # C (service) and R3 (report) are open past their due date; P3 is open, due long ago.
    assert figures.open["service"] == [1, 1]
    assert figures.open["report"] == [1, 1]
    assert figures.open["information"] == [1, 1]


def test_filter_by_agency_and_kelurahan(world, personas):
    rollups_rebuild()
    year = period_for("2026", TODAY)
    dukcapil = dashboard_figures(period=year, agency_id=personas.dukcapil.pk)
    assert (dukcapil.applications, dukcapil.reports, dukcapil.ppid_requests) == (2, 0, 3)
    assert dukcapil.ikm.converted == 87.5
    sentul = dashboard_figures(period=year, kelurahan_id=world.sentul.pk)
    assert (sentul.applications, sentul.reports) == (1, 1)  # C and the confidential R5
    assert sentul.ikm is None  # the survey has no kelurahan
    assert sentul.wifi_uptime is None  # no hotspot in Sentul
    kauman = dashboard_figures(period=year, kelurahan_id=world.kauman.pk)
    assert kauman.reports == 3 and kauman.open["report"] == [1, 1]
    assert kauman.wifi_uptime == pytest.approx(dashboard_figures(period=year).wifi_uptime)


def test_filter_by_month(world):
    rollups_rebuild()
    march = dashboard_figures(period=period_for("2026-03", TODAY))
    assert (march.applications, march.reports, march.ppid_requests) == (2, 2, 2)
    november = dashboard_figures(period=period_for("2025-11", TODAY))
    assert november.applications == 1 and november.ikm.converted == 25.0


def test_a_month_not_yet_rolled_up_is_reported_missing(world):
    rollup_month(month=date(2026, 3, 1))
    figures = dashboard_figures(period=period_for("tahun-ini", TODAY))
    assert figures.missing == ["2026-01", "2026-02", "2026-04", "2026-05", "2026-06"]
    assert figures.applications == 2


def test_refresh_recomputes_this_and_last_month_and_now(world):
    rollups = rollups_refresh()
    assert [r.period for r in rollups] == ["2026-05", "2026-06", Rollup.NOW]
    assert all(r.seconds >= 0 for r in rollups)


def test_bad_period_is_refused():
    for key in ["2027", "2026-07", "2026-13", "kemarin", "20x6"]:
        with pytest.raises(ValueError):
            period_for(key, TODAY)
    assert period_for("bulan-lalu", date(2026, 1, 10)).months == (date(2025, 12, 1),)
    assert len(period_for("tahun-lalu", TODAY).months) == 12
    assert len(period_for("tahun-ini", TODAY).months) == 6


def test_rebuild_command_writes_every_month_since_the_first_case(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("dashboard_rebuild", stdout=out)
    # November 2025 (case D) to June 2026 is 8 months; at least 13 are kept; and "now".
    assert Rollup.objects.count() == 14
    assert Rollup.objects.filter(period="2025-06").exists() and Rollup.objects.filter(period="now").exists()
    assert out.getvalue().startswith("14 rollups in ")


def test_slow_metrics_come_from_complete_rollups_and_follow_the_refresh(world, personas):
    from datetime import timedelta

    import time_machine

    from kotacerdas.cases.models import Kind, Status
    from kotacerdas.dashboard.tests.conftest import NOW, _case, wib

    rollups_rebuild()
    assert metric_value("reports_within_sla", 2026) == 50.0
    # A late answer to a June report: the figure moves when the worker rolls June up again.
    late = _case(
        Kind.REPORT, personas.dpupr, world.kauman, wib(2026, 6, 1), date(2026, 6, 3), status=Status.RESOLVED
    )
    from kotacerdas.reports.models import Category, Report

    Report.objects.create(
        case=late,
        category=Category.objects.get(code="lampu"),
        description="x",
        lat=-8.0953,
        lon=112.1612,
        kelurahan=world.kauman,
    )
    Report.objects.filter(case=late).update(created_at=wib(2026, 6, 1))
    assert metric_value("reports_within_sla", 2026) == 50.0
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        rollups_refresh()
    assert metric_value("reports_within_sla", 2026) == 40.0  # 2 of 5
    # A year with a month not rolled up is computed from the cases, new ones included.
    Rollup.objects.filter(period="2026-02").delete()
    another = _case(Kind.REPORT, personas.dpupr, world.kauman, wib(2026, 6, 2), date(2026, 6, 4))
    Report.objects.create(
        case=another,
        category=Category.objects.get(code="lampu"),
        description="y",
        lat=-8.0953,
        lon=112.1612,
        kelurahan=world.kauman,
    )
    Report.objects.filter(case=another).update(created_at=wib(2026, 6, 2))
    assert metric_value("reports_within_sla", 2026) == pytest.approx(100 * 2 / 6)
