from django.urls import path

from kotacerdas.wifi import network_views, views

app_name = "wifi"

urlpatterns = [
    path("", views.nearby, name="map"),
    path("titik.geojson", views.points, name="points"),
    path("kelola/", views.manage, name="manage"),
    path("kelola/ekspor.csv", views.export, name="export"),
    path("kelola/impor/", views.import_csv, name="import"),
    path("kelola/tambah/", views.add, name="add"),
    path("kelola/jaringan/", network_views.network, name="network"),
    path("kelola/<slug:code>/", views.staff_hotspot, name="staff_hotspot"),
    path("kelola/<slug:code>/ubah/", views.edit, name="edit"),
    path("kelola/<slug:code>/kunci-perangkat/", views.device_key, name="device_key"),
    path("<slug:code>/", views.hotspot_page, name="hotspot"),
    path("<slug:code>/lapor/", views.report, name="report"),
]
