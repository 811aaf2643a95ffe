import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kotacerdas.regions.models import Region


class Command(BaseCommand):
    help = "Set up and run everything locally: migrate, seed when new, web server and worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not Region.objects.exists():
            call_command("seed", demo=True)
        else:
            self.stdout.write("database already set up; demo logins: see README.md")
        command = [sys.executable, "-m", "kotacerdas"]
        processes = [
            subprocess.Popen([*command, "serve", "--host", host, "--port", str(port)]),  # noqa: S603
            subprocess.Popen([*command, "worker"]),  # noqa: S603
        ]
        self.stdout.write(self.style.SUCCESS(
            f"kotacerdas is running at http://{host}:{port}/ (data in {settings.DATA_DIR}). Ctrl-C stops it."
        ))
        self._wait(processes)

    def _wait(self, processes: list[subprocess.Popen]) -> None:
        stopping = False

        def stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()
        self.stdout.write("stopped.")
