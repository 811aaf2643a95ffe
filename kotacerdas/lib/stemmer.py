"""A small Indonesian stemmer for search: "perizinan" and "izin" meet at "izin".

Rule-based after Nazief–Adriani (particles, possessives, derivational suffixes, then up to
three prefixes with their sound changes), without its root dictionary. Without a dictionary
some words are cut wrong, which matters less than it seems: the same function stems the
indexed text and the query, so both sides are cut the same way. Two guards keep the worst
cuts out: a root keeps at least four letters, and the suffix that goes first depends on the
prefix (pe-/ke-/per- words are nouns in -an; me-/di- words are verbs in -kan).
"""

import re

MIN_ROOT = 4
PARTICLES = ("lah", "kah", "tah", "pun")
POSSESSIVES = ("nya", "ku", "mu")
VOWELS = set("aiueo")
WORD = re.compile(r"[0-9a-zà-ÿ]+")


def _strip_suffix(word: str, suffix: str) -> str:
    if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
        return word[: -len(suffix)]
    return word


def _derivational(word: str) -> str:
    noun = word.startswith(("pe", "ke"))
    order = ("an", "kan", "i") if noun else ("kan", "an", "i")
    for suffix in order:
        cut = _strip_suffix(word, suffix)
        if cut != word:
            # -i after s (e.g. "kasi" is not kas + i) is rarely a suffix.
            if suffix == "i" and cut.endswith("s"):
                continue
            return cut
    return word


def _prefixes(word: str) -> list[str]:
    """The word with one prefix removed, every reading the letters allow (first the likely
    one), or [] when no prefix can go. Where the root is ambiguous without a dictionary
    (per+izin or pe+rumah, pe+mohon or pem+pohon) both readings are kept."""
    def rest(n: int, replace: str = "") -> list[str]:
        root = replace + word[n:]
        return [root] if len(root) >= MIN_ROOT else []

    if word.startswith(("di", "ke", "se")):
        return rest(2)
    if word.startswith("ter"):
        return rest(3) + (rest(2) if word[3:4] in VOWELS else [])
    if word.startswith("ber"):
        return rest(3) + (rest(2) if word[3:4] in VOWELS else [])
    if word.startswith("be") and len(word) > 2 and word[2] not in VOWELS:
        return rest(2)
    if word.startswith("per"):
        return rest(3) + (rest(2) if word[3:4] in VOWELS else [])
    for start in ("me", "pe"):
        if not word.startswith(start):
            continue
        tail = word[2:]
        vowel_next = len(tail) > 1 and tail[1] in VOWELS
        if tail.startswith("ng"):
            return rest(4) + (rest(4, "k") if word[4:5] in VOWELS else [])  # mengambil → ambil
        if tail.startswith("ny"):
            return rest(4, "s")  # menyapu → sapu, penyakit → sakit
        if tail.startswith("m"):
            return (rest(3, "p") + rest(2)) if vowel_next else rest(3)  # memakai → pakai
        if tail.startswith("n"):
            return (rest(3, "t") + rest(2)) if vowel_next else rest(3)  # menulis → tulis
        return rest(2)  # melayani → layani, pelayan → layan
    return []


def variants(word: str) -> list[str]:
    """Every stem the word may have, the most likely first, the word itself last."""
    word = word.lower()
    if len(word) <= MIN_ROOT:
        return [word]
    base = word
    for particle in PARTICLES:
        base = _strip_suffix(base, particle)
    for possessive in POSSESSIVES:
        base = _strip_suffix(base, possessive)
    found: list[str] = []
    derived = _derivational(base)
    frontier = [derived]
    for _round in range(3):
        following = []
        for candidate in frontier:
            options = _prefixes(candidate)
            if not options:
                found.append(candidate)
            following.extend(options)
        frontier = following
        if not frontier:
            break
    found.extend(frontier)
    found += [derived, base, word]
    return list(dict.fromkeys(found))


def stem(word: str) -> str:
    return variants(word)[0]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def index_terms(text: str) -> set[str]:
    """What to store for a text: every variant of every word, so any reading matches."""
    return {variant for w in words(text) for variant in variants(w)}
