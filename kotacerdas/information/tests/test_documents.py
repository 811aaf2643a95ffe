import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.functional import Promise
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from kotacerdas.audit.models import AuditEntry
from kotacerdas.information import actions, queries
from kotacerdas.information.errors import PublishInvalid, PublishNotAllowed
from kotacerdas.information.models import Document
from kotacerdas.lib.pdf import PdfPage, render_pdf


def pdf(*paragraphs: str, title: str = "Peraturan Daerah") -> bytes:
    return render_pdf(PdfPage(title=title, paragraphs=list(paragraphs) or ["Isi dokumen."]))


def upload(personas, title="Perda tentang Retribusi Pasar", *, actor=None, agency=None, content=None,
           **extra):
    values = {"kind": "perda", "year": 2021, "number": "5"} | extra
    return actions.document_upload(
        actor=actor or personas.operator, agency=agency or personas.dukcapil, title=title,
        upload=SimpleUploadedFile("perda.pdf", content if content is not None else pdf()), **values,
    )


@pytest.mark.django_db
def test_text_is_extracted_and_searchable(personas, client):
    document = upload(personas, content=pdf("Pasal 3 mengatur tarif retribusi kios Pasar Legi."))
    assert "retribusi kios Pasar Legi" in document.text
    assert document.pages == 1
    assert document.file_name == "perda.pdf"
    found = queries.document_list(queries.DocumentFilters(text="kios legi"))
    assert list(found) == [document]
    assert not queries.document_list(queries.DocumentFilters(text="bioskop")).exists()
    page = client.get("/informasi/dokumen/?q=kios+legi").content.decode()
    assert "Perda tentang Retribusi Pasar" in page


@pytest.mark.django_db
def test_extracted_text_is_capped(personas, monkeypatch):
    monkeypatch.setattr(actions, "DOCUMENT_TEXT_MAX", 50)
    document = upload(personas, content=pdf("kata " * 200))
    assert 0 < len(document.text) <= 50


@pytest.mark.django_db
def test_fake_pdf_is_refused_with_a_translatable_message(personas):
    with pytest.raises(PublishInvalid) as refused:
        upload(personas, content=b"MZ\x90\x00 this is an executable, not a PDF")
    message = refused.value.errors["file"]
    assert isinstance(message, Promise)
    assert "Jenis berkas tidak dikenali" in str(message)
    assert "PDF" in str(message)
    with translation.override("en"):
        assert str(message)  # renders in the page's language when shown
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_fake_pdf_in_the_form_keeps_the_typed_fields(personas, staff_client):
    client = staff_client(personas.operator)
    response = client.post("/informasi/staf/dokumen/baru/", {
        "agency": personas.dukcapil.pk, "title": "Perwali Tata Kelola Data", "kind": "perwali",
        "number": "17",
        "year": "2022", "status": "berlaku", "summary": "Tentang Satu Data",
        "file": SimpleUploadedFile("perwali.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Jenis berkas tidak dikenali atau tidak diizinkan" in page
    assert 'value="Perwali Tata Kelola Data"' in page
    assert 'value="17"' in page
    assert 'value="2022"' in page
    assert "Tentang Satu Data" in page
    assert '<option value="perwali" selected>' in page
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_pdf_with_javascript_is_refused(personas):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('x');"))
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PublishInvalid) as refused:
        upload(personas, content=out.getvalue())
    assert "file" in refused.value.errors


@pytest.mark.django_db
def test_staff_upload_through_the_form(personas, staff_client):
    client = staff_client(personas.operator)
    response = client.post("/informasi/staf/dokumen/baru/", {
        "agency": personas.dukcapil.pk, "title": "Renstra Dispendukcapil 2021-2026", "kind": "renstra",
        "number": "", "year": "2021", "status": "berlaku", "summary": "",
        "file": SimpleUploadedFile("renstra.pdf", pdf("Rencana strategis lima tahun.")),
    })
    assert response.status_code == 302, response.content.decode()
    document = Document.objects.get()
    assert document.kind == "renstra"
    assert document.uploaded_by == personas.operator
    assert AuditEntry.objects.filter(action="document.upload", object_id=str(document.pk)).exists()


@pytest.mark.django_db
def test_officer_of_other_agency_cannot_upload_or_change_its_documents(personas, staff_client):
    with pytest.raises(PublishNotAllowed):
        upload(personas, actor=personas.outsider, agency=personas.dukcapil)
    document = upload(personas)
    with pytest.raises(PublishNotAllowed):
        actions.document_update(actor=personas.outsider, document=document, title="x", kind="perda",
                                year=2021,
                                status="dicabut")
    client = staff_client(personas.outsider)
    assert client.get(f"/informasi/staf/dokumen/{document.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_regulation_is_marked_revoked(personas, client):
    document = upload(personas)
    actions.document_update(actor=personas.kepala, document=document, title=document.title, kind="perda",
                            year=2021, number="5", status="dicabut")
    page = client.get(f"/informasi/dokumen/{document.pk}/").content.decode()
    assert "Dicabut" in page
    assert AuditEntry.objects.filter(action="document.update", object_id=str(document.pk)).exists()


@pytest.mark.django_db
def test_list_filters_by_type_year_agency_and_status(personas, client):
    upload(personas, "Perda Pasar", kind="perda", year=2021)
    upload(personas, "Perwali Parkir", kind="perwali", year=2023, status="dicabut")
    upload(personas, "Laporan DPUPR", kind="laporan", year=2023, actor=personas.outsider,
           agency=personas.dpupr)

    def titles(query):
        page = client.get(f"/informasi/dokumen/?{query}").content.decode()
        return {t for t in ("Perda Pasar", "Perwali Parkir", "Laporan DPUPR") if t in page}

    assert titles("jenis=perwali") == {"Perwali Parkir"}
    assert titles("tahun=2023") == {"Perwali Parkir", "Laporan DPUPR"}
    assert titles("opd=dpupr") == {"Laporan DPUPR"}
    assert titles("status=dicabut") == {"Perwali Parkir"}
    assert titles("status=berlaku&tahun=2021") == {"Perda Pasar"}
    assert titles("tahun=bukan-angka") == {"Perda Pasar", "Perwali Parkir", "Laporan DPUPR"}


@pytest.mark.django_db
def test_list_is_query_budgeted(personas, client, django_assert_max_num_queries):
    for n in range(5):
        upload(personas, f"Dokumen {n}")
    with django_assert_max_num_queries(8):
        assert client.get("/informasi/dokumen/").status_code == 200


@pytest.mark.django_db
def test_detail_shows_metadata_and_downloads_the_pdf(personas, client):
    content = pdf("Isi")
    document = upload(personas, content=content)
    page = client.get(f"/informasi/dokumen/{document.pk}/").content.decode()
    assert "Perda tentang Retribusi Pasar" in page
    assert "Peraturan Daerah (Perda)" in page
    assert "Dispendukcapil" in page or "Dinas Kependudukan" in page
    assert '<meta property="og:title" content="Perda tentang Retribusi Pasar">' in page
    response = client.get(f"/informasi/dokumen/{document.pk}/unduh/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content
    assert client.get("/informasi/dokumen/999999/").status_code == 404


@pytest.mark.django_db
def test_documents_appear_in_the_sitemap(personas, client):
    document = upload(personas)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/informasi/dokumen/{document.pk}/" in sitemap


@pytest.mark.django_db
def test_demo_content_is_marked_as_sample(personas):
    from kotacerdas.agencies.models import Agency
    from kotacerdas.information.demo import demo_news
    from kotacerdas.information.models import News

    Agency.objects.create(code="bappeda", short_name="Bappeda", name="Badan Perencanaan", kind="badan")
    demo_news(personas.admin)
    demo_news(personas.admin)  # twice: nothing is duplicated
    assert News.objects.filter(is_sample=True, status="published").count() == News.objects.count() > 0
    assert all(n.title.startswith("[Contoh isi]") for n in News.objects.all())
    assert Document.objects.filter(is_sample=True).count() == Document.objects.count() > 0
    assert "Masterplan" in Document.objects.get(kind="masterplan").title
    assert "smart governance" in Document.objects.get(kind="masterplan").text
