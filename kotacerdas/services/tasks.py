from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.services.actions import uploads_purge


@db_periodic_task(crontab(minute="17", hour="2"))
def purge_uploads() -> tuple[int, int]:
    return uploads_purge()
