from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task consumer (notifications, sweeps)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args, workers=None, **options):
        extra = ["--workers", str(workers)] if workers else []
        # --flush-locks: a task lock left by a worker that was killed (SQLite storage cannot
        # expire it) would otherwise stop that task, e.g. the Wi-Fi probe round, for good.
        call_command("run_huey", "--flush-locks", *extra)
