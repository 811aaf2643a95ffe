from django.urls import path

from kotacerdas.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dasbor/", views.executive, name="executive"),
    path("dasbor/perkara/", views.cases, name="cases"),
    path("dasbor/peta.geojson", views.map_points, name="map_points"),
    path("transparansi/", views.transparency, name="transparency"),
]
