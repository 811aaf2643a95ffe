from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task
from huey.exceptions import TaskLockedException

from kotacerdas.dashboard.actions import digests_send, rollups_rebuild, rollups_refresh

# One refresh at a time: with several worker threads a slow refresh would otherwise overlap
# the next. As with the Wi-Fi probe round, a worker killed mid-run leaves the lock until the
# consumer starts with --flush-locks.
ROLLUP_LOCK = "dashboard-rollups"


@db_periodic_task(crontab(minute="*/5"))
def refresh_rollups() -> int:
    try:
        with lock_task(ROLLUP_LOCK):
            return len(rollups_refresh())
    except TaskLockedException:
        return 0


@db_periodic_task(crontab(minute="53", hour="19"))  # 02:53 WIB: huey's crontab reads UTC
def rebuild_rollups() -> int:
    try:
        with lock_task(ROLLUP_LOCK):
            return len(rollups_rebuild())
    except TaskLockedException:
        return 0


# Monday 07:00 WIB is Monday 00:00 UTC. A retry sends only the digests not yet recorded for
# the week (DigestSent), so retrying is safe.
@db_periodic_task(crontab(day_of_week="1", hour="0", minute="0"), retries=3, retry_delay=600)
def weekly_digest() -> int:
    return digests_send()
