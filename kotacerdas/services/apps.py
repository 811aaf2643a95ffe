from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "kotacerdas.services"
    verbose_name = _("Layanan publik")
