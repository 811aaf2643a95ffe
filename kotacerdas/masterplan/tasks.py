from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.masterplan.actions import realisations_refresh_automatic


@db_periodic_task(crontab(minute="*/15"))
def refresh_automatic() -> int:
    """Indicators that read a live figure follow it within a quarter of an hour."""
    return realisations_refresh_automatic()
