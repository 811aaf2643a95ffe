import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) in the foreground. No migrations."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args, host: str, port: int, workers: int, **options):
        # Fail at start, with the reason, rather than serve a half-configured site.
        call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable, "-m", "gunicorn", "kotacerdas.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--access-logformat", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
            "--graceful-timeout", "20",
            # Gunicorn's control socket is one per user by default: two servers would share it.
            "--no-control-socket",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
