"""HTTP gateways for SMS and WhatsApp, configured the way Indonesian providers work:
a URL, a bearer token and a JSON payload template with {to}, {message} and {reference}."""

import json
import re
import urllib.request
from typing import Any

from django.conf import settings

_PLACEHOLDER = re.compile(r"\{(to|message|reference)\}")


class GatewayError(RuntimeError):
    pass


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(item, values) for item in template]
    if isinstance(template, str):
        # One pass, so a value that itself contains "{reference}" (a resident's text) stays as is.
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    return template


def build_payload(template: str, *, to: str, message: str, reference: str) -> bytes:
    values = {"to": to, "message": message, "reference": reference}
    return json.dumps(_fill(json.loads(template), values)).encode()


def write_local(*, channel: str, to: str, message: str, reference: str) -> None:
    """Local runs without a gateway keep each message as a file, like the e-mail backend."""
    folder = settings.DATA_DIR / "sent-messages"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{channel}-{reference}.txt").write_text(f"To: {to}\n\n{message}\n")


def post(*, url: str, token: str, template: str, to: str, message: str, reference: str) -> None:
    if not url:
        raise GatewayError("gateway URL is not configured")
    if not url.startswith(("https://", "http://")):
        raise GatewayError("gateway URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=build_payload(template, to=to, message=message, reference=reference),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
        if response.status >= 300:
            raise GatewayError(f"gateway answered {response.status}")


def send(message, *, text: str) -> None:
    """Send through the gateway configured as <CHANNEL>_GATEWAY_URL/_TOKEN/_PAYLOAD."""
    prefix = message.channel.upper()
    url = getattr(settings, f"{prefix}_GATEWAY_URL")
    if not url and not settings.PRODUCTION:
        write_local(channel=message.channel, to=message.to, message=text, reference=str(message.id))
        return
    post(
        url=url,
        token=getattr(settings, f"{prefix}_GATEWAY_TOKEN"),
        template=getattr(settings, f"{prefix}_GATEWAY_PAYLOAD"),
        to=message.to,
        message=text,
        reference=str(message.id),
    )
