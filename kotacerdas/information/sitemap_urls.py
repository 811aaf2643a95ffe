"""Mounted at /sitemap.xml by the project's urls.py."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from kotacerdas.information.sitemaps import SITEMAPS

urlpatterns = [
    path("", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
