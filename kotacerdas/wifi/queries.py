from django.conf import settings

from kotacerdas.accounts.models import User


def is_network_operator(user) -> bool:
    """Who runs the Wi-Fi network: any staff member of WIFI_OPERATOR_AGENCY (Diskominfotik)
    and the platform's superusers."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    membership = getattr(user, "staff_membership", None)
    return bool(membership and membership.agency.code == settings.WIFI_OPERATOR_AGENCY)


def network_operators():
    """Who gets the network's alerts: the operator agency's active staff."""
    return User.objects.filter(
        staff_membership__agency__code=settings.WIFI_OPERATOR_AGENCY, is_active=True
    ).order_by("name")


def search_documents(hotspots=None):
    """Points the public may find with the site-wide search (kotacerdas.search): every one
    not retired, by name, place and kelurahan, with nothing internal."""
    from kotacerdas.search.sources import Document
    from kotacerdas.wifi.models import Hotspot

    if hotspots is None:
        hotspots = Hotspot.objects.exclude(status=Hotspot.Status.RETIRED)
    for hotspot in hotspots.select_related("kelurahan"):
        place = " ".join(filter(None, [f"Kelurahan {hotspot.kelurahan.name}",
                                        f"RW {hotspot.rw}" if hotspot.rw else "",
                                        f"RT {hotspot.rt}" if hotspot.rt else ""]))
        summary = f"{hotspot.address} · {place}" if hotspot.address else place
        yield Document(
            kind="hotspot", key=f"hotspot:{hotspot.pk}", title=hotspot.name,
            text=f"Wi-Fi wifi hotspot internet gratis {summary}", summary=summary,
            url=f"/wifi/{hotspot.code}/", published_at=hotspot.created_at,
        )
