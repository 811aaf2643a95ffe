from datetime import datetime, timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kotacerdas.agencies.models import Agency
from kotacerdas.audit.models import AuditEntry
from kotacerdas.information import actions, queries
from kotacerdas.information.errors import PublishInvalid, PublishNotAllowed
from kotacerdas.information.models import News
from kotacerdas.services.models import Service

GPS_IFD = 0x8825


def wib(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


def write(personas, title="Jalan Merdeka ditutup sementara", *, agency=None, actor=None, publish=True,
          publish_at=None, **extra):
    news = actions.news_save(actor=actor or personas.operator, agency=agency or personas.dukcapil,
                             title=title,
                             body=extra.pop("body", "<p>Isi berita.</p>"), **extra)
    if publish:
        news = actions.news_publish(actor=actor or personas.operator, news=news, publish_at=publish_at)
    return news


def phone_photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (8.0, 5.0, 41.28), 3: "E", 4: (112.0, 10.0, 1.2)})
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


# -- saving ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_body_is_sanitised_on_save(personas):
    news = write(personas, body='<p onclick="steal()">Halo <a href="javascript:alert(1)">klik</a></p>'
                                '<script>alert(1)</script><a href="https://blitarkota.go.id">situs</a>')
    news.refresh_from_db()
    assert "script" not in news.body
    assert "onclick" not in news.body
    assert "javascript:" not in news.body
    assert '<a href="https://blitarkota.go.id" rel="noopener nofollow">situs</a>' in news.body
    assert news.summary == "Halo klik situs"


@pytest.mark.django_db
def test_a_body_that_is_only_a_script_is_refused(personas):
    with pytest.raises(PublishInvalid) as refused:
        actions.news_save(actor=personas.operator, agency=personas.dukcapil, title="Judul",
                          body="<script>alert(1)</script>")
    assert "body" in refused.value.errors


@pytest.mark.django_db
def test_image_is_re_encoded_without_exif(personas):
    news = write(personas, image=SimpleUploadedFile("IMG_0001.JPG", phone_photo()))
    with news.image.open("rb") as stored:
        photo = Image.open(BytesIO(stored.read()))
    assert photo.format == "JPEG"
    assert len(photo.getexif()) == 0
    assert "exif" not in photo.info


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(personas):
    with pytest.raises(PublishInvalid) as refused:
        write(personas, image=SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script>"))
    assert "image" in refused.value.errors


@pytest.mark.django_db
def test_tags_are_slugs_without_repeats_and_slugs_are_unique(personas):
    first = write(personas, tags="Banjir, banjir , Smart City,")
    second = write(personas)
    assert first.tags == ["banjir", "smart-city"]
    assert first.slug == "jalan-merdeka-ditutup-sementara"
    assert second.slug == "jalan-merdeka-ditutup-sementara-2"


@pytest.mark.django_db
def test_every_change_is_audited(personas):
    news = write(personas)
    actions.news_unpublish(actor=personas.kepala, news=news)
    logged = set(AuditEntry.objects.filter(object_id=str(news.pk)).values_list("action", flat=True))
    assert {"news.save", "news.publish", "news.unpublish"} <= logged


# -- who may publish --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_of_other_agency_cannot_write_or_edit_its_news(personas):
    with pytest.raises(PublishNotAllowed):
        write(personas, actor=personas.outsider, agency=personas.dukcapil)
    news = write(personas)
    with pytest.raises(PublishNotAllowed):
        actions.news_save(actor=personas.outsider, news=news, agency=personas.dpupr, title="Diambil alih",
                          body="<p>x</p>")
    with pytest.raises(PublishNotAllowed):
        actions.news_unpublish(actor=personas.outsider, news=news)
    with pytest.raises(PublishNotAllowed):
        actions.news_publish(actor=personas.alice, news=news)


@pytest.mark.django_db
def test_diskominfotik_admin_publishes_for_every_agency(personas):
    news = write(personas, actor=personas.admin, agency=personas.dpupr)
    assert news.agency == personas.dpupr
    assert set(queries.publishing_agencies(personas.admin)) >= {personas.dukcapil, personas.dpupr}
    assert list(queries.publishing_agencies(personas.operator)) == [personas.dukcapil]


@pytest.mark.django_db
def test_officer_of_other_agency_gets_404_on_the_edit_page(personas, staff_client):
    news = write(personas)
    client = staff_client(personas.outsider)
    assert client.get(f"/informasi/staf/berita/{news.pk}/").status_code == 404
    response = client.post(f"/informasi/staf/berita/{news.pk}/", {"title": "x", "body": "<p>x</p>"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_staff_write_and_publish_through_the_form(personas, staff_client):
    client = staff_client(personas.operator)
    response = client.post("/informasi/staf/berita/baru/", {
        "agency": personas.dukcapil.pk, "kind": "announcement", "title": "Pelayanan Sabtu",
        "body": "<p>Buka <b>Sabtu</b></p><img src=x onerror=alert(1)>", "tags": "adminduk", "do": "publish",
    })
    assert response.status_code == 302, response.content.decode()
    news = News.objects.get(title="Pelayanan Sabtu")
    assert news.status == News.Status.PUBLISHED
    assert news.kind == News.Kind.ANNOUNCEMENT
    assert "onerror" not in news.body
    assert client.get("/informasi/berita/pelayanan-sabtu/").status_code == 200


@pytest.mark.django_db
def test_the_form_cannot_publish_for_another_agency(personas, staff_client):
    client = staff_client(personas.operator)
    response = client.post("/informasi/staf/berita/baru/", {
        "agency": personas.dpupr.pk, "kind": "news", "title": "Bukan OPD saya", "body": "<p>x</p>",
    })
    assert response.status_code == 400
    assert not News.objects.exists()


# -- what the public sees ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_drafts_are_hidden_everywhere(personas, client):
    write(personas, "Draf rahasia", publish=False)
    assert "Draf rahasia" not in client.get("/informasi/berita/").content.decode()
    assert client.get("/informasi/berita/draf-rahasia/").status_code == 404
    assert "Draf rahasia" not in client.get("/informasi/berita/feed/").content.decode()
    assert "draf-rahasia" not in client.get("/sitemap.xml").content.decode()
    assert "Draf rahasia" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_scheduled_news_appears_only_when_its_time_comes(personas, client):
    with time_machine.travel(wib(2026, 8, 10, 9), tick=False):
        write(personas, "Pengumuman HUT RI", publish_at=wib(2026, 8, 17, 7))
        assert client.get("/informasi/berita/pengumuman-hut-ri/").status_code == 404
        assert "Pengumuman HUT RI" not in client.get("/informasi/berita/").content.decode()
        assert "Pengumuman HUT RI" not in client.get("/informasi/berita/feed/").content.decode()
        assert queries.latest_news() == []
    with time_machine.travel(wib(2026, 8, 17, 7, 1), tick=False):
        assert client.get("/informasi/berita/pengumuman-hut-ri/").status_code == 200
        assert "Pengumuman HUT RI" in client.get("/informasi/berita/").content.decode()
        assert "Pengumuman HUT RI" in client.get("/informasi/berita/feed/").content.decode()


@pytest.mark.django_db
def test_list_filters_by_tag_agency_and_kind_and_pages(personas, client):
    write(personas, "Banjir di Sentul", tags=["banjir"])
    write(personas, "Jalan rusak", actor=personas.outsider, agency=personas.dpupr, tags=["jalan"])
    write(personas, "Pengumuman libur", kind="announcement")
    page = client.get("/informasi/berita/?tag=banjir").content.decode()
    assert "Banjir di Sentul" in page
    assert "Jalan rusak" not in page
    page = client.get("/informasi/berita/?opd=dpupr").content.decode()
    assert "Jalan rusak" in page
    assert "Banjir di Sentul" not in page
    page = client.get("/informasi/berita/?jenis=announcement").content.decode()
    assert "Pengumuman libur" in page
    assert "Banjir di Sentul" not in page
    for n in range(13):
        write(personas, f"Berita nomor {n}")
    assert "?page=2" in client.get("/informasi/berita/").content.decode()
    assert client.get("/informasi/berita/?page=2").status_code == 200


@pytest.mark.django_db
def test_list_is_query_budgeted(personas, client, django_assert_max_num_queries):
    for n in range(5):
        write(personas, f"Berita {n}", tags=["uji"])
    with django_assert_max_num_queries(8):
        response = client.get("/informasi/berita/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_detail_page_has_opengraph_tags_for_whatsapp(personas, client):
    news = write(personas, "Wi-Fi gratis di Sentul", summary="Titik baru di balai RW",
                 image=SimpleUploadedFile("foto.png", phone_photo()), tags=["wifi"])
    page = client.get(f"/informasi/berita/{news.slug}/").content.decode()
    assert '<meta property="og:title" content="Wi-Fi gratis di Sentul">' in page
    assert '<meta property="og:description" content="Titik baru di balai RW">' in page
    assert f'<meta property="og:url" content="http://testserver/informasi/berita/{news.slug}/">' in page
    image_url = f"http://testserver/informasi/berita/{news.slug}/gambar/"
    assert f'<meta property="og:image" content="{image_url}">' in page
    assert '<meta property="og:type" content="article">' in page
    image = client.get(f"/informasi/berita/{news.slug}/gambar/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_atom_feed_lists_published_news(personas, client):
    write(personas, "Berita untuk feed", tags=["feed-uji"])
    response = client.get("/informasi/berita/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Berita untuk feed</title>" in body
    assert 'term="feed-uji"' in body
    assert "Berita untuk feed" not in client.get("/informasi/berita/feed/?opd=dpupr").content.decode()


@pytest.mark.django_db
def test_sitemap_lists_news_documents_services_datasets_and_static_pages(personas, client):
    news = write(personas, "Berita di sitemap")
    Service.objects.create(slug="akta-kelahiran", name="Akta Kelahiran", agency=personas.dukcapil,
                           summary="Akta", category="kependudukan", requirements=[], procedure=[],
                           sla_workdays=3, product="Akta", complaint_channel="SP4N-LAPOR!")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"http://testserver/informasi/berita/{news.slug}/" in body
    assert "http://testserver/layanan/akta-kelahiran/" in body
    assert "http://testserver/informasi/dokumen/" in body
    assert "http://testserver/informasi/ppid/" in body
    assert "<loc>http://testserver/</loc>" in body


@pytest.mark.django_db
def test_opd_page_shows_profile_services_news_and_contacts(personas, client):
    personas.dukcapil.phone = "(0342) 801234"
    personas.dukcapil.email = "dukcapil@blitarkota.go.id"
    personas.dukcapil.address = "Jl. Ahmad Yani 1, Blitar"
    personas.dukcapil.save()
    Service.objects.create(slug="kartu-keluarga", name="Kartu Keluarga", agency=personas.dukcapil,
                           summary="KK baru", category="kependudukan", requirements=[], procedure=[],
                           sla_workdays=3, product="KK", complaint_channel="SP4N-LAPOR!")
    Service.objects.create(slug="lama", name="Layanan lama", agency=personas.dukcapil, is_published=False,
                           summary="x", category="kependudukan", requirements=[], procedure=[],
                           sla_workdays=3, product="x", complaint_channel="x")
    write(personas, "Berita Dukcapil")
    write(personas, "Berita DPUPR", actor=personas.outsider, agency=personas.dpupr)
    page = client.get("/informasi/opd/dispendukcapil/").content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page
    assert "Kartu Keluarga" in page
    assert "Layanan lama" not in page
    assert "Berita Dukcapil" in page
    assert "Berita DPUPR" not in page
    assert "(0342) 801234" in page
    assert "dukcapil@blitarkota.go.id" in page
    assert "Jl. Ahmad Yani 1, Blitar" in page
    assert client.get("/informasi/opd/tidak-ada/").status_code == 404


@pytest.mark.django_db
def test_home_pages_show_the_latest_news_in_one_query(personas, client, django_assert_num_queries):
    write(personas, "Berita biasa", publish_at=timezone.now() - timedelta(hours=1))
    write(personas, "Berita unggulan", featured=True, publish_at=timezone.now() - timedelta(days=2))
    with django_assert_num_queries(1):
        latest = queries.latest_news()
    assert [n.title for n in latest] == ["Berita unggulan", "Berita biasa"]
    assert "Berita unggulan" in client.get("/").content.decode()
    Agency.objects.create(code="setda", short_name="Setda", name="Sekretariat Daerah", kind="sekretariat")
    assert "Berita biasa" in client.get("/informasi/").content.decode()


@pytest.mark.django_db
def test_staff_pages_render_and_list_only_own_agency_items(personas, staff_client):
    mine = write(personas, "Berita Dukcapil", publish=False)
    write(personas, "Berita DPUPR", actor=personas.outsider, agency=personas.dpupr)
    client = staff_client(personas.operator)
    page = client.get("/informasi/staf/berita/").content.decode()
    assert "Berita Dukcapil" in page
    assert "Berita DPUPR" not in page
    assert client.get("/informasi/staf/berita/baru/").status_code == 200
    assert client.get("/informasi/staf/dokumen/baru/").status_code == 200
    assert client.get(f"/informasi/staf/berita/{mine.pk}/").status_code == 200


@pytest.mark.django_db
def test_residents_cannot_open_the_staff_pages(personas, client):
    client.force_login(personas.alice)
    assert client.get("/informasi/staf/berita/baru/").status_code == 302
    assert not News.objects.exists()
