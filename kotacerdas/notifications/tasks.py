from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kotacerdas.notifications.actions import message_deliver, messages_deliver_due


@db_task(retries=0)
def deliver(message_id: str) -> bool:
    return message_deliver(message_id)


@db_periodic_task(crontab(minute="*"))
def deliver_due() -> int:
    # Catches what the on-commit enqueue missed: a lost task, a retry whose backoff ran
    # out, or a message whose worker was killed mid-send.
    return messages_deliver_due()
