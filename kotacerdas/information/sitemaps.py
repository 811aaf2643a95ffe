"""/sitemap.xml: the public pages search engines should find, from every app's public queries."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kotacerdas.information import queries
from kotacerdas.information.models import Document, News
from kotacerdas.opendata.queries import public_datasets
from kotacerdas.services.queries import catalog


class StaticSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["portal:home", "portal:about", "services:catalog", "reports:map", "information:home",
                "information:news_list", "information:document_list", "information:ppid", "information:dip",
                "information:register", "opendata:home"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return queries.public_news().only("slug", "updated_at", "publish_at").order_by("-publish_at")

    def lastmod(self, item: News):
        return max(item.updated_at, item.publish_at)


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return queries.public_documents().only("pk", "updated_at").order_by("-pk")

    def lastmod(self, item: Document):
        return item.updated_at


class ServiceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return catalog().select_related(None).only("slug")

    def location(self, item):
        return reverse("services:detail", args=[item.slug])


class DatasetSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return public_datasets().only("name", "modified_at").order_by("name")

    def location(self, item):
        return reverse("opendata:dataset", args=[item.name])

    def lastmod(self, item):
        return item.modified_at


SITEMAPS = {
    "halaman": StaticSitemap,
    "layanan": ServiceSitemap,
    "berita": NewsSitemap,
    "dokumen": DocumentSitemap,
    "data": DatasetSitemap,
}
