"""The portal shell: languages, error pages, health check, web app manifest, and privacy."""

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.utils import ConnectionHandler
from django.test import Client
from django.utils import translation

from kotacerdas.cases import actions
from kotacerdas.cases.models import Kind, Status
from kotacerdas.lib.trackcode import new_code

HOME_ID = "Urus keperluan dengan Pemkot Blitar dari rumah"


@contextmanager
def unreachable_database(folder: Path):
    """The default database really unreachable: a SQLite file in a folder that does not exist.

    A connection of its own, swapped in for the default alias and put back afterwards, so the
    test database (and its open transaction) is left alone.
    """
    broken = ConnectionHandler({
        DEFAULT_DB_ALIAS: {"ENGINE": "django.db.backends.sqlite3",
                           "NAME": str(folder / "no-such-folder" / "kotacerdas.sqlite3")},
    })[DEFAULT_DB_ALIAS]
    with pytest.raises(OperationalError):
        broken.ensure_connection()
    working = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = working


@pytest.fixture
def database_down(db, tmp_path):
    with unreachable_database(tmp_path):
        yield


# --- language ---------------------------------------------------------------------------


def test_home_page_is_in_indonesian_by_default(client, db):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert HOME_ID in html


def switch_to_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"


def test_language_switch_to_english_marks_the_page_english(client, db):
    switch_to_english(client)

    response = client.get("/")

    assert '<html lang="en">' in response.content.decode()


def test_language_switch_to_english_translates_the_home_page(client, db):
    with translation.override("en"):
        english = translation.gettext(HOME_ID)
    if english == HOME_ID:
        pytest.skip("English catalogue (kotacerdas/locale/en) is not compiled yet")
    switch_to_english(client)

    html = client.get("/").content.decode()

    assert english in html
    assert HOME_ID not in html


def test_switching_back_to_indonesian_works(client, db):
    switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})

    assert '<html lang="id">' in client.get("/").content.decode()


# --- error pages ------------------------------------------------------------------------


def test_unknown_address_gets_the_indonesian_404_page(client, db):
    response = client.get("/tidak-ada-halaman-ini/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Halaman tidak ditemukan" in html
    assert 'href="/"' in html


def test_server_error_page_is_indonesian_even_with_the_database_down(database_down):
    client = Client(raise_request_exception=False)

    # Tracking a case reads the database, which fails; the error page must not need it.
    response = client.get("/lacak/", {"code": new_code()})

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Maaf, terjadi gangguan" in html


# --- health -----------------------------------------------------------------------------


def test_healthz_answers_ok_with_the_database_up(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_healthz_recovers_when_the_database_is_back(client, db, tmp_path):
    with unreachable_database(tmp_path):
        assert client.get("/healthz").status_code == 503

    assert client.get("/healthz").status_code == 200


# --- installable web app ----------------------------------------------------------------


def test_manifest_is_json_with_icons_that_exist_as_static_files(client, db):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/"
    assert manifest["lang"] == "id"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith(settings.STATIC_URL)
        path = icon["src"].removeprefix(settings.STATIC_URL)
        assert finders.find(path), f"{icon['src']} is not a static file"


def test_pages_link_the_manifest(client, db):
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/").content.decode()


# --- privacy ----------------------------------------------------------------------------


def test_public_pages_never_show_personal_data(client, personas):
    alice = personas.alice
    case = actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="Penerbitan KTP-el",
                             sla_workdays=5, citizen=alice)
    actions.case_transition(case=case, to_status=Status.IN_PROGRESS, actor=personas.operator,
                            note="Berkas lengkap.")
    secrets_of_people = [
        alice.citizen.nik, alice.email, alice.phone, "081200000001", alice.name, "Wulandari",
        personas.operator.name, personas.operator.email,
    ]

    pages = ["/", "/tentang/", "/offline/", f"/lacak/?code={case.tracking_code}", "/tidak-ada/",
             "/api/v1/regions", "/api/v1/agencies", "/api/v1/openapi.json", "/manifest.webmanifest"]
    tracking = client.get(f"/lacak/?code={case.tracking_code}").content.decode()
    assert "Penerbitan KTP-el" in tracking  # the case is really shown
    for page in pages:
        content = client.get(page).content.decode()
        for secret in secrets_of_people:
            assert secret not in content, f"{page} shows {secret!r}"


def test_indonesian_is_the_default_even_for_an_english_browser(client, db):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_the_language_switch_wins_over_the_default(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", headers={"Accept-Language": "id"})
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_home_news_list_is_cached_and_a_new_publication_shows_at_once(personas, client,
                                                                      django_assert_num_queries):
    from django.core.cache import cache

    from kotacerdas.information import actions as info_actions

    cache.clear()

    def publish(title):
        news = info_actions.news_save(actor=personas.operator, agency=personas.dukcapil, title=title,
                                      body="<p>Isi.</p>")
        info_actions.news_publish(actor=personas.operator, news=news)

    publish("Berita pertama")
    assert "Berita pertama" in client.get("/").text
    with django_assert_num_queries(1):  # the newest publication time; the list comes from the cache
        assert "Berita pertama" in client.get("/").text
    publish("Berita kedua")
    assert "Berita kedua" in client.get("/").text
    cache.clear()


def test_home_page_is_rendered_once_for_visitors_and_each_gets_a_working_csrf_token(personas, db,
                                                                                    django_assert_num_queries):
    import re

    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    with django_assert_num_queries(1):  # the news version; the page itself comes from the cache
        page = second.get("/")
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert tokens and tokens[0] != re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                                              first.get("/").text)[0]
    # The token works with the cookie that came with it: the language form is accepted.
    form = {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[0]}
    response = second.post("/i18n/setlang/", form)
    assert response.status_code == 302
    assert '<html lang="en">' in second.get("/").text
    assert '<html lang="id">' in first.get("/").text
    # A signed-in resident gets the page with their own menu, and visitors never see it.
    resident = Client()
    resident.force_login(personas.alice)
    assert "Keluar" in resident.get("/").text
    assert "Keluar" not in Client().get("/").text
    cache.clear()
