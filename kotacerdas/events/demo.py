"""Demo agenda: the Bimtek Smart City tahap I as it happened (reference/domain.md §0), and one
upcoming sample event, marked as sample, that residents can register for."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kotacerdas.agencies.models import Agency
from kotacerdas.events.models import Event

BIMTEK_SLUG = "bimtek-smart-city-tahap-i-2023"
SAMPLE_SLUG = "contoh-kelas-literasi-digital-warga"


def _wib(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_fixed_timezone(7 * 60))


def demo_events() -> list[Event]:
    """Idempotent: an event already there (by its address) is left as it is."""
    agencies = Agency.objects.filter(code__in=["diskominfotik", "bappeda"])
    organiser = agencies.filter(code="diskominfotik").first() or agencies.first()
    if organiser is None:
        return []
    bimtek, _created = Event.objects.get_or_create(slug=BIMTEK_SLUG, defaults={
        "agency": organiser,
        "title": "Bimtek Smart City tahap I",
        "description": (
            "Bimbingan teknis penyusunan masterplan smart city tahap I dalam Gerakan Menuju Smart City, "
            "dibuka oleh Wali Kota Blitar Santoso. Seluruh OPD diajak bersinergi meningkatkan jumlah dan "
            "mutu pelayanan publik, agar warga mudah berurusan dengan perangkat daerah."
        ),
        "place": "Gedung Kusuma Wicitra, Balai Kota Blitar",
        "facilitator": "Kementerian Komunikasi dan Informatika",
        "audience": "Seluruh OPD Kota Blitar, camat dan lurah",
        # The dates are from the news coverage; the hours are not (an assumption of a working day).
        "starts_at": _wib(date(2023, 7, 3), 8),
        "ends_at": _wib(date(2023, 7, 4), 16),
        "registration": False,  # held before the platform existed; attendance was not recorded here
        "capacity": 150,
        "is_public": True,
        "certificate": False,
    })
    day = timezone.localdate() + timedelta(days=30)
    sample, _created = Event.objects.get_or_create(slug=SAMPLE_SLUG, defaults={
        "agency": organiser,
        "title": "Kelas literasi digital untuk warga (contoh)",
        "description": "Contoh acara: mengenal layanan daring kotacerdas, Wi-Fi gratis dan keamanan akun.",
        "place": "Ruang ISC Diskominfotik, Jl. Dr. Moh. Hatta No. 05, Kota Blitar",
        "audience": "Warga umum",
        "starts_at": _wib(day, 9),
        "ends_at": _wib(day, 12),
        "registration_closes_at": _wib(day - timedelta(days=1), 16),
        "capacity": 30,
        "is_public": True,
        "certificate": True,
        "is_sample": True,
    })
    return [bimtek, sample]
