from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.search.actions import reindex


@db_periodic_task(crontab(minute="23"))
def search_reindex_unhooked() -> dict[str, int]:
    """Services and reports do not tell the index when they change (an admin edit, a report's
    new status); every hour their entries are rebuilt. The other modules keep theirs in step
    from their own actions."""
    return reindex(["service", "report"])


@db_periodic_task(crontab(minute="41", hour="2"))
def search_reindex() -> dict[str, int]:
    """Nightly, everything: catches what no action announced, such as a news item scheduled
    for a later time, whose time has come."""
    return reindex()
