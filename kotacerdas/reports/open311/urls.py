from django.urls import path, register_converter

from kotacerdas.reports.open311 import views


class FormatConverter:
    """Every GeoReport v2 resource ends in .xml or .json."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"

urlpatterns = [
    path("discovery.<open311_format:fmt>", views.discovery, name="discovery"),
    path("services.<open311_format:fmt>", views.service_list, name="services"),
    path("services/<str:code>.<open311_format:fmt>", views.service_definition, name="service"),
    path("requests.<open311_format:fmt>", views.service_requests, name="requests"),
    path("requests/<str:code>.<open311_format:fmt>", views.service_request, name="request"),
    path("tokens/<str:token>.<open311_format:fmt>", views.token, name="token"),
    path("servicerequestupdates.<open311_format:fmt>", views.request_updates, name="updates"),
]
