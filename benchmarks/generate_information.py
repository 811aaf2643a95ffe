"""Fill a database with news and documents for benchmarks/information.py, and index it for search.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate_information.py \
        [--news 50000] [--documents 20000] [--datasets 0]

Uses whatever database the environment points at: migrates it, runs `kotacerdas seed`
(agencies, the sample services, report categories, data topics) if the database is empty,
then bulk-creates published news items and documents:

- news: titles and bodies drawn from a vocabulary of about 400 Indonesian words with a
  Zipf-like frequency (a few words are in almost every item, most in few), spread over every
  agency and five years of publication dates, more of them recent;
- documents: a few KB of "extracted" text each; all point at one small shared PDF, since
  search reads `text`, never the file.

With --datasets N, benchmarks/generate_opendata.py adds open datasets too. Then
kotacerdas.search.actions.reindex() rebuilds the site-wide index of every module, timed.
Running it again adds nothing and only rebuilds the index.
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import setup_django  # noqa: E402

BATCH = 2_000
YEARS = 5
SHARED_PDF = "dokumen/benchmark/contoh.pdf"
# A minimal one-page PDF: the documents need a file, the benchmark never reads it.
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")

# Ordered roughly by how often a city's news uses them: the Zipf weights follow this order.
# Kept as text: a list literal of 500 quoted words would be unreadable.
VOCABULARY = """
kota blitar pemerintah warga masyarakat kegiatan pelayanan program tahun wali kelurahan
kecamatan dinas perangkat daerah pembangunan jalan sekolah kesehatan puskesmas anak
pendidikan usaha mikro kecil menengah pasar harga bantuan sosial keluarga penduduk data
informasi publik layanan perizinan izin investasi anggaran pendapatan belanja rapat
koordinasi sosialisasi pelatihan peserta petugas lokasi wilayah lingkungan sampah bersih
air minum saluran drainase banjir hujan musim kemarau pohon taman ruang terbuka hijau
lampu penerangan listrik internet wifi gratis digital aplikasi sistem elektronik teknologi
kota cerdas inovasi kreatif ekonomi pariwisata budaya makam proklamator bung karno museum
festival seni tari musik gamelan wayang kirab upacara peringatan kemerdekaan hari jadi
olahraga sepak bola lapangan stadion atlet prestasi juara lomba penghargaan nasional
provinsi jawa timur pusat kementerian presiden gubernur bupati camat lurah ketua rukun
tetangga rt rw kader posyandu balita ibu hamil gizi stunting imunisasi vaksin dokter
bidan perawat rumah sakit pasien obat klinik sehat penyakit demam berdarah nyamuk
pemberantasan sarang pengasapan kebersihan gotong royong kerja bakti relawan bencana
kebakaran pemadam tanggap darurat evakuasi korban pengungsi logistik dapur umum
kependudukan pencatatan sipil ktp elektronik kartu akta kelahiran kematian perkawinan
pindah datang dokumen surat keterangan legalisir permohonan pengajuan persyaratan
formulir antrean loket kantor gedung balai aula pendopo alun alun masjid gereja klenteng
pura vihara toleransi kerukunan umat beragama ramadan lebaran natal imlek nyepi waisak
perdagangan pedagang kaki lima koperasi simpan pinjam kredit modal produk olahan kuliner
makanan minuman kopi gula kelapa jagung padi beras cabai bawang telur daging ayam ikan
petani peternak nelayan pertanian perkebunan perikanan irigasi bendungan sungai brantas
kendaraan angkutan umum bus terminal stasiun kereta parkir lalu lintas rambu marka
kecelakaan keselamatan polisi satpol pamong praja ketertiban keamanan patroli razia
pajak retribusi bumi bangunan reklame restoran hotel hiburan tagihan pembayaran tunai
nontunai bank transfer rekening tabungan beasiswa siswa mahasiswa guru kepala sekolah
kurikulum ujian kelulusan wisuda perpustakaan buku membaca literasi baca tulis hitung
pemuda karang taruna organisasi komunitas forum musyawarah perencanaan rencana strategis
peraturan walikota perda perwali keputusan kebijakan regulasi hukum undang pasal ayat
evaluasi monitoring laporan kinerja capaian target indikator realisasi serapan audit
inspektorat pengawasan pemeriksaan keuangan aset barang milik pengadaan lelang tender
kontrak penyedia konsultan proyek konstruksi jembatan trotoar gorong renovasi pemeliharaan
perbaikan pengaspalan betonisasi rehabilitasi permukiman kumuh rumah layak huni sanitasi
jamban limbah tinja bank sampah daur ulang plastik kompos organik pupuk tanaman bibit
penghijauan konservasi satwa peliharaan hewan kurban ternak sapi kambing pemotongan
tenaga kerja pengangguran lowongan pekerjaan pencari perusahaan industri pabrik buruh upah
minimum jaminan ketenagakerjaan kesehatan nasional iuran peserta penerima manfaat miskin
rentan disabilitas lansia yatim piatu panti asuhan perlindungan perempuan kekerasan
pengaduan aduan keluhan laporan tindak lanjut penanganan penyelesaian respons cepat
""".split()  # noqa: SIM905
KELURAHAN = [
    "Bendo", "Kepanjenkidul", "Kauman", "Sentul", "Tanggung", "Ngadirejo", "Kepanjenlor",
    "Kenanga", "Bendogerit", "Sananwetan", "Klampok", "Plosokerep", "Rembang", "Gedog",
    "Karangtengah", "Sukorejo", "Pakunden", "Tlumpu", "Turi", "Karangsari", "Tanjungsari",
]
TITLE_STARTS = [
    "Pemkot Blitar gelar", "Wali Kota resmikan", "Dinas sosialisasikan", "Warga antusias ikuti",
    "Pengumuman jadwal", "Kelurahan {kel} raih", "Pemerintah percepat", "Petugas tinjau",
    "Ratusan warga hadiri", "Disdukcapil buka", "Kota Blitar siapkan", "Pemkot evaluasi",
]


class Words:
    """Draws words with a Zipf-like frequency (the n-th word about 1/n as often as the first)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = list(dict.fromkeys(VOCABULARY))
        weights = [1 / (rank + 8) for rank in range(len(self.words))]
        total = sum(weights)
        self.cumulative = []
        running = 0.0
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)

    def draw(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, n: int) -> str:
        text = " ".join(self.draw(n))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence(self.rng.randint(8, 16)) for _ in range(sentences))


def _title(words: Words, rng: random.Random) -> str:
    start = rng.choice(TITLE_STARTS).format(kel=rng.choice(KELURAHAN))
    return f"{start} {' '.join(words.draw(rng.randint(3, 6)))} di Kelurahan {rng.choice(KELURAHAN)}"


def _published(rng: random.Random, now: datetime) -> datetime:
    # More recent items than old ones: the square pulls the draw towards now.
    return now - timedelta(minutes=int(rng.random() ** 2 * YEARS * 365 * 24 * 60) + 1)


def make_news(total: int, rng: random.Random, words: Words, agencies: list) -> int:
    from django.db import transaction

    from kotacerdas.information.models import News

    have = News.objects.filter(slug__startswith="bench-").count()
    now = datetime.now(UTC)
    made = have
    while made < total:
        batch = []
        for index in range(made, min(total, made + BATCH)):
            title = _title(words, rng)
            paragraphs = [words.paragraph(rng.randint(3, 5)) for _ in range(rng.randint(2, 4))]
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            published = _published(rng, now)
            batch.append(News(
                kind=News.Kind.ANNOUNCEMENT if rng.random() < 0.2 else News.Kind.NEWS,
                agency=rng.choice(agencies), title=title[:200], slug=f"bench-{index:06d}",
                summary=paragraphs[0][:280], body=body, tags=sorted(set(words.draw(3))),
                featured=rng.random() < 0.01, status=News.Status.PUBLISHED, publish_at=published,
                created_at=published, updated_at=published,
            ))
        with transaction.atomic():
            News.objects.bulk_create(batch)
        made += len(batch)
        print(f"  {made:,} news items", flush=True)
    return made - have


def make_documents(total: int, rng: random.Random, words: Words, agencies: list) -> int:
    from django.conf import settings
    from django.db import transaction

    from kotacerdas.information.models import Document

    pdf = Path(settings.MEDIA_ROOT) / SHARED_PDF
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(PDF_BYTES)
    have = Document.objects.filter(file=SHARED_PDF).count()
    now = datetime.now(UTC)
    kinds = list(Document.Kind.values)
    made = have
    while made < total:
        batch = []
        for index in range(made, min(total, made + BATCH)):
            kind = rng.choice(kinds)
            published = _published(rng, now)
            # A few KB: 400-700 words, the first pages of a regulation or a report.
            text = " ".join(words.paragraph(rng.randint(4, 8)) for _ in range(rng.randint(5, 8)))
            title = f"{Document.Kind(kind).label} tentang {' '.join(words.draw(rng.randint(3, 7)))}"
            batch.append(Document(
                title=title[:300], kind=kind, number=f"{index % 97 + 1}/{published.year}",
                year=published.year, agency=rng.choice(agencies),
                status=Document.Status.REVOKED if rng.random() < 0.1 else Document.Status.IN_FORCE,
                summary=words.sentence(rng.randint(10, 20)), file=SHARED_PDF,
                file_name=f"dokumen-{index:06d}.pdf", size=len(PDF_BYTES), pages=rng.randint(2, 80),
                text=text, published_at=published, created_at=published, updated_at=published,
            ))
        with transaction.atomic():
            Document.objects.bulk_create(batch)
        made += len(batch)
        print(f"  {made:,} documents", flush=True)
    return made - have


def describe() -> dict:
    from django.db.models import Avg, Count
    from django.db.models.functions import Length

    from kotacerdas.information.models import Document, News
    from kotacerdas.search.models import SearchEntry

    return {
        "news": News.objects.count(),
        "documents": Document.objects.count(),
        "document_text_avg_chars": round(Document.objects.aggregate(n=Avg(Length("text")))["n"] or 0),
        "news_body_avg_chars": round(News.objects.aggregate(n=Avg(Length("body")))["n"] or 0),
        "index": dict(SearchEntry.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind")),
        "index_terms_avg_chars": round(SearchEntry.objects.aggregate(n=Avg(Length("terms")))["n"] or 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--datasets", type=int, default=0,
                        help="open datasets through generate_opendata.py (0: none)")
    parser.add_argument("--seed", type=int, default=2028)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    from kotacerdas.agencies.models import Agency
    from kotacerdas.search.actions import reindex

    call_command("migrate", interactive=False, verbosity=0)
    if not Agency.objects.exists():
        # Only on an empty database: seed ends with a full search reindex, done below anyway.
        call_command("seed")
    rng = random.Random(args.seed)
    words = Words(rng)
    agencies = list(Agency.objects.all())
    started = time.perf_counter()
    added = make_news(args.news, rng, words, agencies)
    print(f"news: {added:,} added in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    added = make_documents(args.documents, rng, words, agencies)
    print(f"documents: {added:,} added in {time.perf_counter() - started:.1f} s")
    if args.datasets:
        from generate_opendata import generate as generate_datasets

        generate_datasets(args.datasets, args.datasets * 3, 1_000, args.seed)
    started = time.perf_counter()
    counts = reindex()
    print(f"search index rebuilt in {time.perf_counter() - started:.1f} s: {counts}")
    print(describe())


if __name__ == "__main__":
    main()
