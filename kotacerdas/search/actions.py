from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from kotacerdas.lib.stemmer import variants, words
from kotacerdas.search.models import MAX_TERM, SearchEntry, SearchTerm
from kotacerdas.search.sources import Document, registered

MAX_TEXT = 200_000
BATCH = 1_000


def _terms(text: str) -> str:
    # What lib.stemmer.index_terms gives, with each distinct word stemmed once: a long
    # document repeats its words, and the rebuild stems every public item.
    terms = {variant for word in set(words(text[:MAX_TEXT])) for variant in variants(word)}
    return " " + " ".join(sorted(terms)) + " "


def _row(document: Document) -> dict:
    return {
        "kind": document.kind, "title": document.title[:300], "summary": document.summary[:500],
        "url": document.url, "agency_id": document.agency_id,
        "published_at": document.published_at or timezone.now(),
        "terms": _terms(f"{document.title} {document.summary} {document.text}"),
        "title_terms": _terms(document.title),
    }


def _write_terms(entries: Iterable[SearchEntry]) -> None:
    """One SearchTerm row per entry and term. Plain INSERTs: a rebuild writes millions of rows,
    and model instances for each would cost more than the database's own work."""
    rows = [(entry.pk, term) for entry in entries for term in entry.terms.split() if len(term) <= MAX_TERM]
    if rows:
        table = SearchTerm._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} (entry_id, term) VALUES (%s, %s)", rows)  # noqa: S608


@transaction.atomic
def entry_put(document: Document) -> None:
    """Index one public item (again): a module calls it when the item is published or changed."""
    entry, _created = SearchEntry.objects.update_or_create(key=document.key, defaults=_row(document))
    SearchTerm.objects.filter(entry=entry).delete()
    _write_terms([entry])


def entry_drop(key: str) -> None:
    """Remove an item that is no longer public."""
    SearchEntry.objects.filter(key=key).delete()


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def reindex(kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the index of the given kinds (all by default) from the modules' sources, in
    one transaction: searchers see the old index until the new one is complete."""
    counts = {}
    for kind, source in registered().items():
        if kinds and kind not in kinds:
            continue
        SearchTerm.objects.filter(entry__kind=kind).delete()
        SearchEntry.objects.filter(kind=kind).delete()
        counts[kind] = 0
        for batch in _batches(source(), BATCH):
            entries = SearchEntry.objects.bulk_create([SearchEntry(key=d.key, **_row(d)) for d in batch])
            _write_terms(entries)
            counts[kind] += len(entries)
    return counts
