"""A resident asks on the web to hear about new reports around a point, and does."""

from kotacerdas.notifications.models import Message
from kotacerdas.reports.models import Subscription
from kotacerdas.reports.tests.conftest import ELSEWHERE, NEAR, OUTSIDE, resident_browser


def test_area_subscription_made_on_the_web_alerts_about_new_reports_nearby_only(personas, submit):
    bob = resident_browser(personas.bob)

    response = bob.post("/pengaduan/langganan/", {"kind": "area", "lat": str(NEAR[0]).replace(".", ","),
                                                 "lon": str(NEAR[1]), "radius": "500"})

    assert response.status_code == 302
    area = Subscription.objects.get(user=personas.bob, kind=Subscription.Kind.AREA)
    assert area.radius_m == 500
    submit()  # about 200 m from Bob's point
    submit(at=ELSEWHERE)  # about 1 km away
    alerts = Message.objects.filter(user=personas.bob, template="report_nearby")
    assert alerts.count() == 1


def test_area_subscription_outside_the_city_is_refused_with_a_message(personas):
    bob = resident_browser(personas.bob)

    response = bob.post("/pengaduan/langganan/", {"kind": "area", "lat": OUTSIDE[0], "lon": OUTSIDE[1]},
                        follow=True)

    assert not Subscription.objects.filter(user=personas.bob).exists()
    assert "di luar wilayah Kota Blitar" in response.content.decode()
