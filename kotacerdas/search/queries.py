from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from kotacerdas.lib.stemmer import variants, words
from kotacerdas.search.models import SearchEntry, SearchTerm

MAX_WORDS = 8
CANDIDATES = 500


@dataclass
class Hit:
    entry: SearchEntry
    score: float


# A word in fewer entries than this drives the query: its entries are read by their ids.
# Otherwise the newest entries are walked in order and each is checked for the words (one
# index probe per word), which stops as soon as there are CANDIDATES matches: fast when the
# words are common, and never a read of every matching entry.
RARE = 10_000


def _postings(word: str) -> QuerySet[SearchTerm]:
    """The index rows of the word in any of its stems: an indexed lookup per variant."""
    return SearchTerm.objects.filter(term__in=variants(word))


def search(text: str, *, kind: str = "", agency_id: int | None = None) -> list[Hit]:
    """Every word (in any of its stems) must appear; items whose title holds the words, and
    holds them as written, come first, then the newest."""
    query_words = words(text)[:MAX_WORDS]
    if not query_words:
        return []
    # Counted up to RARE only, so a common word costs no more than a rare one.
    found = {word: _postings(word)[:RARE].count() for word in dict.fromkeys(query_words)}
    if not all(found.values()):
        return []
    rarest = min(found, key=lambda word: found[word])
    rows: QuerySet[SearchEntry] = SearchEntry.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    for word in found:
        if word == rarest and found[word] < RARE:
            rows = rows.filter(pk__in=_postings(word).values("entry_id"))
        else:
            rows = rows.filter(Exists(_postings(word).filter(entry_id=OuterRef("pk"))))
    candidates = list(
        rows.select_related("agency").order_by("-published_at")
        .only("kind", "key", "title", "summary", "url", "agency__name", "agency__short_name", "published_at",
              "title_terms")[:CANDIDATES]
    )
    # Which candidates hold a word exactly as written (in the text, not only a stem of it).
    as_written = set(
        SearchTerm.objects.filter(entry_id__in=[entry.pk for entry in candidates], term__in=query_words)
        .values_list("entry_id", "term")
    ) if candidates else set()
    stems = {word: [f" {s} " for s in variants(word)] for word in found}
    hits = []
    for entry in candidates:
        score = 0.0
        for word in query_words:
            if any(s in entry.title_terms for s in stems[word]):
                score += 3
            if f" {word} " in entry.title_terms:
                score += 1
            if (entry.pk, word) in as_written:
                score += 0.5
        hits.append(Hit(entry, score))
    hits.sort(key=lambda hit: (-hit.score, -hit.entry.published_at.timestamp()))
    return hits


VOCABULARY_SECONDS = 900


def _vocabulary() -> list[str]:
    """The words of every indexed title, for suggestions; rebuilt at most every 15 minutes."""
    from django.core.cache import cache

    cached = cache.get("search:vocabulary")
    if cached is not None:
        return cached
    found: set[str] = set()
    for title in SearchEntry.objects.values_list("title", flat=True).iterator(chunk_size=2000):
        found.update(w for w in words(title) if len(w) > 3 and not w.isdigit())
    vocabulary = sorted(found)
    cache.set("search:vocabulary", vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def suggestion(text: str) -> str:
    """"Did you mean": each word that finds nothing replaced by the closest title word (a typo
    such as "perizinnan" or "kelurhan"); empty when there is nothing better to offer."""
    from difflib import get_close_matches

    query_words = words(text)[:MAX_WORDS]
    vocabulary = _vocabulary()
    changed, fixed = False, []
    for word in query_words:
        if SearchTerm.objects.filter(term__in=variants(word)).exists():
            fixed.append(word)
            continue
        close = get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        if close:
            fixed.append(close[0])
            changed = True
        else:
            fixed.append(word)
    return " ".join(fixed) if changed else ""
