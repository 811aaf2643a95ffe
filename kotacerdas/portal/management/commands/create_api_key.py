from django.core.management.base import BaseCommand, CommandError

from kotacerdas.accounts.actions import api_key_create
from kotacerdas.accounts.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key for a partner system; the key is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who the key is for, e.g. 'satudata-jatim'")

    def handle(self, *args, name: str, **options):
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"An API key named {name!r} already exists; choose another name.")
        raw = api_key_create(name=name)
        self.stderr.write(f"API key for {name!r} (store it now, it is not shown again):")
        self.stdout.write(raw)
