from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WifiConfig(AppConfig):
    name = "kotacerdas.wifi"
    verbose_name = _("Wi-Fi gratis")
