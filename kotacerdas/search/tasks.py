from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.search.actions import reindex


@db_periodic_task(crontab(minute="*/15"))
def search_reindex() -> dict[str, int]:
    """Catch what a module changed without telling the index (an admin edit, a scheduled
    news item whose time came)."""
    return reindex()
