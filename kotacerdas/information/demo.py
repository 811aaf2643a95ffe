"""Demo content for PPID: sample entries of the Daftar Informasi Publik (marked as sample) and
one request answered through the real actions, so the register and report show something."""

from kotacerdas.agencies.models import Agency
from kotacerdas.information import actions
from kotacerdas.information.models import Decision, Document, InformationRequest, News, PublicInformation

DIP = [
    ("Rencana Pembangunan Jangka Menengah Daerah (RPJMD) Kota Blitar", "berkala", "bappeda",
     "Dokumen perencanaan lima tahunan.", ""),
    ("Laporan Keuangan Pemerintah Daerah (LKPD) yang telah diaudit", "berkala", "bpkad",
     "Laporan keuangan tahunan beserta opini BPK.", ""),
    ("Standar pelayanan setiap perangkat daerah", "setiap_saat", "setda",
     "Dipublikasikan juga di katalog layanan kotacerdas.", "/layanan/"),
    ("Informasi peringatan dini bencana", "serta_merta", "bpbd",
     "Peringatan banjir, cuaca ekstrem dan bencana lain yang mengancam hajat hidup orang banyak.", ""),
    ("Data pribadi kependudukan (NIK, KK)", "dikecualikan", "dispendukcapil",
     "Dilindungi; hanya diberikan kepada pemilik data.", ""),
]


def demo_ppid(citizen, officer) -> None:
    for title, category, agency_code, summary, link in DIP:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            continue
        PublicInformation.objects.get_or_create(
            title=title,
            defaults={"category": category, "agency": agency, "summary": summary, "link": link,
                      "is_sample": True, "responsible": "PPID Pelaksana " + agency.short_name,
                      "exemption_ground": "UU 14/2008 Pasal 17 huruf h; UU 27/2022 (PDP)"
                      if category == "dikecualikan" else ""},
        )
    if InformationRequest.objects.filter(submission_key="demo-ppid-1").exists():
        return
    request = actions.request_submit(
        requester=citizen, information="Daftar titik Wi-Fi gratis (Internet RT) di Kelurahan Sentul",
        purpose="Mencari titik internet terdekat untuk belajar daring", obtain="electronic",
        submission_key="demo-ppid-1",
    )
    actions.request_decide(request=request, actor=officer, decision=Decision.GRANTED,
                           answer="Daftar titik tersedia di Satu Data Kota Blitar dan peta Wi-Fi gratis.")
    actions.request_submit(
        requester=citizen, information="Jadwal dan materi Bimtek Smart City tahap I tahun 2023",
        purpose="Bahan tulisan untuk blog komunitas", obtain="electronic", submission_key="demo-ppid-2",
    )


# -- news, announcements and documents (sample content, marked as such) --------------------------

SAMPLE_NOTE = "[Contoh isi] "

NEWS = [
    ("diskominfotik", "news", "Wi-Fi gratis kini tersedia di 50 titik RT baru",
     "<p>Pemerintah Kota Blitar menambah titik <strong>Wi-Fi gratis</strong> di lingkungan RT.</p>"
     "<p>Lihat peta titik terdekat di menu Wi-Fi gratis.</p>", ["wifi", "smart-city"], True),
    ("dispendukcapil", "announcement", "Layanan KTP-el tetap buka pada Sabtu pagi",
     "<p>Pelayanan perekaman dan pencetakan KTP-el dibuka pada hari Sabtu pukul 08.00–12.00 WIB.</p>"
     "<ul><li>Bawa fotokopi KK</li><li>Datang sesuai nomor antrean</li></ul>", ["adminduk", "ktp-el"], False),
    ("dpupr", "news", "Perbaikan jalan dan saluran di Kecamatan Sananwetan",
     "<p>DPUPR memperbaiki saluran air di beberapa ruas jalan untuk mengurangi genangan saat hujan.</p>",
     ["infrastruktur", "banjir"], False),
    ("bappeda", "announcement", "Konsultasi publik rancangan Masterplan Smart City",
     "<p>Warga diundang memberi masukan atas rancangan <em>Masterplan Smart City</em> Kota Blitar.</p>",
     ["smart-city", "perencanaan"], True),
]

DOCUMENTS = [
    ("bappeda", "masterplan", "Masterplan Smart City Kota Blitar", "", 2023,
     ["Dokumen contoh untuk demonstrasi platform kotacerdas.", "Enam dimensi kota cerdas: smart governance, "
      "smart branding, smart economy, smart living, smart society dan smart environment."]),
    ("bappeda", "rpjmd", "Rencana Pembangunan Jangka Menengah Daerah Kota Blitar 2021-2026", "", 2021,
     ["Dokumen contoh untuk demonstrasi platform kotacerdas.",
      "Visi, misi, tujuan dan sasaran pembangunan lima tahun."]),
    ("setda", "perwali", "Peraturan Wali Kota tentang Penyelenggaraan Kota Cerdas", "12", 2022,
     ["Dokumen contoh untuk demonstrasi platform kotacerdas.",
      "Mengatur tata kelola penyelenggaraan kota cerdas dan Dewan Smart City."]),
    ("diskominfotik", "laporan", "Laporan Layanan Informasi Publik Tahun 2024", "", 2024,
     ["Dokumen contoh untuk demonstrasi platform kotacerdas.", "Rekapitulasi permohonan informasi publik dan "
      "keberatan selama satu tahun."]),
]


def demo_news(actor=None) -> None:
    """A few sample news items, announcements and documents, made through the real actions
    (sanitising, PDF checks, text extraction) and marked "[Contoh isi]" and is_sample.
    ``actor`` defaults to the demo's Diskominfotik admin, who may publish for every OPD."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kotacerdas.lib.pdf import PdfPage, render_pdf

    if actor is None:
        actor = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        return
    for agency_code, kind, title, body, tags, featured in NEWS:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None or News.objects.filter(title=SAMPLE_NOTE + title).exists():
            continue
        news = actions.news_save(actor=actor, agency=agency, kind=kind, title=SAMPLE_NOTE + title,
                                 body=body, tags=tags, featured=featured, is_sample=True)
        actions.news_publish(actor=actor, news=news)
    for agency_code, kind, title, number, year, paragraphs in DOCUMENTS:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None or Document.objects.filter(title=SAMPLE_NOTE + title).exists():
            continue
        content = render_pdf(PdfPage(title=title, subtitle=agency.name, paragraphs=paragraphs,
                                     footer="Contoh isi - kotacerdas"))
        actions.document_upload(actor=actor, agency=agency, title=SAMPLE_NOTE + title, kind=kind,
                                number=number, year=year,
                                upload=SimpleUploadedFile(f"{kind}-{year}.pdf", content),
                                summary="Dokumen contoh untuk demonstrasi; bukan dokumen resmi.",
                                is_sample=True)
