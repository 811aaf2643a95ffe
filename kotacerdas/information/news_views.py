"""News, announcements, the documents library and each OPD's page; their staff forms."""

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kotacerdas.accounts.decorators import staff_required
from kotacerdas.information import actions, queries
from kotacerdas.information.errors import PublishError, PublishInvalid
from kotacerdas.information.forms import DocumentForm, NewsForm
from kotacerdas.information.models import Document, News
from kotacerdas.services.queries import catalog

NEWS_PER_PAGE = 12
DOCUMENTS_PER_PAGE = 20


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# -- public pages --------------------------------------------------------------------------------


def _news_filters(request: HttpRequest) -> queries.NewsFilters:
    return queries.NewsFilters(
        agency=request.GET.get("opd", "").strip()[:40], tag=request.GET.get("tag", "").strip()[:40],
        kind=request.GET.get("jenis", "").strip(), text=request.GET.get("q", "").strip()[:200],
    )


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    filters = _news_filters(request)
    page = Paginator(queries.news_list(filters), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "information/news_list.html", {
        "page": page, "filters": filters, "query": _page_query(request),
        "agencies": queries.agencies_with_news(), "kinds": News.Kind.choices,
        "feed_query": urlencode({k: v for k, v in (("opd", filters.agency), ("tag", filters.tag)) if v}),
    })


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    news = queries.news_for_public(slug)
    if news is None:
        raise Http404(_("Berita tidak ditemukan."))
    image_url = (request.build_absolute_uri(reverse("information:news_image", args=[news.slug]))
                 if news.image else "")
    return render(request, "information/news_detail.html", {
        "news": news, "image_url": image_url, "page_url": request.build_absolute_uri(news.get_absolute_url()),
    })


@require_GET
def news_image(request: HttpRequest, slug: str) -> FileResponse:
    news = queries.news_for_public(slug)
    if news is None:
        found = News.objects.select_related("agency").filter(slug=slug).first()
        # Editors see the picture of their draft in its preview.
        news = found if found and queries.may_publish_for(request.user, found.agency) else None
    if news is None or not news.image:
        raise Http404
    content_type = "image/png" if news.image.name.endswith(".png") else "image/jpeg"
    response = FileResponse(news.image.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class NewsFeed(Feed):
    """Atom feed of news and announcements; ?opd= and ?tag= narrow it like the list."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return _news_filters(request)

    def title(self, obj):
        return _("Berita dan pengumuman Pemerintah Kota Blitar")

    def link(self, obj):
        return reverse("information:news_list")

    def subtitle(self, obj):
        return _("Berita dan pengumuman terbaru dari perangkat daerah")

    def items(self, obj):
        return queries.news_list(obj)[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item):
        return item.agency.name

    def item_categories(self, item):
        return item.tags


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = None
    filters = queries.DocumentFilters(
        kind=request.GET.get("jenis", "").strip(), year=year, agency=request.GET.get("opd", "").strip()[:40],
        status=request.GET.get("status", "").strip(), text=request.GET.get("q", "").strip()[:200],
    )
    page = Paginator(queries.document_list(filters), DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "information/document_list.html", {
        "page": page, "filters": filters, "query": _page_query(request),
        "kinds": Document.Kind.choices, "statuses": Document.Status.choices,
        "years": queries.document_years(), "agencies": queries.agencies_with_documents(),
    })


def _public_document(document_id: int) -> Document:
    document = queries.document_for_public(document_id)
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    return document


@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _public_document(document_id)
    return render(request, "information/document_detail.html", {
        "document": document, "page_url": request.build_absolute_uri(document.get_absolute_url()),
        "may_edit": queries.may_publish_for(request.user, document.agency),
    })


@require_GET
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    document = _public_document(document_id)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf",
                            filename=document.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def agency_page(request: HttpRequest, code: str) -> HttpResponse:
    agency = queries.agency_for_public(code)
    if agency is None:
        raise Http404(_("Perangkat daerah tidak ditemukan."))
    return render(request, "information/agency.html", {
        "agency": agency,
        "services": catalog(agency=agency.code),
        "news": queries.news_list(queries.NewsFilters(agency=agency.code))[:6],
        "documents": queries.document_list(queries.DocumentFilters(agency=agency.code))[:6],
    })


# -- staff ----------------------------------------------------------------------------------------


def _add_errors(form, error: PublishInvalid) -> None:
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, str(message))


@staff_required
@require_GET
def staff_news(request: HttpRequest) -> HttpResponse:
    rows = queries.editable_news(request.user).order_by("-updated_at")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    documents = queries.editable_documents(request.user).order_by("-created_at")[:30]
    return render(request, "information/staff_news.html", {"page": page, "documents": documents,
                                                             "now": timezone.now()})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_news_edit(request: HttpRequest, news_id: int | None = None) -> HttpResponse:
    news = None
    if news_id is not None:
        news = queries.news_for_editor(request.user, news_id)
        if news is None:
            raise Http404(_("Berita tidak ditemukan."))
    agencies = queries.publishing_agencies(request.user)
    initial = {}
    if news is not None:
        initial = {"agency": news.agency, "kind": news.kind, "title": news.title, "summary": news.summary,
                   "body": news.body, "tags": ", ".join(news.tags), "featured": news.featured,
                   "publish_at": news.publish_at}
    form = NewsForm(request.POST or None, request.FILES or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = request.POST.get("do", "save")
        try:
            if step == "unpublish" and news is not None:
                news = actions.news_unpublish(actor=request.user, news=news)
            else:
                news = actions.news_save(
                    actor=request.user, news=news, agency=data["agency"], kind=data["kind"],
                    title=data["title"], summary=data["summary"], body=data["body"], tags=data["tags"],
                    featured=data["featured"], publish_at=data["publish_at"], image=data["image"],
                    remove_image=data["remove_image"],
                )
                if step == "publish":
                    news = actions.news_publish(actor=request.user, news=news, publish_at=data["publish_at"])
        except PublishInvalid as error:
            _add_errors(form, error)
        except PublishError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("information:staff_news_edit", news_id=news.pk)
    return render(request, "information/staff_news_form.html", {"form": form, "news": news,
                                                                  "now": timezone.now()},
                  status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_document_new(request: HttpRequest) -> HttpResponse:
    agencies = queries.publishing_agencies(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None, agencies=agencies,
                        initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.document_upload(
                actor=request.user, agency=data["agency"], title=data["title"], kind=data["kind"],
                number=data["number"], year=data["year"], status=data["status"], summary=data["summary"],
                upload=data["file"],
            )
        except PublishInvalid as error:
            _add_errors(form, error)
        except PublishError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Dokumen diunggah dan diterbitkan."))
            return redirect("information:document_detail", document_id=document.pk)
    return render(request, "information/staff_document_form.html", {"form": form},
                  status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = queries.document_for_editor(request.user, document_id)
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    form = DocumentForm(request.POST or None, agencies=queries.publishing_agencies(request.user).filter(
        pk=document.agency_id), initial={
        "agency": document.agency, "title": document.title, "kind": document.kind, "number": document.number,
        "year": document.year, "status": document.status, "summary": document.summary})
    del form.fields["file"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.document_update(actor=request.user, document=document, title=data["title"],
                                    kind=data["kind"], number=data["number"], year=data["year"],
                                    status=data["status"], summary=data["summary"])
        except PublishInvalid as error:
            _add_errors(form, error)
        except PublishError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("information:document_detail", document_id=document.pk)
    return render(request, "information/staff_document_form.html", {"form": form, "document": document},
                  status=400 if form.errors else 200)
