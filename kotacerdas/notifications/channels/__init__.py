"""Delivery channels, one module each. A channel's `send(message)` raises on failure."""

from collections.abc import Callable

from kotacerdas.notifications.channels import email, sms, whatsapp

SENDERS: dict[str, Callable] = {
    "email": email.send,
    "sms": sms.send,
    "whatsapp": whatsapp.send,
}


def sender_for(channel: str) -> Callable:
    return SENDERS[channel]
