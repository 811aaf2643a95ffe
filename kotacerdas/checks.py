"""Start-up checks: a production server refuses to start half-configured, and says why."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


def _secret_key() -> str:
    # Django raises instead of returning an empty SECRET_KEY; an unset key is exactly what
    # this check must report with a hint, not a traceback.
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:
        return ""


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    problems = []
    if len(_secret_key()) < 50:
        problems.append(Error(
            "SECRET_KEY is missing or shorter than 50 characters.",
            hint="Set SECRET_KEY to a long random value, e.g. `python -c \"import secrets; "
                 "print(secrets.token_urlsafe(50))\"`.",
            id="kotacerdas.E001",
        ))
    if not settings.ALLOWED_HOSTS:
        problems.append(Error(
            "ALLOWED_HOSTS is empty.",
            hint="Set ALLOWED_HOSTS to the public host names, comma separated.",
            id="kotacerdas.E002",
        ))
    if not settings.SITE_URL.startswith("https://"):
        problems.append(Error(
            "SITE_URL must be the public https:// address in production.",
            hint="Set SITE_URL, e.g. https://kotacerdas.blitarkota.go.id",
            id="kotacerdas.E003",
        ))
    if settings.DEBUG:
        problems.append(Error("DEBUG is on in production.", hint="Unset DEBUG.", id="kotacerdas.E004"))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(Warning(
            "Production is running on SQLite.",
            hint="Fine for one machine; set DATABASE_URL to PostgreSQL to run several.",
            id="kotacerdas.W001",
        ))
    for channel in ("SMS", "WHATSAPP"):
        if not getattr(settings, f"{channel}_GATEWAY_URL"):
            problems.append(Warning(
                f"{channel}_GATEWAY_URL is not set: {channel.lower()} messages will fail and retry.",
                hint=f"Set {channel}_GATEWAY_URL and {channel}_GATEWAY_TOKEN.",
                id=f"kotacerdas.W00{2 if channel == 'SMS' else 3}",
            ))
    return problems
