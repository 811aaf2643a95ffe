import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.audit.models import AuditEntry
from kotacerdas.notifications.models import Message
from kotacerdas.opendata import actions
from kotacerdas.opendata.errors import NotAllowed, OpendataInvalid
from kotacerdas.opendata.models import Dataset, Resource, ReviewNote
from kotacerdas.opendata.queries import ANONYMOUS, Viewer, visible_datasets

CSV = b"kelurahan;tahun;jumlah\nSukorejo;2024;1.234\nKepanjenkidul;2024;2.345\n"


def csv_upload(name="penduduk.csv", content=CSV):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def make_dataset(personas, **extra):
    fields = {"name": "jumlah-penduduk", "title": "Jumlah Penduduk per Kelurahan", "tags": ["penduduk"]}
    return actions.dataset_create(actor=personas.operator, agency=personas.dukcapil, **(fields | extra))


@pytest.mark.django_db
def test_producer_drafts_walidata_returns_then_publishes(personas, walidata,
                                                         django_capture_on_commit_callbacks):
    dataset = make_dataset(personas)
    assert dataset.status == Dataset.Status.DRAFT
    with pytest.raises(OpendataInvalid):
        actions.dataset_submit(actor=personas.operator, dataset=dataset)  # no resource yet
    with django_capture_on_commit_callbacks(execute=True):
        actions.resource_add(actor=personas.operator, dataset=dataset, name="Data 2024", upload=csv_upload())
    actions.dataset_submit(actor=personas.operator, dataset=dataset, text="Mohon diperiksa")
    assert Message.objects.filter(user=walidata, template="dataset_submitted").exists()
    assert not visible_datasets(ANONYMOUS).filter(pk=dataset.pk).exists()
    assert visible_datasets(Viewer(user=walidata)).filter(pk=dataset.pk).exists()

    with pytest.raises(OpendataInvalid) as refused:
        actions.dataset_return(actor=walidata, dataset=dataset, text="  ")
    assert "text" in refused.value.errors
    actions.dataset_return(actor=walidata, dataset=dataset, text="Lengkapi satuan")
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.RETURNED
    assert Message.objects.filter(user=personas.operator, template="dataset_returned").exists()

    actions.dataset_update(actor=personas.operator, dataset=dataset, unit="jiwa")
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    actions.dataset_approve(actor=walidata, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED and dataset.published_at
    assert visible_datasets(ANONYMOUS).filter(pk=dataset.pk).exists()
    kinds = list(dataset.review_notes.values_list("kind", flat=True))
    assert kinds == ["submit", "return", "submit", "approve"]
    logged = set(AuditEntry.objects.filter(object_id=str(dataset.pk)).values_list("action", flat=True))
    steps = {"dataset.create", "dataset.submit", "dataset.return", "dataset.update", "dataset.approve"}
    assert steps <= logged


@pytest.mark.django_db
def test_only_walidata_approves_and_only_owner_edits(personas, walidata):
    dataset = make_dataset(personas)
    actions.resource_add(actor=personas.operator, dataset=dataset, name="Tautan", url="https://bps.go.id/x")
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    with pytest.raises(NotAllowed):
        actions.dataset_approve(actor=personas.kepala, dataset=dataset)
    with pytest.raises(NotAllowed):
        actions.dataset_update(actor=personas.outsider, dataset=dataset, title="Diubah orang lain")
    with pytest.raises(NotAllowed):
        actions.dataset_create(actor=personas.alice, agency=personas.dukcapil, name="x-y", title="X")


@pytest.mark.django_db
def test_approving_twice_is_refused(personas, walidata):
    dataset = make_dataset(personas)
    actions.resource_add(actor=personas.operator, dataset=dataset, name="Tautan", url="https://bps.go.id/x")
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    stale = Dataset.objects.get(pk=dataset.pk)
    actions.dataset_approve(actor=walidata, dataset=dataset)
    with pytest.raises(OpendataInvalid):
        actions.dataset_return(actor=walidata, dataset=stale, text="terlambat")
    assert ReviewNote.objects.filter(dataset=dataset, kind="approve").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["A", "Jumlah Penduduk", "new", "x" * 101, "dua/garis"])
def test_bad_names_are_refused(personas, name):
    with pytest.raises(OpendataInvalid) as refused:
        make_dataset(personas, name=name)
    assert "name" in refused.value.errors


@pytest.mark.django_db
def test_bad_tag_is_refused_and_name_taken(personas):
    with pytest.raises(OpendataInvalid) as refused:
        make_dataset(personas, tags=["a"])
    assert "tags" in refused.value.errors
    make_dataset(personas)
    with pytest.raises(OpendataInvalid):
        make_dataset(personas)


@pytest.mark.django_db
def test_upload_checked_by_content(personas):
    dataset = make_dataset(personas)
    fake = SimpleUploadedFile("data.csv", b"%PDF-1.4 not a table", content_type="text/csv")
    with pytest.raises(OpendataInvalid) as refused:
        actions.resource_add(actor=personas.operator, dataset=dataset, name="x", upload=fake)
    assert "PDF" in str(refused.value.errors["file"])
    binary = SimpleUploadedFile("x.csv", b"\x00\x01\x02" * 100)
    with pytest.raises(OpendataInvalid):
        actions.resource_add(actor=personas.operator, dataset=dataset, name="x", upload=binary)
    broken = SimpleUploadedFile("x.json", b"{not json")
    with pytest.raises(OpendataInvalid):
        actions.resource_add(actor=personas.operator, dataset=dataset, name="x", upload=broken)
    assert not dataset.resources.exists()


@pytest.mark.django_db
def test_replacing_a_file_keeps_versions(personas, django_capture_on_commit_callbacks):
    dataset = make_dataset(personas)
    resource = actions.resource_add(actor=personas.operator, dataset=dataset, name="Data",
                                    upload=csv_upload())
    first_hash = resource.hash
    newer = CSV + b"Sananwetan;2024;3.456\n"
    actions.resource_replace(actor=personas.operator, resource=resource, upload=csv_upload(content=newer))
    resource.refresh_from_db()
    assert resource.hash != first_hash
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    assert resource.versions.get(number=1).file.read() == CSV
    with pytest.raises(OpendataInvalid):
        actions.resource_replace(actor=personas.operator, resource=resource,
                                 upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n"))


@pytest.mark.django_db
def test_every_change_bumps_modified_and_search_text(personas, walidata):
    dataset = make_dataset(personas)
    stamp = dataset.modified_at
    resource = actions.resource_add(actor=personas.operator, dataset=dataset, name="Rekap Kecamatan",
                                    url="https://example.go.id/rekap")
    dataset.refresh_from_db()
    assert dataset.modified_at > stamp and "rekap kecamatan" in dataset.search_text
    assert resource.format == ""
    stamp = dataset.modified_at
    actions.dataset_set_private(actor=personas.operator, dataset=dataset, private=True)
    dataset.refresh_from_db()
    assert dataset.modified_at > stamp


@pytest.mark.django_db
def test_private_published_dataset_is_for_partners_only(personas, walidata):
    dataset = make_dataset(personas, private=True)
    actions.resource_add(actor=personas.operator, dataset=dataset, name="Tautan", url="https://bps.go.id/x")
    actions.dataset_submit(actor=personas.operator, dataset=dataset)
    actions.dataset_approve(actor=walidata, dataset=dataset)
    assert not visible_datasets(ANONYMOUS).filter(pk=dataset.pk).exists()
    assert not visible_datasets(Viewer(user=personas.outsider)).filter(pk=dataset.pk).exists()
    assert visible_datasets(Viewer(partner=True)).filter(pk=dataset.pk).exists()
    assert visible_datasets(Viewer(user=personas.operator)).filter(pk=dataset.pk).exists()


@pytest.mark.django_db
def test_topics_reference_loads_six_dimensions_once():
    assert actions.topics_load_reference() == 6
    assert actions.topics_load_reference() == 0


@pytest.mark.django_db
def test_link_resource_is_not_loaded(personas):
    dataset = make_dataset(personas)
    resource = actions.resource_add(actor=personas.operator, dataset=dataset, name="API BPS",
                                    url="https://bps.go.id/api", format="API")
    assert resource.format == Resource.Format.API and resource.load_status == ""
