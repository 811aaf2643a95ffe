from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.wifi.radius.actions import sessions_import, sessions_import_csv, usage_rollup
from kotacerdas.wifi.radius.importer import SourceError, database_rows


class Command(BaseCommand):
    help = ("Import FreeRADIUS radacct sessions (a CSV export with a header row, or a radacct table in "
            "PostgreSQL or SQLite), hashing user names and MACs, then roll up the days touched.")

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--csv", type=Path, help="e.g. from: \\copy radacct to 'f.csv' csv header")
        source.add_argument("--database-url", help="postgres://user@host/radius or sqlite:////path/radius.db")
        parser.add_argument("--table", default="radacct", help="radacct table name (default: radacct)")
        parser.add_argument("--batch-size", type=int, default=5000,
                            help="rows per transaction from a database (default: 5000)")
        parser.add_argument("--workers", type=int, default=None,
                            help="processes parsing a CSV beside this one (default: one per CPU but one)")

    def handle(self, *args, csv: Path | None, database_url: str | None, table: str, batch_size: int,
               workers: int | None, **options):
        if workers is not None and workers < 0:
            raise CommandError("--workers must be 0 or more")
        try:
            if csv is not None:
                if not csv.is_file():
                    raise CommandError(f"No such file: {csv}")
                summary = sessions_import_csv(csv, workers=workers)
            else:
                rows = database_rows(database_url or "", table=table)
                summary = sessions_import(rows, batch_size=batch_size)
        except SourceError as problem:
            raise CommandError(str(problem)) from None
        for line, message in summary.errors:
            self.stderr.write(f"{'line' if csv else 'row'} {line}: {message}")
        rollups = sum(usage_rollup(day=day) for day in sorted(summary.days))
        self.stdout.write(
            f"{summary.rows} rows read, {summary.saved} sessions saved, {summary.bad} bad, "
            f"{len(summary.days)} days rolled up ({rollups} usage rows) "
            f"in {summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s)"
        )
