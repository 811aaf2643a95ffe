"""Words for datastore_search's `q`, cut the same way when a table is loaded and when it is
searched, on both backends.

PostgreSQL's own parser reads "1.234.567" or "laki-laki" as single tokens while SQLite's FTS5
splits them, so the same question would find different rows on the two databases. Python cuts
the text into runs of letters and digits instead; each database only indexes those words.
"""

import re

_WORD = re.compile(r"[^\W_]+")
# A trailing "*" asks for a prefix ("suko*"), as in CKAN's non-plain queries.
_TERM = re.compile(r"([^\W_]+)(\*?)")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def document(texts: list[str] | tuple[str, ...]) -> str:
    """The words of a row, each once, as stored in its full-text index."""
    return " ".join(dict.fromkeys(_WORD.findall(" ".join(texts).lower())))


def terms(query: str) -> list[tuple[str, bool]]:
    """(word, is_prefix) pairs of a search; all of them must match."""
    return [(word, bool(star)) for word, star in _TERM.findall(query.lower())]


def sqlite_match(query_terms: list[tuple[str, bool]]) -> str:
    # Each word quoted, so that FTS5 operators typed by a visitor (NEAR, OR, column:) are
    # searched as words rather than run; the words contain no quote to escape.
    return " ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in query_terms)


def pg_tsquery(query_terms: list[tuple[str, bool]]) -> str:
    return " & ".join(f"'{word}'" + (":*" if prefix else "") for word, prefix in query_terms)
