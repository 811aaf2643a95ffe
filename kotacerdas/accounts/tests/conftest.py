import re

import pytest

from kotacerdas.notifications.models import Message


def _code_in(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, f"no six-digit code in {text!r}"
    return match.group(1)


@pytest.fixture
def read_code():
    """Read the six-digit code out of a message text, the way a resident does."""
    return _code_in


@pytest.fixture
def sent_code():
    """The code in the newest outbox message of a template to a user (any channel)."""

    def read(user, template: str = "verification_code") -> str:
        message = Message.objects.filter(user=user, template=template).order_by("-created_at").first()
        assert message is not None, f"no {template} message for {user}"
        return _code_in(message.body)

    return read
