"""One index of what the public may find, across modules. Each module hands its public
items to kotacerdas.search.sources; the index stores their words already stemmed
(kotacerdas.lib.stemmer), one row per entry and word variant in SearchTerm, so each query
word is an indexed lookup on SQLite and PostgreSQL alike, with no search server beside the
database."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    SERVICE = "service", _("Layanan")
    NEWS = "news", _("Berita")
    DOCUMENT = "document", _("Dokumen")
    EVENT = "event", _("Acara")
    DATASET = "dataset", _("Data")
    REPORT = "report", _("Pengaduan")
    HOTSPOT = "hotspot", _("Wi-Fi gratis")
    PROGRAMME = "programme", _("Program kota cerdas")


class SearchEntry(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    key = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    # " term term term ": every variant of every word, with spaces at both ends so a
    # match can be anchored to the start of a word.
    terms = models.TextField()
    title_terms = models.TextField()

    class Meta:
        # Newest first among the matches: the database walks this index and stops at the
        # candidates it needs, reading no entry's long `terms` on the way.
        indexes = [models.Index(fields=["published_at"], name="search_entry_newest")]
        verbose_name = _("entri pencarian")
        verbose_name_plural = pgettext_lazy("plural", "entri pencarian")

    def __str__(self) -> str:
        return self.title


# Longer "words" (a hash, a run of digits) are not searched for; they would only bloat the index.
MAX_TERM = 100


class SearchTerm(models.Model):
    """One word variant of one entry: a query word is a lookup of its variants in the index
    on `term`, where scanning every entry's `terms` grows with all the text ever published."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=MAX_TERM)

    class Meta:
        indexes = [models.Index(fields=["term", "entry"], name="search_term_entry")]

    def __str__(self) -> str:
        return self.term
