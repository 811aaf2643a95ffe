import time

from django.core.management.base import BaseCommand

from kotacerdas.dashboard.actions import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute every rollup of the executive dashboard and the transparency page."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        rollups = rollups_rebuild()
        self.stdout.write(f"{len(rollups)} rollups in {time.monotonic() - started:.1f} s")
