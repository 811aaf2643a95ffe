from django.urls import path

from kotacerdas.wifi.radius import views

app_name = "wifi_radius"
urlpatterns = [
    path("accounting/", views.accounting, name="accounting"),
]
