"""The modules the home page offers. A module appears only once its app is installed."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    app_label: str
    title: Promise
    summary: Promise
    url_name: str


MODULES = [
    Module("services", _("Layanan publik"), _("Ajukan layanan OPD dari rumah"), "services:catalog"),
    Module("reports", _("Pengaduan"), _("Laporkan masalah kota di peta"), "reports:map"),
    Module("information", _("Informasi publik"), _("Berita, agenda, dokumen, PPID"), "information:home"),
    Module("opendata", _("Satu Data"), _("Data terbuka Kota Blitar"), "opendata:home"),
    Module("wifi", _("Wi-Fi gratis"), _("Titik internet gratis terdekat"), "wifi:map"),
    Module("masterplan", _("Masterplan kota cerdas"), _("Program dan capaian"), "masterplan:home"),
]


def available_modules() -> list[Module]:
    return [m for m in MODULES if apps.is_installed(f"kotacerdas.{m.app_label}")]
