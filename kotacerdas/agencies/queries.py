from kotacerdas.agencies.models import Agency


def active_agencies():
    return Agency.objects.filter(is_active=True).order_by("name")
