from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sla_badge(case):
    """Overdue, nearly due and paused are shown in words as well as colour (WCAG 1.4.1)."""
    if getattr(case, "overdue", False):
        return format_html('<span class="badge overdue">{}</span>', _("Lewat tenggat"))
    if getattr(case, "nearly_due", False):
        return format_html('<span class="badge nearly-due">{}</span>', _("Hampir tenggat"))
    if case.is_paused:
        return format_html('<span class="badge paused">{}</span>', _("Jeda: menunggu warga"))
    return ""


@register.filter
def event_label(event):
    if event.type == "status":
        return event.get_to_status_display()
    if event.type == "handover":
        return _("Diteruskan dari %(from)s ke %(to)s") % {
            "from": event.data.get("from", ""), "to": event.data.get("to", "")
        }
    return event.get_type_display()


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string with another page number, so paging keeps the filters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return query.urlencode()
