from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task
from huey.exceptions import TaskLockedException

from kotacerdas.wifi.monitoring import probe_results_prune, probe_round
from kotacerdas.wifi.radius import tasks as radius_tasks  # noqa: F401 - huey finds them here

# Held while a round runs: with several worker threads, a round slower than a minute would
# otherwise overlap the next and probe every point twice. The lock has no expiry (SQLite
# storage cannot expire keys), so a worker killed mid-round leaves it behind until the
# consumer starts with --flush-locks (`manage.py run_huey -f`).
ROUND_LOCK = "wifi-probe-round"


@db_periodic_task(crontab(minute="*"))
def probe() -> int:
    try:
        with lock_task(ROUND_LOCK):
            return probe_round().probed
    except TaskLockedException:
        return 0


@db_periodic_task(crontab(minute="41", hour="2"))
def prune_probes() -> int:
    return probe_results_prune(days=7)
