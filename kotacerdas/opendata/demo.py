"""Demo datasets for `kotacerdas seed --demo`, published through the real workflow (a producer
drafts, the Walidata approves) so the demo shows what the portal does. Every dataset is
marked `is_demo`. The tables come from the reference data and from the platform's own demo
figures; nothing is invented beyond the demo cases themselves."""

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.agencies.models import Agency
from kotacerdas.opendata import actions
from kotacerdas.opendata.models import Dataset, Topic
from kotacerdas.regions.models import Region

DATA = Path(settings.BASE_DIR) / "data"


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _centroid(geometry: dict) -> tuple[float, float]:
    """The mean of the outer ring's vertices: good enough to put a marker inside a kelurahan."""
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else geometry["coordinates"][0]
    ring = rings[0]
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    return round(lat, 6), round(lon, 6)


def kelurahan_table() -> bytes:
    shapes = {
        feature["properties"]["kode"]: feature["geometry"]
        for feature in json.loads((DATA / "blitar_wilayah.geojson").read_text())["features"]
    }
    rows = []
    kelurahan_rows = Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent")
    for kelurahan in kelurahan_rows.order_by("code"):
        lat, lon = _centroid(shapes[kelurahan.code]) if kelurahan.code in shapes else (None, None)
        kecamatan = kelurahan.parent.name if kelurahan.parent else ""
        rows.append([kecamatan, kelurahan.name, kelurahan.code, kelurahan.postcode, lat, lon])
    return _csv(["kecamatan", "kelurahan", "kode_wilayah", "kode_pos", "lat", "lon"], rows)


def dimensions_table() -> bytes:
    with (DATA / "smart_city_dimensions.csv").open(encoding="utf-8") as handle:
        rows = [[r["dimensi"], r["sub_dimensi_no"], r["sub_dimensi"], r["sub_dimensi_en"]]
                for r in csv.DictReader(handle)]
    return _csv(["dimensi", "nomor", "sub_dimensi", "sub_dimensi_en"], rows)


def skm_table() -> bytes:
    from kotacerdas.services.queries import figures_by_agency

    year = timezone.localdate().year
    rows = []
    for agency, figures in figures_by_agency(year):
        ikm = figures.ikm
        rows.append([year, agency.name, figures.applications, figures.finished,
                     ikm.respondents if ikm else 0, f"{ikm.converted:.2f}".replace(".", ",") if ikm else "",
                     ikm.grade if ikm else ""])
    return _csv(["tahun", "perangkat_daerah", "permohonan", "selesai", "responden_skm", "ikm", "mutu"], rows)


def reports_table() -> bytes:
    from kotacerdas.reports.queries import figures

    year = timezone.localdate().year
    result = figures(year=year)
    return _csv(["tahun", "kategori", "jumlah_laporan"], [[year, name, n] for name, n in result.by_category])


DEMO: list[dict[str, Any]] = [
    {
        "agency": "dispendukcapil", "name": "daftar-kelurahan-kota-blitar",
        "title": "Daftar Kelurahan Kota Blitar dengan Kode Wilayah dan Kode Pos",
        "notes": "Tiga kecamatan dan 21 kelurahan Kota Blitar dengan kode wilayah Kemendagri, kode pos, "
                 "dan titik tengah kelurahan untuk peta.",
        "tags": ["wilayah", "kelurahan", "kode wilayah"], "topics": ["smart-governance"],
        "unit": "kelurahan", "concept": "Wilayah administrasi pemerintahan",
        "definition": "Kelurahan adalah wilayah kerja lurah sebagai perangkat daerah di bawah kecamatan.",
        "classification": "Kecamatan, kelurahan",
        "source": "Kemendagri (kode wilayah), data acuan kotacerdas",
        "frequency": "tidak_tentu", "table": kelurahan_table, "file": "kelurahan-kota-blitar.csv",
    },
    {
        "agency": "bappeda", "name": "dimensi-kota-cerdas",
        "title": "Dimensi dan Sub-dimensi Kota Cerdas (Gerakan Menuju Smart City)",
        "notes": "Enam dimensi kota cerdas dan tiga sub-dimensi masing-masing, kerangka masterplan "
                 "kota cerdas Kota Blitar bersama Kominfo.",
        "tags": ["smart city", "masterplan"], "topics": ["smart-governance"],
        "unit": "sub-dimensi", "source": "Kementerian Kominfo, Gerakan Menuju 100 Smart City",
        "frequency": "tidak_tentu", "table": dimensions_table, "file": "dimensi-kota-cerdas.csv",
    },
    {
        "agency": "diskominfotik", "name": "indeks-kepuasan-masyarakat-per-opd",
        "title": "Indeks Kepuasan Masyarakat (IKM) Layanan Daring per Perangkat Daerah",
        "notes": "Hasil Survei Kepuasan Masyarakat (PermenPANRB 14/2017) atas layanan yang diajukan "
                 "lewat kotacerdas, dihitung dari jawaban warga tahun berjalan.",
        "tags": ["skm", "ikm", "pelayanan publik"], "topics": ["smart-governance"],
        "unit": "nilai IKM (25–100)", "measure": "Rata-rata tertimbang sembilan unsur SKM dikali 25",
        "source": "kotacerdas, modul layanan publik", "frequency": "bulanan",
        "table": skm_table, "file": "ikm-per-opd.csv",
    },
    {
        "agency": "diskominfotik", "name": "pengaduan-warga-per-kategori",
        "title": "Jumlah Pengaduan Warga per Kategori",
        "notes": "Laporan warga tentang masalah kota yang masuk lewat kotacerdas, per kategori, "
                 "tahun berjalan.",
        "tags": ["pengaduan", "sp4n-lapor"], "topics": ["smart-living", "smart-governance"],
        "unit": "laporan", "source": "kotacerdas, modul pengaduan", "frequency": "bulanan",
        "table": reports_table, "file": "pengaduan-per-kategori.csv",
    },
]


def demo_datasets(producer_for: Callable[[Agency], User], walidata: User) -> int:
    """Publish the demo datasets that are not there yet; returns how many were added."""
    actions.topics_load_reference()
    added = 0
    for spec in DEMO:
        if Dataset.objects.filter(name=spec["name"]).exists():
            continue
        agency = Agency.objects.get(code=spec["agency"])
        producer = producer_for(agency)
        extra = {k: spec[k] for k in ("unit", "concept", "definition", "classification", "source", "measure",
                                      "frequency") if k in spec}
        dataset = actions.dataset_create(
            actor=producer, agency=agency, name=spec["name"], title=spec["title"], notes=spec["notes"],
            tags=spec["tags"], topics=list(Topic.objects.filter(name__in=spec["topics"])), is_demo=True,
            license_id="cc-by", region_code="35.72", contact_name=agency.name,
            period_start=date(timezone.localdate().year, 1, 1), **extra,
        )
        upload = SimpleUploadedFile(spec["file"], spec["table"](), content_type="text/csv")
        resource = actions.resource_add(actor=producer, dataset=dataset, name=spec["title"], upload=upload)
        actions.resource_load(resource_id=resource.pk)
        actions.dataset_submit(actor=producer, dataset=dataset, text="Data demo")
        actions.dataset_approve(actor=walidata, dataset=dataset, text="Data demo diterbitkan")
        added += 1
    return added
