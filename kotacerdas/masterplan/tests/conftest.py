"""A small masterplan: Bappeda with a planner, and one public programme led by
Dispendukcapil (the personas' agency) with an output and an outcome indicator, targets for
2025–2027, plus a draft programme that must stay out of public view."""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kotacerdas.accounts.models import User
from kotacerdas.agencies.models import Agency
from kotacerdas.conftest import make_staff
from kotacerdas.lib.pdf import PdfPage, render_pdf
from kotacerdas.masterplan.actions import masterplan_load_reference
from kotacerdas.masterplan.models import Dimension, Indicator, Plan, Programme, SubDimension, Target


@dataclass
class Masterplan:
    bappeda: Agency
    planner: User
    programme: Programme
    output: Indicator  # KTP-el printed on the day, higher is better
    outcome: Indicator  # queue time, lower is better
    draft: Programme


def make_programme(
    code: str,
    lead: Agency,
    *,
    dimension: str = "governance",
    status: str = "ongoing",
    start: int = 2025,
    end: int = 2027,
    horizon: str = "short",
    name: str = "",
) -> Programme:
    dim = Dimension.objects.get(code=dimension)
    return Programme.objects.create(
        code=code,
        name=name or f"Program {code}",
        dimension=dim,
        subdimension=SubDimension.objects.get(dimension=dim, number=1),
        lead_agency=lead,
        horizon=horizon,
        start_year=start,
        end_year=end,
        status=status,
        budget_source="APBD",
        budget_amount=Decimal(500_000_000),
    )


def make_indicator(
    programme: Programme,
    name: str,
    targets: dict[int, str],
    *,
    kind: str = "output",
    unit: str = "%",
    direction: str = "up",
    metric: str = "",
) -> Indicator:
    indicator = Indicator.objects.create(
        programme=programme,
        kind=kind,
        name=name,
        unit=unit,
        baseline=Decimal(10),
        baseline_year=2024,
        direction=direction,
        agency=programme.lead_agency,
        metric=metric,
    )
    Target.objects.bulk_create(
        Target(indicator=indicator, year=y, value=Decimal(v)) for y, v in targets.items()
    )
    return indicator


@pytest.fixture
def masterplan(personas) -> Masterplan:
    masterplan_load_reference()
    bappeda = Agency.objects.create(
        code="bappeda", short_name="Bappeda", name="Badan Perencanaan Pembangunan Daerah", kind="badan"
    )
    planner = make_staff("Bima Bappeda", "bima@bappeda.test", bappeda, "verifikator")
    Plan.objects.create(
        title="Masterplan Uji 2025–2027",
        start_year=2025,
        end_year=2027,
        vision="Kota yang melayani dari rumah.",
        mission="Satu\nDua",
    )
    programme = make_programme("ktp-sehari", personas.dukcapil, name="KTP-el jadi sehari")
    output = make_indicator(
        programme, "KTP-el terbit di hari yang sama", {2025: "50", 2026: "80", 2027: "90"}
    )
    outcome = make_indicator(
        programme,
        "Waktu antre di loket",
        {2025: "30", 2026: "20", 2027: "15"},
        kind="outcome",
        unit="menit",
        direction="down",
    )
    draft = make_programme("rahasia-draf", personas.dukcapil, status="draft", name="Program draf tersembunyi")
    make_indicator(draft, "Indikator draf tersembunyi", {2026: "10"})
    return Masterplan(bappeda, planner, programme, output, outcome, draft)


def pdf_upload(name: str = "berita-acara.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, render_pdf(PdfPage(title="Berita acara", paragraphs=["Bukti."])), content_type="application/pdf"
    )


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
