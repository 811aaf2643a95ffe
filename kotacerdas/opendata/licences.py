"""The licences a dataset may carry, with CKAN's ids so other portals recognise them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    url: str
    is_open: bool


LICENCES = [
    Licence("cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by", True),
    Licence("cc-by-sa", "Creative Commons Attribution Share-Alike",
            "http://www.opendefinition.org/licenses/cc-by-sa", True),
    Licence("cc-zero", "Creative Commons CCZero", "http://www.opendefinition.org/licenses/cc-zero", True),
    Licence("odc-by", "Open Data Commons Attribution License",
            "http://www.opendefinition.org/licenses/odc-by", True),
    Licence("odc-odbl", "Open Data Commons Open Database License (ODbL)",
            "http://www.opendefinition.org/licenses/odc-odbl", True),
    Licence("other-open", "Other (Open)", "", True),
    Licence("notspecified", "License not specified", "", False),
]
BY_ID = {licence.id: licence for licence in LICENCES}
UNKNOWN = Licence("", str(_("Lisensi tidak diketahui")), "", False)


def licence(licence_id: str) -> Licence:
    return BY_ID.get(licence_id, UNKNOWN)


def choices() -> list[tuple[str, str]]:
    return [(item.id, item.title) for item in LICENCES]
