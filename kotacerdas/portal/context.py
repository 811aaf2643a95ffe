from django.conf import settings


def portal(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_url": settings.SITE_URL,
        "is_officer": bool(user and user.is_authenticated and user.is_officer),
        "city_name": settings.KOTACERDAS_CITY_NAME,
    }
