"""CKAN's Action API routes (ckan/views/api.py), mounted at /api/. No trailing slashes:
ckanapi POSTs without following redirects, so a slash redirect would break every call."""

from django.urls import path

from kotacerdas.opendata.ckan import views

app_name = "opendata-ckan"
urlpatterns = [
    path("", views.api_version, {"version": 1}, name="version-default"),
    path("3", views.api_version, name="version"),
    path("action/<str:name>", views.action, name="action"),
    path("3/action/<str:name>", views.action, name="action-v3"),
]
