from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kotacerdas.notifications.channels import sender_for
from kotacerdas.notifications.models import Message

# A claimed message is the worker's for this long; a worker killed mid-send frees it when
# the lease runs out, and the retry carries the same reference so the gateway can drop it.
LEASE = timedelta(minutes=5)


def _address(user, channel: str) -> str | None:
    if channel == Message.Channel.EMAIL:
        return user.email
    return user.phone


def channels_for(user) -> list[str]:
    """The user's chosen channels that they have an address for; e-mail or SMS otherwise."""
    chosen = [c for c in (user.channels or []) if c in Message.Channel.values and _address(user, c)]
    if chosen:
        return chosen
    return [Message.Channel.EMAIL] if user.email else [Message.Channel.SMS]


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"notifications/{template}_subject.txt", context)
        body = render_to_string(f"notifications/{template}.txt", context)
    return " ".join(subject.split()), body.strip()


def message_create(
    *,
    user,
    template: str,
    context: dict,
    channels: list[str] | None = None,
    to: str | None = None,
) -> list[Message]:
    """Queue a message to a user in the same transaction as the change that causes it."""
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    subject, body = _render(template, context, user.language or "id")
    messages = []
    for channel in channels or channels_for(user):
        address = to or _address(user, channel)
        if not address:
            continue
        messages.append(
            Message.objects.create(
                user=user, channel=channel, to=address, template=template, subject=subject, body=body
            )
        )
    ids = [m.pk for m in messages]
    transaction.on_commit(lambda: _enqueue(ids))
    return messages


def _enqueue(ids) -> None:
    from kotacerdas.notifications.tasks import deliver

    for pk in ids:
        deliver(str(pk))


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def message_claim(message_id) -> Message | None:
    """Take a message for sending; only one worker can win it (a conditional update)."""
    now = timezone.now()
    due = Q(status=Message.Status.PENDING) | Q(status=Message.Status.SENDING, claimed_until__lt=now)
    won = (
        Message.objects.filter(due, pk=message_id, next_attempt_at__lte=now)
        .update(status=Message.Status.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1)
    )
    return Message.objects.get(pk=message_id) if won else None


def message_deliver(message_id) -> bool:
    """Send one message if it is due. True when it was sent by this call."""
    message = message_claim(message_id)
    if message is None:
        return False
    try:
        sender_for(message.channel)(message)
    except Exception as error:  # noqa: BLE001 - any channel failure is retried, never lost
        _release_after_failure(message, error)
        return False
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def _release_after_failure(message: Message, error: Exception) -> None:
    final = message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.FAILED if final else Message.Status.PENDING,
        next_attempt_at=timezone.now() + _backoff(message.attempts),
        claimed_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def messages_deliver_due(limit: int = 200) -> int:
    """The sweep: send everything due, including messages whose worker died mid-send."""
    now = timezone.now()
    due = Q(status=Message.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Message.Status.SENDING, claimed_until__lt=now
    )
    ids = list(Message.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    return sum(message_deliver(pk) for pk in ids)
