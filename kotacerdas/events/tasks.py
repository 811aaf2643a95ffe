from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kotacerdas.events.actions import reminders_send_due


@db_periodic_task(crontab(minute="17", hour="*"))
def remind() -> int:
    return reminders_send_due()
