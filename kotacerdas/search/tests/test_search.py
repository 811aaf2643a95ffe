import pytest

from kotacerdas.opendata import actions as data_actions
from kotacerdas.search import queries
from kotacerdas.search.actions import entry_drop, entry_put, reindex
from kotacerdas.search.models import SearchEntry
from kotacerdas.search.sources import Document


def put(key, title, text="", kind="news", agency_id=None):
    entry_put(Document(kind=kind, key=key, title=title, text=text, url=f"/{key}/", agency_id=agency_id))


def titles(text, **filters):
    return [hit.entry.title for hit in queries.search(text, **filters)]


@pytest.mark.django_db
def test_stemming_finds_derived_words_both_ways():
    put("n:1", "Perizinan usaha mikro kini daring")
    put("n:2", "Jadwal pelayanan KTP-el di kelurahan")
    assert titles("izin") == ["Perizinan usaha mikro kini daring"]
    assert titles("perizinan") == ["Perizinan usaha mikro kini daring"]
    assert titles("layanan kelurahan") == ["Jadwal pelayanan KTP-el di kelurahan"]
    assert titles("izin kelurahan") == []  # every word must be found


@pytest.mark.django_db
def test_title_matches_rank_before_body_matches():
    put("n:1", "Rapat koordinasi OPD", text="membahas sampah pasar")
    put("n:2", "Pengelolaan sampah terpadu")
    assert titles("sampah") == ["Pengelolaan sampah terpadu", "Rapat koordinasi OPD"]


@pytest.mark.django_db
def test_filters_by_kind_and_agency(personas):
    put("n:1", "Sekolah ramah anak", kind="news", agency_id=personas.dukcapil.pk)
    put("d:1", "Perwali sekolah ramah anak", kind="document", agency_id=personas.dpupr.pk)
    assert titles("sekolah", kind="document") == ["Perwali sekolah ramah anak"]
    assert titles("sekolah", agency_id=personas.dukcapil.pk) == ["Sekolah ramah anak"]


@pytest.mark.django_db
def test_a_word_inside_another_word_does_not_match():
    put("n:1", "Pemadaman listrik terjadwal")
    assert titles("adam") == []


@pytest.mark.django_db
def test_put_again_replaces_and_drop_removes():
    put("n:1", "Judul lama")
    put("n:1", "Judul baru")
    assert titles("judul") == ["Judul baru"]
    entry_drop("n:1")
    assert titles("judul") == []


@pytest.mark.django_db
def test_published_dataset_enters_the_index_and_leaves_when_withdrawn(personas,
                                                                      django_capture_on_commit_callbacks):
    from kotacerdas.agencies.models import Agency
    from kotacerdas.conftest import make_staff

    walidata = make_staff("W", "w@pemkot.test", Agency.objects.get(code="diskominfotik"), "verifikator")
    with django_capture_on_commit_callbacks(execute=True):
        dataset = data_actions.dataset_create(actor=personas.operator, agency=personas.dukcapil,
                                              name="kepadatan-penduduk", title="Kepadatan Penduduk")
        data_actions.resource_add(actor=personas.operator, dataset=dataset, name="Tautan",
                                  url="https://bps.go.id/x")
        data_actions.dataset_submit(actor=personas.operator, dataset=dataset)
    assert titles("penduduk") == []  # not public yet
    with django_capture_on_commit_callbacks(execute=True):
        data_actions.dataset_approve(actor=walidata, dataset=dataset)
    assert titles("kependudukan padat") == ["Kepadatan Penduduk"]
    with django_capture_on_commit_callbacks(execute=True):
        data_actions.dataset_withdraw(actor=walidata, dataset=dataset, text="Salah data")
    assert titles("penduduk") == []


@pytest.mark.django_db
def test_reindex_collects_every_module_and_the_page_shows_it(client, personas):
    from kotacerdas.agencies.actions import agencies_load_reference
    from kotacerdas.services.actions import services_load_reference

    agencies_load_reference()
    services_load_reference()
    counts = reindex()
    assert counts["service"] > 20
    assert SearchEntry.objects.filter(kind="service").count() == counts["service"]
    page = client.get("/cari/", {"q": "perizinan usaha"})
    assert page.status_code == 200
    assert page.context["count"] >= 1
    assert any("usaha" in hit.entry.title.lower() or "izin" in hit.entry.title.lower()
               for hit in page.context["page"].object_list)
    assert client.get("/cari/", {"q": "", "jenis": "xx", "opd": "abc"}).status_code == 200


@pytest.mark.django_db
def test_published_news_is_found_and_unpublished_news_is_not(personas, django_capture_on_commit_callbacks):
    from kotacerdas.information import actions as info_actions

    with django_capture_on_commit_callbacks(execute=True):
        news = info_actions.news_save(actor=personas.operator, agency=personas.dukcapil,
                                      title="Pelayanan perekaman KTP-el keliling",
                                      body="<p>Petugas mendatangi kelurahan.</p>")
    assert titles("layanan") == []  # a draft
    with django_capture_on_commit_callbacks(execute=True):
        info_actions.news_publish(actor=personas.operator, news=news)
    assert titles("layanan ktp") == ["Pelayanan perekaman KTP-el keliling"]
    with django_capture_on_commit_callbacks(execute=True):
        info_actions.news_unpublish(actor=personas.operator, news=news)
    assert titles("layanan") == []


@pytest.mark.django_db
def test_a_typo_gets_a_suggestion(client):
    put("n:1", "Perizinan usaha mikro")
    put("n:2", "Kelurahan Sentul bersih")
    assert queries.suggestion("perizinnan") == "perizinan"
    assert queries.suggestion("kelurhan sentul") == "kelurahan sentul"
    assert queries.suggestion("sentul") == ""  # found as typed: nothing to suggest
    page = client.get("/cari/", {"q": "perizinnan"})
    assert page.context["suggestion"] == "perizinan" and "Maksud Anda" in page.text
