from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kotacerdas.api import api

admin.site.site_header = _("Admin kotacerdas")
admin.site.site_title = _("Admin kotacerdas")

urlpatterns = [
    path("", include("kotacerdas.portal.urls")),
    path("akun/", include("kotacerdas.accounts.urls")),
    path("", include("kotacerdas.cases.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "kotacerdas.portal.views.not_found"
handler500 = "kotacerdas.portal.views.server_error"
