from django.db import transaction
from django.utils import timezone

from kotacerdas.lib.stemmer import index_terms
from kotacerdas.search.models import SearchEntry
from kotacerdas.search.sources import Document, registered

MAX_TEXT = 200_000


def _terms(text: str) -> str:
    return " " + " ".join(sorted(index_terms(text[:MAX_TEXT]))) + " "


def _row(document: Document) -> dict:
    return {
        "kind": document.kind, "title": document.title[:300], "summary": document.summary[:500],
        "url": document.url, "agency_id": document.agency_id,
        "published_at": document.published_at or timezone.now(),
        "terms": _terms(f"{document.title} {document.summary} {document.text}"),
        "title_terms": _terms(document.title),
    }


def entry_put(document: Document) -> None:
    """Index one public item (again): a module calls it when the item is published or changed."""
    SearchEntry.objects.update_or_create(key=document.key, defaults=_row(document))


def entry_drop(key: str) -> None:
    """Remove an item that is no longer public."""
    SearchEntry.objects.filter(key=key).delete()


@transaction.atomic
def reindex(kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the index of the given kinds (all by default) from the modules' sources, in
    one transaction: searchers see the old index until the new one is complete."""
    counts = {}
    for kind, source in registered().items():
        if kinds and kind not in kinds:
            continue
        SearchEntry.objects.filter(kind=kind).delete()
        rows = [SearchEntry(key=doc.key, **_row(doc)) for doc in source()]
        SearchEntry.objects.bulk_create(rows, batch_size=2000)
        counts[kind] = len(rows)
    return counts
