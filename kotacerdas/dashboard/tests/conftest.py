"""A small city built by hand, each figure of which a test can work out on paper.

Today is Monday 15 June 2026, 10:00 WIB. In 2026:
- services: 4 published services (3 fully online) and 1 unpublished; applications A (on
  time), B (finished late) at Dispendukcapil in Kauman, C at DPUPR in Sentul still open and
  overdue; D finished in 2025. SKM: two answers in 2026 (all 4s, all 3s), one in 2025 (all 1s).
- reports: R1 answered in time, R2 answered late, R3 unanswered and overdue (Kauman), R4
  rejected (not counted), R5 confidential answered in time (Sentul); R0 made in 2025.
- PPID: one decided in time, one late, one waiting.
- Wi-Fi: two active points in Kauman, one down for exactly one day in 2026.
- open data: published public datasets, one of 2025 and one (monthly, 100 days old, late) and
  one of 2026; a draft and a private one that do not count.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from kotacerdas.cases.models import Case, CaseEvent, Kind, Status
from kotacerdas.information.models import InformationRequest
from kotacerdas.opendata.models import Dataset
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import forget_boundaries
from kotacerdas.reports.models import Category, Privacy, Report
from kotacerdas.services.models import Application, OutputDocument, Service, SurveyResponse
from kotacerdas.wifi.models import Hotspot, Incident

JAKARTA = ZoneInfo("Asia/Jakarta")
KAUMAN = "35.72.01.1004"
SENTUL = "35.72.01.1003"
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=JAKARTA)


def wib(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _fresh_caches():
    forget_boundaries()
    cache.clear()
    yield
    forget_boundaries()
    cache.clear()


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


@dataclass
class World:
    kauman: Region
    sentul: Region
    services: list[Service]
    cases: dict[str, Case]
    hotspots: list[Hotspot]


_codes = iter(range(1, 10**6))


def _case(
    kind,
    agency,
    kelurahan,
    submitted,
    due,
    status=Status.SUBMITTED,
    resolved=None,
    title="Perkara",
    citizen=None,
) -> Case:
    return Case.objects.create(
        kind=kind,
        tracking_code=f"DB{next(_codes):06d}",
        title=title,
        agency=agency,
        kelurahan=kelurahan,
        status=status,
        sla_workdays=5,
        submitted_at=submitted,
        updated_at=submitted,
        due_date=due,
        resolved_at=resolved,
        citizen=citizen,
    )


def _application(service, applicant, case, *, document: bool) -> Application:
    application = Application.objects.create(
        case=case,
        service=service,
        applicant=applicant,
        submission_key=case.tracking_code,
        submitted_at=case.submitted_at,
    )
    if document:
        OutputDocument.objects.create(
            application=application,
            agency=case.agency,
            title="Dokumen",
            number=case.tracking_code,
            issued_by=applicant,
            verification_code=case.tracking_code,
            file="private/x.pdf",
        )
    return application


def _survey(application, score: int, at: datetime) -> None:
    SurveyResponse.objects.create(
        application=application,
        service=application.service,
        agency=application.case.agency,
        submitted_at=at,
        **{f"u{i}": score for i in range(1, 10)},
    )


def _report(
    category,
    kelurahan,
    citizen,
    created,
    due,
    *,
    answered=None,
    status=Status.IN_PROGRESS,
    privacy=Privacy.PUBLIC,
) -> Case:
    case = _case(
        Kind.REPORT,
        category.agency,
        kelurahan,
        created,
        due,
        status=status,
        title=category.name,
        citizen=citizen,
    )
    Report.objects.create(
        case=case,
        category=category,
        description="Lampu mati di Jalan Merdeka",
        lat=-8.0953,
        lon=112.1612,
        kelurahan=kelurahan,
        privacy=privacy,
        reporter=citizen,
        address="Rumah Bu Alice, Jl. Merdeka 1",
    )
    Report.objects.filter(case=case).update(created_at=created)
    if answered is not None:
        CaseEvent.objects.create(
            case=case, type=CaseEvent.Type.REPLY, is_public=True, at=answered, text="Sudah diperbaiki"
        )
    return case


@pytest.fixture
def world(personas, today) -> World:
    regions_load_reference()
    kauman = Region.objects.get(code=KAUMAN)
    sentul = Region.objects.get(code=SENTUL)
    dukcapil, dpupr = personas.dukcapil, personas.dpupr
    alice = personas.alice

    common = {
        "summary": "Layanan",
        "category": "kependudukan",
        "requirements": [],
        "procedure": [],
        "sla_workdays": 5,
        "product": "Dokumen",
        "complaint_channel": "Pengaduan",
    }
    services = [
        Service.objects.create(slug="ktp", name="KTP-el", agency=dukcapil, online=True, **common),
        Service.objects.create(slug="kk", name="Kartu Keluarga", agency=dukcapil, online=True, **common),
        Service.objects.create(slug="imb", name="PBG", agency=dpupr, online=True, **common),
        Service.objects.create(slug="akta", name="Akta", agency=dukcapil, online=False, **common),
        Service.objects.create(
            slug="lama", name="Layanan lama", agency=dukcapil, online=True, is_published=False, **common
        ),
    ]
    cases: dict[str, Case] = {}
    cases["A"] = _case(
        Kind.SERVICE,
        dukcapil,
        kauman,
        wib(2026, 3, 2),
        date(2026, 3, 6),
        status=Status.RESOLVED,
        resolved=wib(2026, 3, 4),
        title="KTP-el",
        citizen=alice,
    )
    cases["B"] = _case(
        Kind.SERVICE,
        dukcapil,
        kauman,
        wib(2026, 3, 2),
        date(2026, 3, 6),
        status=Status.CLOSED,
        resolved=wib(2026, 3, 20),
        title="Kartu Keluarga",
        citizen=alice,
    )
    cases["C"] = _case(
        Kind.SERVICE,
        dpupr,
        sentul,
        wib(2026, 4, 1),
        date(2026, 4, 8),
        status=Status.IN_PROGRESS,
        title="PBG",
        citizen=alice,
    )
    cases["D"] = _case(
        Kind.SERVICE,
        dukcapil,
        kauman,
        wib(2025, 11, 3),
        date(2025, 11, 10),
        status=Status.RESOLVED,
        resolved=wib(2025, 11, 5),
        title="KTP-el",
        citizen=alice,
    )
    app_a = _application(services[0], alice, cases["A"], document=True)
    app_b = _application(services[1], alice, cases["B"], document=True)
    _application(services[2], alice, cases["C"], document=False)
    app_d = _application(services[0], alice, cases["D"], document=True)
    _survey(app_a, 4, wib(2026, 3, 5))
    _survey(app_b, 3, wib(2026, 3, 21))
    _survey(app_d, 1, wib(2025, 11, 6))

    lights = Category.objects.create(code="lampu", name="Lampu jalan mati", agency=dpupr)
    roads = Category.objects.create(code="jalan", name="Jalan rusak", agency=dpupr)
    cases["R1"] = _report(
        lights,
        kauman,
        alice,
        wib(2026, 3, 2),
        date(2026, 3, 5),
        answered=wib(2026, 3, 4),
        status=Status.RESOLVED,
    )
    cases["R2"] = _report(
        roads,
        kauman,
        alice,
        wib(2026, 3, 2),
        date(2026, 3, 5),
        answered=wib(2026, 3, 10),
        status=Status.RESOLVED,
    )
    cases["R3"] = _report(lights, kauman, alice, wib(2026, 5, 4), date(2026, 5, 7))
    cases["R4"] = _report(lights, kauman, alice, wib(2026, 5, 4), date(2026, 5, 7), status=Status.REJECTED)
    cases["R5"] = _report(
        roads,
        sentul,
        personas.bob,
        wib(2026, 4, 6),
        date(2026, 4, 9),
        answered=wib(2026, 4, 7),
        status=Status.RESOLVED,
        privacy=Privacy.CONFIDENTIAL,
    )
    cases["R0"] = _report(
        lights,
        kauman,
        alice,
        wib(2025, 12, 1),
        date(2025, 12, 4),
        answered=wib(2025, 12, 2),
        status=Status.RESOLVED,
    )

    for name, submitted, decided, answer_due in [
        ("P1", wib(2026, 3, 2), wib(2026, 3, 5), date(2026, 3, 13)),
        ("P2", wib(2026, 3, 2), wib(2026, 3, 20), date(2026, 3, 13)),
        ("P3", wib(2026, 6, 10), None, None),
    ]:
        case = _case(
            Kind.INFORMATION,
            dukcapil,
            None,
            submitted,
            date(2026, 3, 13),
            status=Status.RESOLVED if decided else Status.SUBMITTED,
            resolved=decided,
            title="Data penduduk untuk Alice Wulandari 3572034506900001",  # her own words
            citizen=alice,
        )
        InformationRequest.objects.create(
            case=case,
            requester=alice,
            information="Data penduduk",
            purpose="Penelitian",
            obtain="electronic",
            submission_key=name,
            decision="granted" if decided else "",
            decided_at=decided,
            answer_due=answer_due,
        )
        cases[name] = case

    hotspots = [
        Hotspot.objects.create(
            code=f"KMN-{n}", name=f"Balai RW 0{n}", kelurahan=kauman, lat=-8.0953, lon=112.1612
        )
        for n in (1, 2)
    ]
    Incident.objects.create(hotspot=hotspots[0], started_at=wib(2026, 2, 1, 0), ended_at=wib(2026, 2, 2, 0))

    def dataset(
        name, *, published_at, frequency="tahunan", modified_at=None, status="published", private=False
    ):
        Dataset.objects.create(
            name=name,
            title=name.title(),
            agency=dukcapil,
            frequency=frequency,
            status=status,
            private=private,
            published_at=published_at,
            modified_at=modified_at or published_at or NOW,
        )

    dataset("penduduk-2025", published_at=wib(2025, 5, 1), modified_at=NOW - timedelta(days=30))
    dataset(
        "kelahiran-bulanan",
        published_at=wib(2026, 1, 5),
        frequency="bulanan",
        modified_at=NOW - timedelta(days=100),
    )
    dataset("sekolah", published_at=wib(2026, 2, 1), modified_at=NOW - timedelta(days=10))
    dataset("draf", published_at=None, status="draft")
    dataset("terbatas", published_at=wib(2026, 2, 1), private=True)
    return World(kauman=kauman, sentul=sentul, services=services, cases=cases, hotspots=hotspots)
