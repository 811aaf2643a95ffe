from django.urls import path
from django.views.generic import TemplateView

from kotacerdas.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("tentang/", TemplateView.as_view(template_name="portal/about.html"), name="about"),
    path("offline/", TemplateView.as_view(template_name="portal/offline.html"), name="offline"),
    path("sw.js", views.service_worker, name="service_worker"),
]
