"""A demo masterplan: fifteen programmes over the six dimensions, marked as demo, so a fresh
`make run` shows the roadmap, the progress and the dashboard with something in them. The
programmes are plausible for Kota Blitar (Internet RT, the 300 CCTV of 2019, the Bung Karno
tomb as the city's landmark) but are not the city's plan: Bappeda replaces them."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.agencies.models import Agency
from kotacerdas.masterplan import actions
from kotacerdas.masterplan.models import (
    Dimension,
    Evidence,
    Indicator,
    Plan,
    Programme,
    Realisation,
    RealisationEvent,
    SubDimension,
    Target,
)

PLAN_START, PLAN_END = 2024, 2033

# code, dimension, sub-dimension, name, lead, supporting, horizon, start, end, budget (million Rp), status,
# indicators: (kind, name, unit, baseline, direction, metric, {year: target}, {year: verified realisation})
# fmt: off
PROGRAMMES = [
    ("gov-layanan-daring", "governance", 1, "Layanan publik daring satu pintu",
     "diskominfotik", ["dispendukcapil", "dpmptsp"], "short", 2024, 2026, 1_250, "ongoing", [
         ("outcome", "Layanan yang dapat diajukan daring penuh", "%", 10, "up", "services_online_share",
          {2024: 30, 2025: 50, 2026: 70}, {}),
         ("impact", "Indeks Kepuasan Masyarakat (IKM) kota", "indeks", 78, "up", "ikm_city",
          {2024: 80, 2025: 82, 2026: 85}, {}),
     ]),
    ("gov-pengaduan-terpadu", "governance", 2, "Pengaduan warga terpadu dan terhubung SP4N-LAPOR!",
     "diskominfotik", ["setda", "inspektorat"], "quick_win", 2024, 2025, 350, "done", [
         ("outcome", "Laporan warga dijawab dalam batas waktu", "%", 55, "up", "reports_within_sla",
          {2024: 70, 2025: 80}, {}),
         ("output", "OPD yang menanggapi laporan di sistem", "OPD", 8, "up", "",
          {2024: 20, 2025: 30}, {2024: 22, 2025: 29}),
     ]),
    ("gov-adminduk-digital", "governance", 1,
     "Adminduk digital: Identitas Kependudukan Digital dan dokumen ber-TTE",
     "dispendukcapil", ["diskominfotik"], "short", 2024, 2026, 400, "ongoing", [
         ("outcome", "Penduduk wajib KTP yang mengaktifkan IKD", "%", 3, "up", "",
          {2024: 10, 2025: 25, 2026: 40}, {2024: 12, 2025: 21}),
     ]),
    ("gov-satu-data", "governance", 3, "Satu Data Kota Blitar",
     "diskominfotik", ["bappeda"], "medium", 2024, 2028, 900, "ongoing", [
         ("output", "Dataset terbit di portal Satu Data", "dataset", 0, "up", "datasets_published",
          {2024: 5, 2025: 10, 2026: 20, 2027: 40, 2028: 60}, {}),
         ("output", "OPD yang menjadi produsen data", "OPD", 3, "up", "",
          {2024: 10, 2025: 20, 2026: 30, 2027: 35, 2028: 40}, {2024: 12, 2025: 19}),
     ]),
    ("brand-wisata-bung-karno", "branding", 1, "Ekosistem wisata digital kawasan Makam Bung Karno",
     "disbudpar", ["diskominfotik"], "short", 2024, 2026, 700, "ongoing", [
         ("impact", "Kunjungan wisatawan", "ribu orang", 1_400, "up", "",
          {2024: 1_500, 2025: 1_600, 2026: 1_700}, {2024: 1_530, 2025: 1_585}),
         ("output", "Destinasi dengan informasi dan tiket daring", "destinasi", 1, "up", "",
          {2024: 3, 2025: 5, 2026: 8}, {2024: 3, 2025: 4}),
     ]),
    ("brand-wajah-kota", "branding", 3, "Penataan wajah kota dan taman tematik",
     "disperkim", ["dpupr", "dlh"], "medium", 2025, 2029, 4_800, "ongoing", [
         ("output", "Taman kota yang ditata ulang", "taman", 2, "up", "",
          {2025: 4, 2026: 6, 2027: 8, 2028: 10, 2029: 12}, {2025: 4}),
     ]),
    ("eco-umkm-digital", "economy", 1, "UMKM naik kelas digital",
     "dinkop-ukm-naker", ["disperindag", "diskominfotik"], "short", 2024, 2026, 600, "ongoing", [
         ("output", "UMKM terdaftar di katalog daring daerah", "UMKM", 150, "up", "",
          {2024: 500, 2025: 1_000, 2026: 1_500}, {2024: 540, 2025: 910}),
         ("outcome", "UMKM yang menerima pembayaran QRIS", "%", 20, "up", "",
          {2024: 35, 2025: 50, 2026: 65}, {2024: 38, 2025: 47}),
     ]),
    ("eco-pasar-nontunai", "economy", 3, "Retribusi pasar rakyat nontunai",
     "disperindag", ["bapenda"], "quick_win", 2024, 2024, 150, "done", [
         ("output", "Pasar rakyat dengan retribusi QRIS", "pasar", 0, "up", "",
          {2024: 5}, {2024: 5}),
     ]),
    ("liv-internet-rt", "living", 1, "Internet RT: Wi-Fi gratis di setiap RT/RW",
     "diskominfotik", ["disperkim"], "medium", 2024, 2028, 3_200, "ongoing", [
         ("output", "Titik Wi-Fi RT/RW aktif", "titik", 892, "up", "",
          {2024: 892, 2025: 892, 2026: 900, 2027: 920, 2028: 950}, {2024: 880, 2025: 889}),
         ("outcome", "Uptime jaringan Wi-Fi publik", "%", 90, "up", "wifi_uptime",
          {2024: 95, 2025: 96, 2026: 97, 2027: 98, 2028: 98}, {}),
     ]),
    ("liv-kesehatan-terhubung", "living", 2, "Puskesmas dengan rekam medis elektronik terhubung",
     "dinkes", ["rsud-mardi-waluyo", "diskominfotik"], "short", 2024, 2026, 1_100, "ongoing", [
         ("output", "Puskesmas dengan rekam medis elektronik", "%", 30, "up", "",
          {2024: 60, 2025: 90, 2026: 100}, {2024: 60, 2025: 80}),
     ]),
    ("liv-lalu-lintas", "living", 3, "Manajemen lalu lintas dan parkir cerdas",
     "dishub", ["satpol-pp"], "medium", 2025, 2028, 2_600, "ongoing", [
         ("output", "Simpang dengan lampu lalu lintas adaptif (ATCS)", "simpang", 2, "up", "",
          {2025: 4, 2026: 6, 2027: 8, 2028: 10}, {2025: 4}),
         ("outcome", "Parkir tepi jalan dibayar nontunai", "%", 5, "up", "",
          {2025: 20, 2026: 35, 2027: 50, 2028: 60}, {2025: 18}),
     ]),
    ("soc-kota-aman", "society", 3, "Kota aman: CCTV terpantau dan layanan darurat 112",
     "diskominfotik", ["satpol-pp", "bpbd"], "short", 2024, 2026, 2_100, "ongoing", [
         ("output", "CCTV terpantau di ruang kendali", "kamera", 120, "up", "",
          {2024: 200, 2025: 250, 2026: 300}, {2024: 205, 2025: 243}),
         ("outcome", "Waktu tanggap panggilan darurat 112", "menit", 15, "down", "",
          {2024: 12, 2025: 10, 2026: 8}, {2024: 11, 2025: 10.5}),
     ]),
    ("soc-literasi-digital", "society", 2, "Literasi digital warga dan perpustakaan digital",
     "dinperpusip", ["dispendik", "diskominfotik"], "medium", 2024, 2028, 800, "ongoing", [
         ("output", "Warga mengikuti pelatihan literasi digital", "orang", 300, "up", "",
          {2024: 1_000, 2025: 2_000, 2026: 3_000, 2027: 4_000, 2028: 5_000}, {2024: 1_120, 2025: 1_870}),
     ]),
    ("env-bank-sampah", "environment", 2, "Bank sampah dan pengangkutan sampah terpantau",
     "dlh", ["disperkim"], "short", 2024, 2026, 950, "ongoing", [
         ("output", "Bank sampah aktif", "unit", 40, "up", "",
          {2024: 60, 2025: 80, 2026: 100}, {2024: 63, 2025: 78}),
         ("impact", "Sampah yang diangkut ke TPA", "ton/hari", 95, "down", "",
          {2024: 90, 2025: 85, 2026: 80}, {2024: 91, 2025: 86}),
     ]),
    ("env-pju-led", "environment", 3, "Penerangan jalan LED hemat energi",
     "dpupr", ["dishub"], "long", 2025, 2033, 6_500, "planned", [
         ("output", "Lampu penerangan jalan yang sudah LED", "%", 25, "up", "",
          {2025: 35, 2026: 45, 2027: 55, 2028: 65, 2029: 75, 2030: 85, 2031: 90, 2032: 95, 2033: 100},
          {2025: 33}),
     ]),
]
# Bappeda's work in progress: not public until it leaves the draft.
DRAFT: tuple = ("gov-pusat-kendali", "governance", 2, "Pusat kendali kota (command center) terpadu",
 "diskominfotik", ["bappeda"], "long", 2027, 2033, 9_000, "draft", [
     ("output", "Sistem OPD yang terhubung ke pusat kendali", "sistem", 0, "up", "",
      {2027: 5, 2028: 10}, {}),
 ])
# fmt: on

PLAN_TEXT = {
    "title": "Masterplan Kota Cerdas Kota Blitar 2024–2033 (contoh)",
    "vision": "Kota Blitar cerdas yang melayani warganya dari rumah: pemerintahan yang bersinergi, "
    "warga yang terhubung, dan kota yang nyaman, aman dan lestari.",
    "mission": "\n".join(
        [
            "Menghadirkan semua layanan OPD secara daring dengan standar pelayanan yang jelas.",
            "Membangun data dan jaringan kota sebagai dasar keputusan.",
            "Menguatkan ekonomi warga dan pariwisata kota dengan teknologi.",
            "Menjaga keamanan, kesehatan dan lingkungan kota dengan pemantauan yang terbuka.",
        ]
    ),
    "goals": "\n".join(
        [
            "70 % layanan publik dapat diajukan daring penuh pada 2026.",
            "Setiap laporan warga dijawab dalam batas waktu SP4N-LAPOR!.",
            "Wi-Fi gratis di setiap RT/RW menyala paling sedikit 97 % waktu.",
            "Seluruh OPD menerbitkan datanya di Satu Data Kota Blitar.",
        ]
    ),
    "readiness_structure": "Dewan Smart City diketuai Wali Kota; tim teknis diketuai Bappeda; "
    "Diskominfotik sebagai sekretariat. SDM TIK di OPD masih terbatas.",
    "readiness_infrastructure": "Serat optik sampai tingkat RT/RW sejak 2019; Wi-Fi gratis di sekitar 692 RT "
    "dan 200 RW; ruang kendali di Diskominfotik.",
    "readiness_superstructure": "Nota kesepakatan Gerakan Menuju Smart City (2023); peraturan wali kota "
    "tentang masterplan dan SPBE perlu diselaraskan.",
    "legal_basis": "Contoh — dasar hukum diisi Bappeda.",
}


def _programme(row, *, demo_reporters: dict[str, User]) -> None:
    (code, dimension, sub, name, lead, supporting, horizon, start, end, budget, status, indicators) = row
    if Programme.objects.filter(code=code).exists():
        return
    dim = Dimension.objects.get(code=dimension)
    programme = Programme.objects.create(
        code=code,
        name=name,
        dimension=dim,
        subdimension=SubDimension.objects.get(dimension=dim, number=sub),
        lead_agency=Agency.objects.get(code=lead),
        horizon=horizon,
        start_year=start,
        end_year=end,
        budget_source="APBD",
        budget_amount=Decimal(budget) * 1_000_000,
        status=status,
        is_demo=True,
        description=f"{name}. Program contoh masterplan; Bappeda menggantinya dengan program resmi.",
    )
    programme.supporting_agencies.set(Agency.objects.filter(code__in=supporting))
    now = timezone.now()
    for order, (kind, title, unit, baseline, direction, metric, targets, verified) in enumerate(indicators):
        indicator = Indicator.objects.create(
            programme=programme,
            kind=kind,
            name=title,
            unit=unit,
            baseline=Decimal(str(baseline)),
            baseline_year=2023,
            direction=direction,
            agency=programme.lead_agency,
            metric=metric,
            order=order,
        )
        Target.objects.bulk_create(
            Target(indicator=indicator, year=y, value=Decimal(str(v))) for y, v in targets.items()
        )
        reporter = demo_reporters.get(lead)
        for year, value in {**verified, **_this_year(code, order, targets, verified)}.items():
            realisation = Realisation.objects.create(
                indicator=indicator,
                year=year,
                value=Decimal(str(value)),
                status=Realisation.Status.VERIFIED,
                note="Capaian contoh.",
                submitted_by=reporter,
                submitted_at=now,
                reviewed_at=now,
            )
            RealisationEvent.objects.create(
                realisation=realisation,
                type=RealisationEvent.Type.VERIFIED,
                value=realisation.value,
                note="Data contoh.",
            )


# Left without this year's figure, for the demo's own journeys: the Dispendukcapil operator
# enters one, and Dishub's waits in Bappeda's queue (see _awaiting_verification).
LEFT_OPEN = {("gov-adminduk-digital", 0), ("liv-lalu-lintas", 0)}


def _this_year(code: str, order: int, targets: dict, verified: dict) -> dict:
    """Whatever year the demo is loaded in, most indicators have this year's figure too: the
    last one moved most of the way to this year's target."""
    year = timezone.localdate().year
    if (code, order) in LEFT_OPEN or year not in targets or year in verified or not verified:
        return {}
    last = verified[max(verified)]
    value = last + 0.85 * (targets[year] - last)
    counted = all(isinstance(v, int) for v in [*targets.values(), *verified.values()])
    return {year: round(value) if counted else round(value, 1)}


@transaction.atomic
def demo_masterplan() -> None:
    """Idempotent: programmes already there are left alone."""
    actions.masterplan_load_reference()
    if not Plan.objects.exists():
        Plan.objects.create(start_year=PLAN_START, end_year=PLAN_END, is_demo=True, **PLAN_TEXT)
    reporters = {
        code: User.objects.filter(staff_membership__agency__code=code).order_by("pk").first()
        for code in {row[4] for row in PROGRAMMES}
    }
    for row in [*PROGRAMMES, DRAFT]:
        _programme(row, demo_reporters={k: v for k, v in reporters.items() if v is not None})
    _awaiting_verification(reporters.get("dishub"))


def _awaiting_verification(reporter: User | None) -> None:
    """One realisation of this year waiting in Bappeda's queue, with a link as evidence."""
    indicator = Indicator.objects.filter(programme__code="liv-lalu-lintas", order=0).first()
    year = timezone.localdate().year
    if (
        reporter is None
        or indicator is None
        or Realisation.objects.filter(indicator=indicator, year=year).exists()
    ):
        return
    now = timezone.now()
    realisation = Realisation.objects.create(
        indicator=indicator,
        year=year,
        value=Decimal(5),
        status=Realisation.Status.SUBMITTED,
        note="Dua simpang baru selesai dipasang (contoh).",
        submitted_by=reporter,
        submitted_at=now,
    )
    Evidence.objects.create(
        realisation=realisation,
        title="Berita acara serah terima (contoh)",
        url="https://blitarkota.go.id/",
        added_by=reporter,
    )
    RealisationEvent.objects.create(
        realisation=realisation,
        type=RealisationEvent.Type.SUBMITTED,
        actor=reporter,
        value=realisation.value,
        note=realisation.note,
    )


def demo_masterplan_figures() -> int:
    """This year's figures for the indicators that read the platform (after the other demo
    modules have loaded their data)."""
    return actions.realisations_refresh_automatic()
