"""Fill a database with open data for benchmarks/opendata.py.

    DATABASE_URL=... KOTACERDAS_DATA_DIR=... .venv/bin/python benchmarks/generate_opendata.py \
        [--datasets 10000] [--resources 30000] [--rows 1000000]

Uses whatever database the environment points at: migrates it, runs `kotacerdas seed`
(agencies and the six smart-city topics), then bulk-creates published datasets spread over
every agency, with tags from a vocabulary of a few hundred words, one to three topics, and
resources (three per dataset on average: CSV, XLSX, PDF, JSON and links) as metadata only.
`search_text` and `formats` are filled the way kotacerdas.opendata.actions.reindex fills them.
About 5% of datasets are drafts and 3% private, so the visibility filter has work to do.

Then one dataset gets a CSV resource of N rows (kelurahan, year, sex, age group, count with
Indonesian thousands separators, date, lat/lon) loaded into the datastore by the real loader
(kotacerdas.opendata.datastore.load.load_table), timed. Running it again does nothing.
"""

import argparse
import csv
import hashlib
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import setup_django  # noqa: E402

BATCH = 2_000
BIG_DATASET = "benchmark-penduduk-menurut-umur"
WORDS = [
    "penduduk", "kelurahan", "kecamatan", "sekolah", "siswa", "guru", "puskesmas", "pasien",
    "imunisasi", "balita", "stunting", "jalan", "jembatan", "drainase", "sampah", "air", "bersih",
    "pdam", "listrik", "lampu", "pju", "wifi", "internet", "rt", "rw", "umkm", "koperasi", "pasar",
    "harga", "beras", "cabai", "telur", "anggaran", "realisasi", "pendapatan", "pajak", "retribusi",
    "parkir", "kendaraan", "angkutan", "terminal", "kecelakaan", "bencana", "banjir", "kebakaran",
    "taman", "ruang", "terbuka", "hijau", "pariwisata", "hotel", "museum", "budaya", "olahraga",
    "perpustakaan", "pengunjung", "kemiskinan", "bansos", "pkh", "disabilitas", "lansia", "kelahiran",
    "kematian", "perkawinan", "perceraian", "pindah", "datang", "akta", "ktp", "kk", "tenaga", "kerja",
    "pengangguran", "pelatihan", "investasi", "izin", "usaha", "nib", "pelayanan", "ikm", "pengaduan",
    "lapor", "ppid", "informasi", "statistik", "sektoral",
]


def _words(rng: random.Random, n: int) -> list[str]:
    return rng.sample(WORDS, n)


def generate(datasets: int, resources: int, rows: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from kotacerdas.agencies.models import Agency
    from kotacerdas.opendata.models import Dataset, Resource, Tag, Topic

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed")
    rng = random.Random(seed)
    agencies = list(Agency.objects.all())
    topics = list(Topic.objects.all())
    tags = {t.name: t for t in Tag.objects.all()}
    for word in WORDS:
        if word not in tags:
            tags[word] = Tag.objects.create(name=word)
    tag_list = list(tags.values())

    have = Dataset.objects.exclude(name=BIG_DATASET).count()
    started = time.perf_counter()
    per_dataset = resources / max(datasets, 1)
    now = datetime.now(UTC)
    formats = ["CSV", "CSV", "XLSX", "PDF", "JSON", "GeoJSON", ""]
    made = have
    while made < datasets:
        batch = min(BATCH, datasets - made)
        rows_ds, rows_res, rows_tags, rows_topics = [], [], [], []
        for i in range(made, made + batch):
            agency = rng.choice(agencies)
            title_words = _words(rng, 4)
            title = " ".join(title_words).title() + f" Kota Blitar {2020 + i % 6}"
            notes = "Data " + " ".join(_words(rng, 25)) + "."
            chosen_tags = rng.sample(tag_list, rng.randint(2, 5))
            chosen_topics = rng.sample(topics, rng.randint(1, 2))
            modified = now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
            status = Dataset.Status.DRAFT if rng.random() < 0.05 else Dataset.Status.PUBLISHED
            dataset = Dataset(
                id=uuid.uuid4(), name=f"benchmark-{i:06d}-{'-'.join(title_words[:2])}", title=title,
                notes=notes,
                agency=agency, license_id=rng.choice(["cc-by", "cc-by", "cc-by-sa", "odc-odbl", "cc-zero"]),
                frequency=rng.choice(["tahunan", "bulanan", "triwulanan"]), unit="jiwa", region_code="35.72",
                status=status, private=rng.random() < 0.03, is_demo=True, created_at=modified,
                modified_at=modified, published_at=modified if status == Dataset.Status.PUBLISHED else None,
            )
            n_res = max(1, round(rng.gauss(per_dataset, 1)))
            res_formats = set()
            names = []
            for position in range(n_res):
                fmt = rng.choice(formats)
                res_formats.add(fmt)
                name = f"{' '.join(_words(rng, 2)).title()} {2020 + position}"
                names.append(name)
                upload = fmt in ("CSV", "XLSX", "PDF")
                rows_res.append(Resource(
                    id=uuid.uuid4(), dataset_id=dataset.id, position=position, name=name, format=fmt,
                    url="" if upload else f"https://data.example.go.id/{dataset.name}/{position}",
                    filename=f"{dataset.name}-{position}.{fmt.lower()}" if upload else "",
                    size=rng.randint(2_000, 5_000_000) if upload else None,
                    hash=f"sha256:{hashlib.sha256(name.encode()).hexdigest()}" if upload else "",
                    created_at=modified, modified_at=modified,
                ))
            parts = [dataset.name, title, notes, agency.name, agency.short_name, dataset.unit]
            parts += [t.name for t in chosen_tags] + names
            parts += [f"{t.title} {t.title_en}" for t in chosen_topics]
            dataset.search_text = " ".join(parts).lower()
            dataset.formats = ",".join(sorted(f for f in res_formats if f))
            rows_ds.append(dataset)
            rows_tags += [Dataset.tags.through(dataset_id=dataset.id, tag_id=t.id) for t in chosen_tags]
            rows_topics += [Dataset.topics.through(dataset_id=dataset.id, topic_id=t.id)
                            for t in chosen_topics]
        with transaction.atomic():
            Dataset.objects.bulk_create(rows_ds)
            Resource.objects.bulk_create(rows_res)
            Dataset.tags.through.objects.bulk_create(rows_tags)
            Dataset.topics.through.objects.bulk_create(rows_topics)
        made += batch
        print(f"  {made:,} datasets, {Resource.objects.count():,} resources", flush=True)
    if made > have:
        print(f"datasets: {made - have:,} added in {time.perf_counter() - started:.1f} s")
    big_table(rows, rng)


def big_csv(path: Path, rows: int, rng: random.Random) -> None:
    from kotacerdas.regions.models import Region

    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).values_list("name", flat=True))
    groups = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
    start = date(2020, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["kelurahan", "tahun", "jenis_kelamin", "kelompok_umur", "jumlah", "tanggal_data",
                         "lat", "lon", "keterangan"])
        for i in range(rows):
            count = rng.randint(0, 25_000)
            writer.writerow([
                rng.choice(kelurahan), 2020 + i % 6, rng.choice(["Laki-laki", "Perempuan"]),
                rng.choice(groups),
                f"{count:,}".replace(",", "."), (start + timedelta(days=i % 2000)).isoformat(),
                f"{-8.12 + rng.random() * 0.06:.6f}", f"{112.14 + rng.random() * 0.05:.6f}",
                " ".join(rng.sample(WORDS, 3)),
            ])


def big_table(rows: int, rng: random.Random) -> None:
    from django.core.files import File
    from django.db import transaction

    from kotacerdas.agencies.models import Agency
    from kotacerdas.opendata.datastore.load import load_table
    from kotacerdas.opendata.models import Dataset, Resource, ResourceVersion

    if Resource.objects.filter(dataset__name=BIG_DATASET, load_status=Resource.Load.DONE).exists():
        return
    path = Path(tempfile.gettempdir()) / f"kcbench-opendata-{rows}.csv"
    if not path.exists():
        big_csv(path, rows, rng)
    size = path.stat().st_size
    agency = Agency.objects.get(code="dispendukcapil")
    dataset, _ = Dataset.objects.get_or_create(
        name=BIG_DATASET,
        defaults={"title": "Penduduk menurut Kelurahan, Jenis Kelamin dan Kelompok Umur (benchmark)",
                  "agency": agency, "status": Dataset.Status.PUBLISHED, "is_demo": True,
                  "search_text": "penduduk kelurahan jenis kelamin kelompok umur benchmark",
                  "formats": "CSV"},
    )
    resource, _ = Resource.objects.get_or_create(dataset=dataset, name="Penduduk per kelurahan",
                                                 defaults={"format": "CSV"})
    if not resource.versions.exists():
        with path.open("rb") as handle:
            version = ResourceVersion(resource=resource, number=1, original_name=path.name, size=size,
                                      hash="sha256:benchmark")
            version.file.save(path.name, File(handle), save=True)
    started = time.perf_counter()
    with transaction.atomic():
        result = load_table(resource, path, format="CSV")
        resource.load_status = Resource.Load.DONE
        resource.row_count = result.row_count
        resource.filename = path.name
        resource.size = size
        resource.save()
    seconds = time.perf_counter() - started
    print(f"datastore: {result.row_count:,} rows ({size / 1e6:.0f} MB CSV) loaded in {seconds:.1f} s, "
          f"{len(result.problems)} problems; resource {resource.pk}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=30_000)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the one datastore table")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup_django()
    generate(args.datasets, args.resources, args.rows, args.seed)


if __name__ == "__main__":
    main()
