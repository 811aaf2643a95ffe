import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Set up and run everything locally: migrate, seed when new, web server and worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options):
        if not os.environ.get("SITE_URL"):
            # Links in messages, QR codes and the demo Wi-Fi points' probes name the address
            # this run serves at, whatever --port says; the web server and worker inherit it.
            os.environ["SITE_URL"] = settings.SITE_URL = f"http://{host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        # Loading is idempotent, so every start prints the demo logins again.
        call_command("seed", demo=True)
        command = [sys.executable, "-m", "kotacerdas"]
        processes = [
            subprocess.Popen([*command, "serve", "--host", host, "--port", str(port)]),  # noqa: S603
            subprocess.Popen([*command, "worker"]),  # noqa: S603
        ]
        self.stdout.write(self.style.SUCCESS(
            f"kotacerdas is running at http://{host}:{port}/ (data in {settings.DATA_DIR}). Ctrl-C stops it."
        ))
        if not self._wait(processes):
            raise CommandError(
                f"The web server or the worker stopped on its own (is port {port} in use? "
                f"try: kotacerdas up --port {port + 1}). See the messages above."
            )

    def _wait(self, processes: list[subprocess.Popen]) -> bool:
        """Run until Ctrl-C (True) or until a process dies by itself (False)."""
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
        return stopping
