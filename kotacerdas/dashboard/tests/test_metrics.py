from datetime import datetime

import pytest

from kotacerdas.dashboard.metrics import METRICS, Metric, metric_value
from kotacerdas.dashboard.tests.conftest import JAKARTA, NOW
from kotacerdas.services.models import Service

pytestmark = pytest.mark.django_db


def test_every_metric_is_named_with_a_unit():
    required = {
        "services_online_share",
        "ikm_city",
        "reports_within_sla",
        "wifi_uptime",
        "datasets_published",
    }
    assert required <= set(METRICS)
    for key, metric in METRICS.items():
        assert isinstance(metric, Metric) and metric.key == key
        assert str(metric.label) and metric.unit in {"%", "indeks", "dataset"}


def test_unknown_key_is_a_key_error(world):
    with pytest.raises(KeyError):
        metric_value("nope", 2026)


def test_services_online_share_counts_published_services_only(world):
    assert metric_value("services_online_share", 2026) == 75.0  # 3 of 4 published
    Service.objects.filter(slug="akta").update(is_published=False)
    assert metric_value("services_online_share", 2026) == 100.0


def test_ikm_city_is_the_ikm_of_that_years_answers(world):
    # Two answers, all 4s and all 3s: NRR 3.5 per element, 3.5 x 25 = 87.5.
    assert metric_value("ikm_city", 2026) == 87.5
    assert metric_value("ikm_city", 2025) == 25.0  # one answer, all 1s
    assert metric_value("ikm_city", 2024) is None


def test_services_within_standard_share_of_finished(world):
    assert metric_value("services_within_standard", 2026) == 50.0  # A on time, B late, C open
    assert metric_value("services_within_standard", 2025) == 100.0


def test_reports_within_sla_counts_confidential_but_not_rejected(world):
    # R1 and R5 (confidential) answered in time, R2 late, R3 unanswered; R4 rejected is not counted.
    assert metric_value("reports_within_sla", 2026) == 50.0
    assert metric_value("reports_within_sla", 2025) == 100.0
    assert metric_value("reports_within_sla", 2024) is None


def test_ppid_within_deadline_share_of_decided(world):
    assert metric_value("ppid_within_deadline", 2026) == 50.0


def test_wifi_uptime_over_the_year_so_far(world):
    # One of two points down exactly one day between 1 January and now.
    length = (NOW - datetime(2026, 1, 1, tzinfo=JAKARTA)).total_seconds()
    assert metric_value("wifi_uptime", 2026) == pytest.approx(100 * (1 - 86400 / (2 * length)))
    assert metric_value("wifi_uptime", 2027) is None  # nothing of it has passed


def test_datasets_published_at_the_end_of_the_year(world):
    assert metric_value("datasets_published", 2026) == 3  # not the draft, not the private one
    assert metric_value("datasets_published", 2025) == 1


def test_datasets_on_time_by_update_frequency(world):
    # The monthly dataset last changed 100 days ago is late; the two yearly ones are not.
    assert metric_value("datasets_on_time", 2026) == pytest.approx(200 / 3)
