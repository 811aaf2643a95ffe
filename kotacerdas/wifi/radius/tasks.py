"""The worker's share of RADIUS accounting. Huey finds tasks modules per app only, so
kotacerdas/wifi/tasks.py imports this one."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.wifi.radius.actions import sessions_close_stale, sessions_prune, usage_rollup_recent


@db_periodic_task(crontab(minute="*/15"))
def wifi_usage_rollup() -> int:
    return usage_rollup_recent()


@db_periodic_task(crontab(minute="47", hour="2"))
def wifi_sessions_prune() -> int:
    # Stale sessions closed and today's figures current before old sessions go; the prune
    # itself rolls up any day about to lose sessions that was never rolled up.
    sessions_close_stale()
    usage_rollup_recent()
    return sessions_prune()
