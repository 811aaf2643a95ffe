from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from kotacerdas.portal.modules import available_modules


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    version, news = _latest_news()
    context = {"modules": available_modules(), "news": news}
    if request.user.is_authenticated or request.GET or len(get_messages(request)):
        return render(request, "portal/home.html", context)
    # A visitor who is not logged in, with nothing to be told, sees the same page as every
    # other in the same language, but for the CSRF token of the language form: the page is
    # rendered once per language and news version with a mark where the token goes, and each
    # request puts its own token there (get_token also sets the cookie it goes with).
    key, mark = f"portal:home-page:{get_language()}:{version}", _token_mark(settings.SECRET_KEY)
    page = cache.get(key)
    if page is None:
        page = render_to_string("portal/home.html", {**context, "csrf_token": mark}, request=request)
        cache.set(key, page, HOME_NEWS_SECONDS)
    return HttpResponse(page.replace(mark, get_token(request)))


# The home page's news list (and, for visitors not logged in, the whole page) is cached for
# all visitors, keyed on the publication time of the newest public item: publishing (or a
# scheduled item coming due) changes the key at once, in every worker, without the actions
# having to know about this page. What does not move that time (an edit, unpublishing an
# older item) shows within HOME_NEWS_SECONDS.
HOME_NEWS_SECONDS = 60


@lru_cache(maxsize=2)
def _token_mark(secret: str) -> str:
    # The same in every process (pages are shared through the cache) and nothing an author
    # could write into a news title.
    return salted_hmac("kotacerdas.portal.home", "csrf-token-mark", secret=secret).hexdigest()[:32]


def _latest_news() -> tuple[str, list]:
    """The newest news across OPDs, and none when the module is not installed; with the
    version of the list they were read as."""
    if not apps.is_installed("kotacerdas.information"):
        return "none", []
    from kotacerdas.information.queries import latest_news, public_news

    # The first entry of the news_public index (status, publish_at) read backwards, not a sort
    # of every public item (nor an aggregate, which SQLite answers by reading the whole range).
    newest = public_news().order_by("-publish_at").values_list("publish_at", flat=True).first()
    version = str(newest.timestamp() if newest else 0)
    key = f"portal:home-news:{version}"
    news = cache.get(key)
    if news is None:
        news = latest_news(4)
        cache.set(key, news, HOME_NEWS_SECONDS)
    return version, news


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "time": timezone.now().isoformat()})


@require_GET
def bench_bare(request: HttpRequest) -> JsonResponse:
    """No database: the baseline of benchmarks/tracking.py (only routed when KOTACERDAS_BENCHMARK=1)."""
    return JsonResponse({"status": "ok"})


@require_GET
@vary_on_cookie
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "kotacerdas · Kota Blitar",
        "short_name": "Blitar Cerdas",
        "description": _("Layanan publik, pengaduan, informasi dan Wi-Fi gratis Kota Blitar"),
        "lang": get_language(),
        "start_url": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5c4a",
        "icons": [
            {"src": static("portal/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("portal/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
@cache_control(max_age=3600, public=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so its scope is the whole site."""
    script = (Path(__file__).parent / "static" / "portal" / "sw.js").read_text()
    return HttpResponse(script, content_type="application/javascript")


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: its context processors may need the failing database.
    return HttpResponse(get_template("500.html").render({}), status=500)
