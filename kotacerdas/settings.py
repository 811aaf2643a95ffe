"""kotacerdas settings: one file, read from the environment only.

Every variable is listed in `.env.example`. Local runs need none of them: the database,
the task queue and a generated secret key live under KOTACERDAS_DATA_DIR.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("KOTACERDAS_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# "production" turns on the strict checks in kotacerdas/checks.py: a missing secret key,
# host list or HTTPS site URL stops the server at start instead of running half-configured.
ENVIRONMENT = env("KOTACERDAS_ENV", "local")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG")
# Adds /bench/bare, a view without database access, for benchmarks/tracking.py. Never in production.
BENCHMARK = env_bool("KOTACERDAS_BENCHMARK")
TESTING = "pytest" in sys.modules


def _local_secret_key() -> str:
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or ("" if PRODUCTION else _local_secret_key())
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
# The city this platform is configured for; data/ holds its reference data.
KOTACERDAS_CITY_NAME = "Kota Blitar"
# Satu Data: the Walidata's agency (its verifiers, head and admins review every dataset) and
# the largest file a producer may upload.
OPENDATA_WALIDATA_AGENCY = "diskominfotik"
OPENDATA_MAX_UPLOAD_MB = 200
# Free Wi-Fi: the agency whose staff run the network and get its alerts; a hotspot is critical
# (down) only after WIFI_CRITICAL_FAILURES failed probes spanning WIFI_CRITICAL_MINUTES; each
# probe gives up after WIFI_PROBE_TIMEOUT seconds; raw RADIUS sessions are deleted after
# WIFI_SESSION_RETENTION_DAYS (daily usage rollups stay).
WIFI_OPERATOR_AGENCY = "diskominfotik"
WIFI_CRITICAL_FAILURES = int(env("WIFI_CRITICAL_FAILURES", "3"))
WIFI_CRITICAL_MINUTES = int(env("WIFI_CRITICAL_MINUTES", "3"))
WIFI_PROBE_TIMEOUT = float(env("WIFI_PROBE_TIMEOUT", "3"))
# Routers that only push NetJSON (probe kind "push") count as failing once their last report
# is older than this: OpenWrt's monitoring agent reports every 5 minutes by default.
WIFI_PUSH_STALE_MINUTES = int(env("WIFI_PUSH_STALE_MINUTES", "10"))
WIFI_SESSION_RETENTION_DAYS = int(env("WIFI_SESSION_RETENTION_DAYS", "90"))
# On PostgreSQL, RADIUS accounting commits without waiting for the disk (see
# wifi/radius/actions.py _write): a database crash may lose the last second of packets,
# which the next Interim-Update repairs. Off: every packet waits for its commit to be flushed.
WIFI_ACCOUNTING_ASYNC_COMMIT = env_bool("WIFI_ACCOUNTING_ASYNC_COMMIT", True)
# Masterplan: the agency that leads the smart-city technical team (tim teknis), verifies the
# OPDs' realisations and keeps the evaluation and the SPBE self-assessment.
MASTERPLAN_AGENCY = "bappeda"
# Executive dashboard: besides superusers and every agency's heads and admins, all staff of
# these agencies (comma-separated codes) see it: the mayor's office, Bappeda, Diskominfotik.
_dashboard_agencies = env("DASHBOARD_AGENCIES", "bappeda,setda,diskominfotik")
DASHBOARD_AGENCIES = [code.strip() for code in _dashboard_agencies.split(",") if code.strip()]
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "kotacerdas.portal",
    "kotacerdas.accounts",
    "kotacerdas.regions",
    "kotacerdas.agencies",
    "kotacerdas.audit",
    "kotacerdas.cases",
    "kotacerdas.notifications",
    "kotacerdas.services",
    "kotacerdas.reports",
    "kotacerdas.opendata",
    "kotacerdas.information",
    "kotacerdas.search",
    "kotacerdas.events",
    "kotacerdas.wifi",
    "kotacerdas.dashboard",
    "kotacerdas.masterplan",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kotacerdas.portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kotacerdas.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kotacerdas.portal.context.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kotacerdas.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # Server-side binding lets PostgreSQL keep the plans of the hot queries (the tracking
    # page's join is planned once per connection, not per request). Turn it off behind
    # PgBouncer older than 1.21 in transaction mode, which cannot keep prepared statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {"huey_class": "huey.RedisHuey", "name": "kotacerdas", "url": REDIS_URL, "immediate": False}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "kotacerdas",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": False,
    }
# Under pytest, tasks run at once in memory: a test sees the e-mail its action caused.
HUEY["immediate"] = env_bool("KOTACERDAS_TASKS_IMMEDIATE", TESTING)
HUEY["consumer"] = {"workers": int(env("WORKER_THREADS", "2")), "worker_type": "thread"}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kotacerdas.accounts.backends.EmailOrPhoneBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
OTP_TOTP_ISSUER = "kotacerdas"
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_MINUTES = int(env("LOGIN_FAILURE_WINDOW_MINUTES", "15"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if TESTING:  # tests run without collectstatic
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION

# Outgoing messages. Local runs write e-mail to files under the data dir.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kotacerdas <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS / WhatsApp through an HTTP gateway, the way Indonesian providers work: a URL, a
# token, and a JSON payload template with {to}, {message} and {reference} placeholders.
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SMS_GATEWAY_PAYLOAD = env(
    "SMS_GATEWAY_PAYLOAD", '{"to": "{to}", "message": "{message}", "ref_id": "{reference}"}'
)
WHATSAPP_GATEWAY_URL = env("WHATSAPP_GATEWAY_URL")
WHATSAPP_GATEWAY_TOKEN = env("WHATSAPP_GATEWAY_TOKEN")
WHATSAPP_GATEWAY_PAYLOAD = env(
    "WHATSAPP_GATEWAY_PAYLOAD", '{"phone": "{to}", "message": "{message}", "ref_id": "{reference}"}'
)
NOTIFICATION_MAX_ATTEMPTS = int(env("NOTIFICATION_MAX_ATTEMPTS", "8"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and not env_bool("SECURE_SSL_REDIRECT_OFF")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # run_huey adds a second handler of its own unless "huey" already has one.
        "huey": {"handlers": ["console"], "propagate": False},
    },
}
