"""Load a ~100 MB CSV into the datastore, then time datastore_search on it.

    .venv/bin/python benchmarks/datastore_load.py [--rows 1000000] [--calls 200]

SQLite by default, in its own data directory (KOTACERDAS_DATA_DIR, default
/tmp/kcbench-datastore), so the development database is not touched; PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kcbench (createdb kcbench first).

The CSV is what an OPD exports from Indonesian Excel: ";" delimiter, "1.234" thousands,
"12,5%" percentages, "Rp 1.500.000" amounts, dd/mm/yyyy dates, comma-decimal coordinates.
It is written once to /tmp and reused. Goals (issue 5): the load under 60 s without holding
the file in memory, and search p95 under 100 ms on the 1,000,000-row table, timed here as
direct function calls (the HTTP benchmark is separate).
"""

import argparse
import os
import random
import resource
import shlex
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KOTACERDAS_DATA_DIR", "/tmp/kcbench-datastore")  # noqa: S108 - benchmark scratch
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")

KELURAHAN = {
    "Kepanjenkidul": ["Bendo", "Kauman", "Kepanjenkidul", "Kepanjenlor", "Ngadirejo", "Sentul", "Tanggung"],
    "Sananwetan": ["Bendogerit", "Gedog", "Karangtengah", "Klampok", "Plosokerep", "Rembang", "Sananwetan"],
    "Sukorejo": ["Blitar", "Karangsari", "Pakunden", "Sukorejo", "Tanjungsari", "Tlumpu", "Turi"],
}
AGES = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
        "55-59", "60-64", "65+"]
NOTES = ["", "", "", "data sementara", "hasil verifikasi lapangan", "revisi triwulan", "-"]
HEADER = ("kelurahan;kecamatan;tahun;jenis kelamin;kelompok umur;jumlah;anggaran;persentase;tanggal;"
          "lat;lon;keterangan\n")


def indonesian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def generate(path: Path, rows: int) -> None:
    rng = random.Random(5)
    places = [(kel, kec) for kec, kels in KELURAHAN.items() for kel in kels]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for _n in range(rows):
            kel, kec = rng.choice(places)
            year = rng.randint(2019, 2024)
            percent = f"{rng.randint(0, 1000) / 10:.1f}".replace(".", ",")
            lines.append(
                f"{kel};{kec};{year};{rng.choice(('Laki-laki', 'Perempuan'))};{rng.choice(AGES)};"
                f"{indonesian(rng.randint(0, 25000))};Rp {indonesian(rng.randint(1, 5000) * 1000)};"
                f"{percent}%;{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year};"
                f"-8,{rng.randint(60000, 120000):06d};112,{rng.randint(140000, 190000):06d};"
                f"{rng.choice(NOTES)}\n"
            )
            if len(lines) >= 10000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--csv", type=Path, default=None, help="default /tmp/kc-datastore-<rows>.csv")
    parser.add_argument("--skip-load", action="store_true", help="search the table loaded last time")
    args = parser.parse_args()
    path = args.csv or Path(f"/tmp/kc-datastore-{args.rows}.csv")  # noqa: S108 - benchmark scratch

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kotacerdas.agencies.models import Agency
    from kotacerdas.opendata.datastore.load import load_table
    from kotacerdas.opendata.datastore.query import search
    from kotacerdas.opendata.models import Dataset, Resource

    Path(os.environ["KOTACERDAS_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])
    database = connection.settings_dict["NAME"]
    print(f"command: {command}")
    print(f"database: {connection.vendor} {database}")

    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    size = path.stat().st_size
    print(f"file: {path} {size / 1e6:.1f} MB")

    agency, _created = Agency.objects.get_or_create(
        code="bench-datastore", defaults={"name": "Benchmark", "short_name": "Bench", "kind": "dinas"}
    )
    dataset, _created = Dataset.objects.get_or_create(
        name="bench-datastore", defaults={"title": "Benchmark datastore", "agency": agency}
    )
    res, _created = Resource.objects.get_or_create(
        dataset=dataset, name="penduduk", defaults={"format": "CSV"}
    )

    if not args.skip_load:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = load_table(res, path, format="CSV")
        seconds = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        res.row_count = result.row_count
        res.load_status = Resource.Load.DONE
        res.save(update_fields=["row_count", "load_status"])
        rate = result.row_count / seconds
        print(f"load: {result.row_count:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s), "
              f"{result.problem_count} problems")
        print(f"types: {', '.join(f'{f.name}={f.type}' for f in result.fields)}")
        print(f"peak RSS: {rss_after / 1024:.0f} MB (before the load {rss_before / 1024:.0f} MB)")

    rng = random.Random(7)
    kelurahan = [kel for kels in KELURAHAN.values() for kel in kels]
    cases = {
        "filters kelurahan+tahun": lambda: search(
            res, filters={"kelurahan": rng.choice(kelurahan), "tahun": rng.randint(2019, 2024)}),
        "filters kelurahan, page 20": lambda: search(
            res, filters={"kelurahan": rng.choice(kelurahan)}, offset=2000),
        "filters + sort jumlah desc": lambda: search(
            res, filters={"kelurahan": rng.choice(kelurahan), "jenis kelamin": "Perempuan"},
            sort="jumlah desc"),
        "q one word": lambda: search(res, q=rng.choice(kelurahan)),
        "q two words": lambda: search(
            res, q=f"{rng.choice(kelurahan)} {rng.choice(['laki', 'perempuan'])}"),
        "q + filter": lambda: search(
            res, q=rng.choice(kelurahan), filters={"tahun": rng.randint(2019, 2024)}),
        "no filter, first page": lambda: search(res),
    }
    print(f"\nsearch, {args.calls} calls each (limit 100, include_total):")
    print(f"{'case':32} {'p50 ms':>8} {'p95 ms':>8} {'total':>9}")
    for name, call in cases.items():
        call()  # warm caches and prepared statements
        samples = []
        total = 0
        for _n in range(args.calls):
            started = time.perf_counter()
            found = call()
            samples.append((time.perf_counter() - started) * 1000)
            total = found["total"]
        print(f"{name:32} {statistics.median(samples):8.1f} {percentile(samples, 0.95):8.1f} {total:9,}")


if __name__ == "__main__":
    main()
