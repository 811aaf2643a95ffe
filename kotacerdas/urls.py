from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from kotacerdas.api import api
from kotacerdas.portal.views import bench_bare

# Staff must use a second factor, in the admin as everywhere else.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = _("Admin kotacerdas")
admin.site.site_title = _("Admin kotacerdas")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kotacerdas.portal.urls")),
    path("akun/", include("kotacerdas.accounts.urls")),
    path("", include("kotacerdas.cases.urls")),
    path("layanan/", include("kotacerdas.services.urls")),
    path("pengaduan/", include("kotacerdas.reports.urls")),
    path("informasi/", include("kotacerdas.information.urls")),
    path("cari/", include("kotacerdas.search.urls")),
    path("agenda/", include("kotacerdas.events.urls")),
    path("wifi/", include("kotacerdas.wifi.urls")),
    path("", include("kotacerdas.dashboard.urls")),
    path("masterplan/", include("kotacerdas.masterplan.urls")),
    path("open311/v2/", include("kotacerdas.reports.open311.urls")),
    path("", include("kotacerdas.opendata.dcat.urls")),
    path("", include("kotacerdas.opendata.urls")),
    path("api/v1/", api.urls),
    path("api/wifi/radius/", include("kotacerdas.wifi.radius.urls")),
    path("api/wifi/", include("kotacerdas.wifi.netjson.urls")),
    path("api/", include("kotacerdas.opendata.ckan.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", include("kotacerdas.information.sitemap_urls")),
    # One login page for staff, with its TOTP step; the admin sends people there.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True)),
    path("admin/", admin.site.urls),
]
# benchmarks/tracking.py compares the API with this view (no database) on the same server.
if settings.BENCHMARK:
    urlpatterns.append(path("bench/bare", bench_bare))

handler404 = "kotacerdas.portal.views.not_found"
handler500 = "kotacerdas.portal.views.server_error"
