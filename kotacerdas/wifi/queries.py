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
