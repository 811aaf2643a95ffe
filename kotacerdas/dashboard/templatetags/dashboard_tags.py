from django import template

from kotacerdas.dashboard.queries import may_view_dashboard

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.875 -> "87,5%"; "–" when there is no figure."""
    if share is None:
        return "–"
    return f"{100 * share:.1f}%".replace(".", ",")


@register.filter
def gib(n: int | None) -> str:
    return f"{(n or 0) / 2**30:.1f}".replace(".", ",")


@register.filter
def can_view_dashboard(user) -> bool:
    """For the menu on every page, without a query of its own: superusers, heads and admins
    by their role; staff of the DASHBOARD_AGENCIES only when the page has already read their
    agency (the dashboard itself decides with may_view_dashboard, whatever the menu shows)."""
    from kotacerdas.accounts.models import Membership

    membership = getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
    if user.is_authenticated and user.is_superuser:
        return True
    if membership is None:
        return False
    if membership.role in (Membership.Role.KEPALA, Membership.Role.ADMIN):
        return True
    return Membership.agency.is_cached(membership) and may_view_dashboard(user)
