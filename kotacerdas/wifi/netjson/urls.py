"""NetJSON routes, to be mounted at api/wifi/ by the project's urls."""

from django.urls import path

from kotacerdas.wifi.netjson import views

app_name = "wifi_netjson"
urlpatterns = [
    path("perangkat/<slug:code>/", views.device_monitoring, name="device-monitoring"),
]
