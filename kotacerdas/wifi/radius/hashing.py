"""Who used the Wi-Fi, kept only as keyed digests (UU PDP): the same person hashes the same
way, so unique users can be counted, but without the key no table can be turned back into
names or MACs (a plain SHA-1, as OpenWISP uses, falls to a list of phone numbers)."""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

SEPARATORS = str.maketrans("", "", ":-. ")
HEX = frozenset("0123456789ABCDEF")


@lru_cache(maxsize=4)
def _subkey(secret: str) -> bytes:
    # A sub-key of its own, so these digests leak nothing about SECRET_KEY's other uses.
    return hmac.new(secret.encode(), b"wifi-radius", hashlib.sha256).digest()


@lru_cache(maxsize=65536)
def _digest(secret: str, kind: str, value: str) -> str:
    # Cached because an import meets the same users and MACs thousands of times.
    message = f"{kind}\0{value}".encode()
    return hmac.new(_subkey(secret), message, hashlib.sha256).hexdigest()[:32]


def normalise_mac(value: str) -> str:
    """MikroTik sends 30:39:26:86:CC:EA, others 30-39-26-86-cc-ea: one MAC, one form."""
    bare = value.translate(SEPARATORS).upper()
    return bare if len(bare) == 12 and set(bare) <= HEX else value.strip().upper()


def user_hash(username: str | None) -> str:
    if not username:
        return ""
    return _digest(settings.SECRET_KEY, "user", username.strip())


def mac_hash(calling_station_id: str | None) -> str:
    if not calling_station_id:
        return ""
    return _digest(settings.SECRET_KEY, "mac", normalise_mac(calling_station_id))
