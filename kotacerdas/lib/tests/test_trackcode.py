import re
import secrets

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.trackcode import (
    ALPHABET,
    BASE,
    is_valid_code,
    new_code,
    normalize_code,
)

CODE_SHAPE = re.compile(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")

# Codes drawn by hypothesis from the real generator's output space: seven free symbols and
# the check symbol new_code would append.
payloads = st.text(ALPHABET, min_size=7, max_size=7)


def with_check(payload: str) -> str:
    for symbol in ALPHABET:
        if is_valid_code(payload + symbol):
            return payload + symbol
    raise AssertionError("no check symbol validates")


def test_alphabet_has_no_look_alikes_and_a_prime_size() -> None:
    assert not set("0O1ILUV") & set(ALPHABET)
    assert len(set(ALPHABET)) == BASE == 29
    assert all(BASE % d for d in range(2, BASE))


def test_new_code_is_two_groups_of_four_and_valid() -> None:
    for _ in range(200):
        code = new_code()
        assert CODE_SHAPE.fullmatch(code)
        assert is_valid_code(code)


def test_new_codes_differ() -> None:
    assert len({new_code() for _ in range(200)}) == 200


@given(payloads)
def test_exactly_one_check_symbol_completes_a_payload(payload: str) -> None:
    assert sum(is_valid_code(payload + symbol) for symbol in ALPHABET) == 1


@given(payloads, st.integers(0, 7), st.sampled_from(ALPHABET))
def test_any_single_symbol_typo_is_detected(payload: str, position: int, typo: str) -> None:
    code = with_check(payload)
    if code[position] == typo:
        return
    assert not is_valid_code(code[:position] + typo + code[position + 1 :])


@given(payloads, st.integers(0, 6))
def test_any_adjacent_transposition_is_detected(payload: str, position: int) -> None:
    code = with_check(payload)
    a, b = code[position], code[position + 1]
    if a == b:
        return
    assert not is_valid_code(code[:position] + b + a + code[position + 2 :])


@given(payloads, st.integers(0, 5))
def test_transposition_across_one_symbol_is_detected(payload: str, position: int) -> None:
    code = with_check(payload)
    a, b = code[position], code[position + 2]
    if a == b:
        return
    assert not is_valid_code(code[:position] + b + code[position + 1] + a + code[position + 3 :])


def test_typed_code_is_normalised_to_display_form() -> None:
    code = new_code()
    compact = code.replace("-", "")
    assert normalize_code(code) == code
    assert normalize_code(f"  {compact.lower()} ") == code
    assert normalize_code(f"{compact[:2]} {compact[2:5]}-{compact[5:]}") == code
    assert is_valid_code(compact.lower())


def test_look_alikes_are_not_silently_mapped() -> None:
    # "O" could have been a D, a Q or a 0 on a handwritten note; no guess is made.
    assert normalize_code("abco-2345") == "ABCO-2345"
    assert not is_valid_code("ABCO-2345")


def test_wrong_length_is_invalid_and_has_no_dash() -> None:
    assert normalize_code("abc-de") == "ABCDE"
    assert not is_valid_code("ABCDE")
    assert not is_valid_code("")
    assert not is_valid_code(new_code() + "2")


@given(st.text(max_size=12))
def test_arbitrary_text_never_crashes(text: str) -> None:
    assert isinstance(is_valid_code(text), bool)


def test_random_strings_rarely_validate() -> None:
    hits = sum(
        is_valid_code("".join(secrets.choice(ALPHABET) for _ in range(8))) for _ in range(2900)
    )
    # About 1 in 29 random strings carries a correct check symbol.
    assert 40 < hits < 200
