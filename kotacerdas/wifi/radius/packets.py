"""One accounting packet, whichever JSON FreeRADIUS's rlm_rest was told to send.

Two shapes arrive: the OpenWISP-style mapping of wifi.md §1.3 (``{"status_type": "Start",
"session_id": ...}``, every value a string from an xlat, "" when the attribute is absent) and
rlm_rest's default body, where keys are attribute names and values are
``{"type": "integer", "value": ["Start"]}``. Both become the same plain dict.
"""

import hashlib
import ipaddress
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from django.utils import timezone as django_timezone

# Acct-Status-Type (RFC 2866 §5.1, RFC 2869 §5.1), by name and by number.
STATUS_TYPES = {
    "start": "Start", "1": "Start",
    "stop": "Stop", "2": "Stop",
    "interim-update": "Interim-Update", "alive": "Interim-Update", "3": "Interim-Update",
    "accounting-on": "Accounting-On", "7": "Accounting-On",
    "accounting-off": "Accounting-Off", "8": "Accounting-Off",
    "failed": "Failed", "15": "Failed",
}

# Packet key -> (OpenWISP JSON key, RADIUS attribute names, lower-cased: FreeRADIUS's
# dictionary is case-insensitive and spells some of them more than one way).
FIELDS = {
    "status_type": ("status_type", ("acct-status-type",)),
    "session_id": ("session_id", ("acct-session-id",)),
    "unique_id": ("unique_id", ("acct-unique-session-id",)),
    "username": ("username", ("user-name",)),
    "nas_ip": ("nas_ip_address", ("nas-ip-address", "nas-ipv6-address")),
    "nas_identifier": ("nas_identifier", ("nas-identifier",)),
    "nas_port_id": ("nas_port_id", ("nas-port-id",)),
    "nas_port": ("nas_port", ("nas-port",)),
    "session_time": ("session_time", ("acct-session-time",)),
    "input_octets": ("input_octets", ("acct-input-octets",)),
    "output_octets": ("output_octets", ("acct-output-octets",)),
    "input_gigawords": ("input_gigawords", ("acct-input-gigawords",)),
    "output_gigawords": ("output_gigawords", ("acct-output-gigawords",)),
    "called_station_id": ("called_station_id", ("called-station-id",)),
    "calling_station_id": ("calling_station_id", ("calling-station-id",)),
    "terminate_cause": ("terminate_cause", ("acct-terminate-cause",)),
    "wispr_location_id": ("wispr_location_id", ("wispr-location-id",)),
    "event_timestamp": ("event_timestamp", ("event-timestamp",)),
    "delay_time": ("delay_time", ("acct-delay-time",)),
}
INTEGERS = frozenset({"session_time", "input_octets", "output_octets", "input_gigawords",
                      "output_gigawords", "delay_time"})
# The widths of the Session columns: longer values are cut rather than fail the INSERT.
WIDTHS = {"session_id": 64, "unique_id": 64, "nas_identifier": 64, "nas_port_id": 32,
          "called_station_id": 64, "terminate_cause": 32, "wispr_location_id": 64}
# FreeRADIUS v3 prints a date attribute as "Nov 29 2026 13:40:00 WIB" (%b %e %Y %H:%M:%S %Z).
ZONES = {"UTC": 0, "GMT": 0, "WIB": 7, "WITA": 8, "WIT": 9}


class PacketError(ValueError):
    """A packet that cannot be accounted; the message is bilingual, for the API's detail."""


def acct_unique(*, username: str, session_id: str, nas_ip: str, nas_identifier: str,
                nas_port_id: str, nas_port: str) -> str:
    """Acct-Unique-Session-Id as FreeRADIUS's ``acct_unique`` policy makes it in preacct
    (raddb/policy.d/accounting, the non-Class branch): the MD5 of User-Name, Acct-Session-Id,
    NAS-IPv6-Address or NAS-IP-Address, NAS-Identifier, NAS-Port-Id and NAS-Port, joined with
    commas, an absent attribute being empty. The same id whether we or FreeRADIUS compute it,
    so live accounting and a radacct import meet on one row."""
    joined = ",".join((username, session_id, nas_ip, nas_identifier, nas_port_id, nas_port))
    return hashlib.md5(joined.encode(), usedforsecurity=False).hexdigest()


def packet_from_json(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise PacketError("Isi permintaan harus objek JSON. / The body must be a JSON object.")
    packet = _from_attributes(data) if _is_rlm_rest(data) else _from_openwisp(data)
    return packet_clean(packet)


def packet_clean(raw: dict[str, Any]) -> dict[str, Any]:
    """Types, the status type's canonical name, the unique id and the column widths."""
    status = STATUS_TYPES.get(_text(raw.get("status_type")).lower())
    if not _text(raw.get("status_type")):
        raise PacketError("Acct-Status-Type (status_type) wajib diisi. / Acct-Status-Type is required.")
    if status is None:
        raise PacketError("Acct-Status-Type tidak dikenal. / Unknown Acct-Status-Type.")
    packet: dict[str, Any] = {"status_type": status}
    for key in FIELDS:
        if key == "status_type":
            continue
        value = raw.get(key)
        if key in INTEGERS:
            packet[key] = _integer(value, key)
        elif key == "event_timestamp":
            packet[key] = parse_timestamp(value)
        else:
            packet[key] = _text(value)
    if packet["nas_ip"]:
        try:
            packet["nas_ip"] = str(ipaddress.ip_address(packet["nas_ip"]))
        except ValueError:
            raise PacketError("NAS-IP-Address tidak valid. / Invalid NAS-IP-Address.") from None
    if status in ("Start", "Interim-Update", "Stop", "Failed"):
        if not packet["session_id"]:
            raise PacketError("Acct-Session-Id (session_id) wajib diisi. / Acct-Session-Id is required.")
        if not packet["unique_id"]:
            packet["unique_id"] = acct_unique(
                username=packet["username"], session_id=packet["session_id"], nas_ip=packet["nas_ip"],
                nas_identifier=packet["nas_identifier"], nas_port_id=packet["nas_port_id"],
                nas_port=packet["nas_port"],
            )
    for key, width in WIDTHS.items():
        packet[key] = packet[key][:width]
    return packet


def octets(low: int | None, gigawords: int | None) -> int | None:
    """(Acct-*-Gigawords << 32) + Acct-*-Octets, as FreeRADIUS's queries.conf stores them."""
    if low is None and gigawords is None:
        return None
    return ((gigawords or 0) << 32) + (low or 0)


def parse_timestamp(value: Any) -> datetime | None:
    """Event-Timestamp as epoch seconds, ISO 8601 or FreeRADIUS's printed date; anything else
    is treated as absent (the time of receipt is used), not as a bad packet."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if django_timezone.is_aware(value) else django_timezone.make_aware(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parts = text.split()
        if len(parts) != 5 or parts[4].upper() not in ZONES:
            return None
        try:
            parsed = datetime.strptime(" ".join(parts[:4]), "%b %d %Y %H:%M:%S")  # noqa: DTZ007
        except ValueError:
            return None
        return parsed.replace(tzinfo=timezone(timedelta(hours=ZONES[parts[4].upper()])))
    return parsed if django_timezone.is_aware(parsed) else django_timezone.make_aware(parsed)


def _is_rlm_rest(data: dict) -> bool:
    return "status_type" not in data and any("-" in key for key in data)


def _from_openwisp(data: dict) -> dict[str, Any]:
    return {key: data.get(json_key) for key, (json_key, _names) in FIELDS.items()}


def _from_attributes(data: dict) -> dict[str, Any]:
    by_name = {str(name).lower(): value for name, value in data.items()}
    packet: dict[str, Any] = {}
    for key, (_json_key, names) in FIELDS.items():
        for name in names:
            if name in by_name:
                packet[key] = _attribute_value(by_name[name])
                break
    return packet


def _attribute_value(value: Any) -> Any:
    # rlm_rest: {"type": "integer", "value": ["Start"]}; several values only for attributes
    # that repeat, none of which we read, so the first one is the value.
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, list):
        value = value[0] if value else None
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _integer(value: Any, key: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise PacketError(f"{key}: harus bilangan bulat. / {key}: must be an integer.")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise PacketError(f"{key}: harus bilangan bulat. / {key}: must be an integer.") from None
    if number < 0:
        raise PacketError(f"{key}: tidak boleh negatif. / {key}: must not be negative.")
    return number
