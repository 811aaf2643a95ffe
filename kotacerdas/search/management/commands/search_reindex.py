from django.core.management.base import BaseCommand

from kotacerdas.search.actions import reindex


class Command(BaseCommand):
    help = "Rebuild the site-wide search index from every module's public items."

    def handle(self, *args, **options):
        counts = reindex()
        summary = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
        self.stdout.write(summary or "nothing registered")
