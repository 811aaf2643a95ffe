from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.reports.actions import reports_autoclose


@db_periodic_task(crontab(minute="7", hour="*"))
def autoclose() -> int:
    return reports_autoclose()
