from django.urls import path

from kotacerdas.opendata.dcat import views

app_name = "dcat"

urlpatterns = [
    path("catalog.jsonld", views.catalog, name="catalog"),
    path("dataset/<str:name_or_id>.jsonld", views.dataset, name="dataset"),
    path("ns/satudata", views.vocabulary, name="vocabulary"),
]
