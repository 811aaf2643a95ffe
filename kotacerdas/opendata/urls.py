from django.urls import path

from kotacerdas.opendata import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.home, name="home"),
    path("data/kelola/", views.manage, name="manage"),
    path("data/kelola/baru/", views.dataset_new, name="new"),
    path("data/kelola/<slug:name>/", views.dataset_edit, name="edit"),
    path("data/kelola/<slug:name>/langkah/", views.dataset_move, name="move"),
    path("data/kelola/<slug:name>/sumber/", views.resource_new, name="resource_new"),
    path("data/kelola/<slug:name>/sumber/<uuid:resource_id>/", views.resource_manage, name="resource_manage"),
    path("data/walidata/", views.review_list, name="review_list"),
    path("data/walidata/<slug:name>/", views.review, name="review"),
    path("organization/<slug:code>/", views.organization, name="organization"),
    path("group/<slug:name>/", views.group, name="group"),
    path("dataset/<slug:name>/", views.dataset_page, name="dataset"),
    path("dataset/<slug:name>/resource/<uuid:resource_id>/", views.resource_page, name="resource"),
    path("dataset/<slug:name>/resource/<uuid:resource_id>/map.geojson", views.map_data, name="map_data"),
    path("dataset/<slug:name>/resource/<uuid:resource_id>/export.<str:fmt>", views.export, name="export"),
    # The address other portals keep (CKAN's url_type "upload"): by ids, so it never changes.
    path("dataset/<uuid:dataset_id>/resource/<uuid:resource_id>/download/<str:filename>", views.download,
         name="download"),
]
