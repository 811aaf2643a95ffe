"""Tracking codes a resident can read over the phone or copy from an SMS: "7KQM-3XPC".

Alphabet: digits and capitals without the look-alikes 0/O, 1/I/L and U/V. That leaves 29
symbols, and 29 being prime is what makes the check character below work. V goes out with
U because they are confused in handwriting and because Indonesians say V as "fe", which
over the phone is easily heard as F ("ef").

Check character: the eighth symbol is chosen so that sum((i + 1) * value[i]) over all eight
positions is 0 mod 29 (the ISBN-10 scheme, with 29 in place of 11). Because 29 is prime and
every weight is 1..8, non-zero mod 29:
- changing one symbol by d changes the sum by weight * d, never a multiple of 29;
- swapping neighbours a, b changes it by (b - a) * (w_i - w_(i+1)) = a - b, non-zero when
  a != b. Swaps two apart (weights differ by 2) are caught too.
Luhn mod N, the usual alternative, catches every single-symbol error but not every swap.

Seven random symbols give 29**7 ≈ 1.7e10 codes; the caller still checks uniqueness when
storing one.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
BASE = len(ALPHABET)  # 29, prime
PAYLOAD_LENGTH = 7
CODE_LENGTH = PAYLOAD_LENGTH + 1
GROUP = 4

_VALUES = {symbol: index for index, symbol in enumerate(ALPHABET)}
_CHECK_WEIGHT_INVERSE = pow(CODE_LENGTH, -1, BASE)

# Separators people type or that SMS apps insert. We deliberately do *not* map look-alikes
# (O, 0, I, 1, L, U, V): both sides of every such pair are excluded from the alphabet, so
# there is no single symbol the person can have meant. Such a code fails validation and
# the form asks again instead of silently resolving to someone else's case.
_SEPARATORS = str.maketrans("", "", " \t\n-_.\u2010\u2011\u2012\u2013\u2014\u2015")


def new_code() -> str:
    """A fresh random code in display form, e.g. "7KQM-3XPC"."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return _display(payload + _check_symbol(payload))


def normalize_code(text: str) -> str:
    """The canonical (display) form of what a person typed: "7kqm 3xpc" -> "7KQM-3XPC".

    Uppercases ASCII letters and removes spaces and dashes. If the result is not eight
    characters it is returned without a dash; it will not validate.
    """
    compact = "".join(ch.upper() if ch.isascii() else ch for ch in text.translate(_SEPARATORS))
    return _display(compact) if len(compact) == CODE_LENGTH else compact


def is_valid_code(text: str) -> bool:
    compact = normalize_code(text).replace("-", "")
    if len(compact) != CODE_LENGTH or not all(ch in _VALUES for ch in compact):
        return False
    return _weighted_sum(compact) % BASE == 0


def _check_symbol(payload: str) -> str:
    # Solve weighted_sum(payload) + CODE_LENGTH * c = 0 (mod BASE) for c.
    value = -_weighted_sum(payload) * _CHECK_WEIGHT_INVERSE % BASE
    return ALPHABET[value]


def _weighted_sum(symbols: str) -> int:
    return sum((position + 1) * _VALUES[ch] for position, ch in enumerate(symbols))


def _display(compact: str) -> str:
    return f"{compact[:GROUP]}-{compact[GROUP:]}"
