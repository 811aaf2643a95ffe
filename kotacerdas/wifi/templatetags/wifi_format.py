from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.9954 → "99,5 %" (Indonesian decimals): uptime shares as operators read them."""
    if share is None:
        return "—"
    # Rounded first: number_format cuts extra decimals off rather than rounding them.
    return f"{number_format(round(share * 100, 1), decimal_pos=1)} %"


@register.filter
def duration(span: timedelta | None) -> str:
    """How long a point was down, in the largest two units: "2 hari 3 jam", "45 menit"."""
    if span is None:
        return "—"
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)s hari", "%(n)s hari", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)s jam", "%(n)s jam", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)s menit", "%(n)s menit", minutes) % {"n": minutes})
    return " ".join(parts[:2]) or _("kurang dari 1 menit")
