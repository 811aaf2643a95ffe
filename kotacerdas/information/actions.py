"""PPID information requests: request, extend once, decide, object, decide the objection.

Every step is a case step too, so the requester's timeline, the officer's inbox and its SLA
clock, the notifications and the audit log come from the case backbone.
"""

from datetime import date, datetime
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

from kotacerdas.accounts.models import Membership, User
from kotacerdas.agencies.models import Agency
from kotacerdas.audit.actions import audit_record
from kotacerdas.cases import actions as case_actions
from kotacerdas.cases.models import Case, Kind, Status
from kotacerdas.cases.queries import holiday_dates
from kotacerdas.information import queries
from kotacerdas.information.errors import PpidError, PpidInvalid, PublishInvalid, PublishNotAllowed
from kotacerdas.information.models import (
    NEEDS_GROUND,
    AnswerFile,
    Decision,
    Document,
    InformationRequest,
    News,
    Objection,
    ObjectionGround,
    Obtain,
    PpidRules,
)
from kotacerdas.lib import richtext, workdays
from kotacerdas.lib.uploads import CleanFile, UploadRejected, clean_upload

ANSWER_FILE_KINDS = ("pdf", "jpg", "png")
ANSWER_FILE_MAX = 20 * 1024 * 1024


def ppid_rules() -> PpidRules:
    """The one row of rules, made with the defaults on first use."""
    rules = PpidRules.objects.select_related("ppid_agency", "superior_agency").first()
    if rules is None:
        rules = PpidRules.objects.create(
            ppid_agency=Agency.objects.get(code="diskominfotik"),
            superior_agency=Agency.objects.get(code="setda"),
        )
    return rules


@transaction.atomic
def request_submit(*, requester, information: str, purpose: str, obtain: str, submission_key: str,
                   agency: Agency | None = None) -> InformationRequest:
    """Ask for public information. Submitting again with the same key returns the first
    request (a double tap or a retried connection makes one request, not two)."""
    # Two copies of one submission arriving together: the second waits for the first here
    # (the requester's row is the lock) and then finds its request instead of inserting again.
    User.objects.select_for_update().filter(pk=requester.pk).first()
    existing = InformationRequest.objects.filter(requester=requester, submission_key=submission_key).first()
    if existing is not None:
        return existing
    errors = {}
    if len(information.strip()) < 10:
        errors["information"] = _("Tuliskan informasi yang Anda minta dengan jelas (minimal 10 huruf).")
    if len(purpose.strip()) < 5:
        errors["purpose"] = _("Tuliskan untuk apa informasi ini akan digunakan.")
    if obtain not in Obtain.values:
        errors["obtain"] = _("Pilih cara memperoleh informasi.")
    if errors:
        raise PpidInvalid(errors)
    rules = ppid_rules()
    case = case_actions.case_open(
        kind=Kind.INFORMATION, agency=agency or rules.ppid_agency, citizen=requester,
        title=_summary(information), sla_workdays=rules.answer_workdays,
    )
    request = InformationRequest.objects.create(
        case=case, requester=requester, information=information.strip(), purpose=purpose.strip(),
        obtain=obtain, submission_key=submission_key,
    )
    audit_record(actor=requester, action="ppid.request", obj=request, after={"case": case.tracking_code})
    return request


def _summary(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 120 else line[:119] + "…"


def _lock(request: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.select_for_update().select_related("case").get(pk=request.pk)


@transaction.atomic
def request_extend(*, request: InformationRequest, actor, reason: str) -> InformationRequest:
    """The one written extension the law allows, with its reason sent to the requester."""
    request = _lock(request)
    if request.extended_at is not None:
        raise PpidError(_("Jangka waktu sudah pernah diperpanjang; undang-undang hanya membolehkan sekali."))
    if request.decision:
        raise PpidError(_("Permohonan ini sudah diputus."))
    if not reason.strip():
        raise PpidInvalid({"reason": _("Tuliskan alasan perpanjangan untuk pemohon.")})
    rules = ppid_rules()
    text = str(_("Jangka waktu jawaban diperpanjang %(days)s hari kerja. Alasan: %(reason)s")
               % {"days": rules.extension_workdays, "reason": reason.strip()})
    case_actions.case_extend(case=request.case, workdays=rules.extension_workdays, actor=actor, reason=text)
    request.extended_at = timezone.now()
    request.extension_reason = reason.strip()
    request.save(update_fields=["extended_at", "extension_reason"])
    audit_record(actor=actor, action="ppid.extend", obj=request, after={"reason": request.extension_reason})
    return request


def _store_files(request: InformationRequest, uploads) -> list[AnswerFile]:
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_upload(upload, accept=ANSWER_FILE_KINDS, max_bytes=ANSWER_FILE_MAX))
        except UploadRejected as rejected:
            raise PpidInvalid({"files": rejected.message}) from rejected
    stored = []
    for clean in cleaned:
        answer_file = AnswerFile(request=request, name=clean.name, content_type=clean.content_type,
                                 size=clean.size)
        answer_file.file.save(clean.name, ContentFile(clean.content), save=False)
        answer_file.save()
        stored.append(answer_file)
    return stored


def _move(case: Case, to_status: str, actor, note: str, *, by_citizen: bool = False, data=None) -> None:
    case_actions.case_transition(case=case, to_status=to_status, actor=actor, note=note, module=True,
                                 by_citizen=by_citizen, event_data=data)


@transaction.atomic
def request_decide(*, request: InformationRequest, actor, decision: str, answer: str, legal_ground: str = "",
                   files=()) -> InformationRequest:
    """The PPID's written answer: what is given, and for what is withheld the legal ground."""
    request = _lock(request)
    case = request.case
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("Pilih keputusan.")
    if not answer.strip():
        errors["answer"] = _("Tuliskan jawaban untuk pemohon.")
    if decision in NEEDS_GROUND and not legal_ground.strip():
        errors["legal_ground"] = _(
            "Sebutkan dasar hukum penolakan atau pengecualian (mis. UU 14/2008 Pasal 17 huruf ...)."
        )
    if errors:
        raise PpidInvalid(errors)
    if request.decision:
        raise PpidError(_("Permohonan ini sudah diputus."))
    _store_files(request, files)
    if case.status == Status.SUBMITTED:
        _move(case, Status.IN_PROGRESS, actor, "")
    label = Decision(decision).label
    _move(case, Status.RESOLVED, actor, f"{label}. {answer.strip()}", data={"decision": decision})
    request.decision = decision
    request.answer = answer.strip()
    request.legal_ground = legal_ground.strip()
    request.decided_at = timezone.now()
    request.answer_due = case.due_date
    request.decided_by = actor
    request.save(update_fields=["decision", "answer", "legal_ground", "decided_at", "answer_due",
                                "decided_by"])
    audit_record(actor=actor, action="ppid.decide", obj=request,
                 after={"decision": decision, "legal_ground": request.legal_ground or None})
    return request


def objection_deadline(request: InformationRequest, today: date | None = None) -> date | None:
    """Until when the requester may object: a working-day window after the decision, or,
    for a request left unanswered, from the day the answer became late."""
    rules = ppid_rules()
    case = request.case
    if request.decided_at is not None:
        start = timezone.localdate(request.decided_at)
    elif case.due_date < (today or timezone.localdate()):
        start = case.due_date
    else:
        return None
    return workdays.add_workdays(start, rules.objection_window_workdays, holiday_dates(start))


def may_object(request: InformationRequest, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    if Objection.objects.filter(request=request).exists():
        return False
    deadline = objection_deadline(request, today)
    return deadline is not None and today <= deadline


@transaction.atomic
def objection_file(*, request: InformationRequest, actor, grounds: list[str], reason: str) -> Objection:
    """Keberatan to the PPID's superior (Pasal 35–36): the case goes to the superior's
    agency with its own deadline."""
    request = _lock(request)
    if actor.pk != request.requester_id:
        raise PpidError(_("Hanya pemohon yang dapat mengajukan keberatan."))
    errors = {}
    grounds = [g for g in grounds if g in ObjectionGround.values]
    if not grounds:
        errors["grounds"] = _("Pilih minimal satu alasan keberatan.")
    if not reason.strip():
        errors["reason"] = _("Uraikan keberatan Anda.")
    if errors:
        raise PpidInvalid(errors)
    if not may_object(request):
        raise PpidError(_("Keberatan tidak dapat diajukan: sudah pernah diajukan atau batas waktunya lewat."))
    rules = ppid_rules()
    case = request.case
    today = timezone.localdate()
    objection = Objection.objects.create(
        request=request, grounds=sorted(grounds), reason=reason.strip(),
        due_date=workdays.add_workdays(today, rules.objection_answer_workdays, holiday_dates(today)),
    )
    note = str(_("Keberatan diajukan kepada %(title)s.") % {"title": rules.superior_title})
    if case.status == Status.RESOLVED:
        _move(case, Status.IN_PROGRESS, actor, note, by_citizen=True)
    if case.agency_id != rules.superior_agency_id:
        case_actions.case_handover(case=case, to_agency=rules.superior_agency, actor=actor, reason=note,
                                   by_citizen=True)
    Case.objects.filter(pk=case.pk).update(due_date=objection.due_date,
                                           sla_workdays=rules.objection_answer_workdays)
    audit_record(actor=actor, action="ppid.objection", obj=request,
                 after={"grounds": ",".join(objection.grounds), "due": objection.due_date})
    return objection


def is_superior(user, rules: PpidRules | None = None) -> bool:
    rules = rules or ppid_rules()
    membership = getattr(user, "staff_membership", None)
    return bool(membership and membership.agency_id == rules.superior_agency_id
                and membership.role in (Membership.Role.KEPALA, Membership.Role.ADMIN))


@transaction.atomic
def objection_decide(*, objection: Objection, actor, outcome: str, response: str, files=()) -> Objection:
    """The superior's written answer to the objection; the requester may then go to the
    Komisi Informasi (the answer says so)."""
    objection = Objection.objects.select_for_update().select_related("request__case").get(pk=objection.pk)
    if not is_superior(actor):
        raise PpidError(_("Hanya atasan PPID yang dapat memutus keberatan."))
    errors = {}
    if outcome not in Objection.Outcome.values:
        errors["outcome"] = _("Pilih putusan keberatan.")
    if not response.strip():
        errors["response"] = _("Tuliskan tanggapan atas keberatan.")
    if errors:
        raise PpidInvalid(errors)
    if objection.outcome:
        raise PpidError(_("Keberatan ini sudah diputus."))
    _store_files(objection.request, files)
    label = Objection.Outcome(outcome).label
    _move(objection.request.case, Status.RESOLVED, actor, f"{label}. {response.strip()}",
          data={"objection": outcome})
    objection.outcome = outcome
    objection.response = response.strip()
    objection.decided_at = timezone.now()
    objection.decided_by = actor
    objection.save(update_fields=["outcome", "response", "decided_at", "decided_by"])
    audit_record(actor=actor, action="ppid.objection_decide", obj=objection.request,
                 after={"outcome": outcome})
    return objection


# -- news, announcements and documents ----------------------------------------------------------
#
# Staff of an OPD publish for their OPD; Diskominfotik's admins for every OPD
# (queries.may_publish_for). Rich text is sanitised here, on save, so what is stored is
# what is shown; images are re-encoded (no EXIF: a phone photo carries where it was taken);
# a document must be a real PDF, and its text is kept for search.

NEWS_IMAGE_KINDS = ("jpg", "png")
NEWS_IMAGE_MAX = 10 * 1024 * 1024
NEWS_IMAGE_SIDE = 1600
DOCUMENT_MAX = 50 * 1024 * 1024
# Enough for a long regulation with its annexes; the rest of a very long document is not
# searched, and extraction stays bounded in time.
DOCUMENT_TEXT_MAX = 300_000
DOCUMENT_TEXT_PAGES = 500
TAGS_MAX = 10


def _search_sync(kind: str, pk: int) -> None:
    """Keep the site-wide search in step with one news item or document: in it while public,
    out of it otherwise. A scheduled item enters with the search's periodic rebuild."""
    from kotacerdas.information import queries
    from kotacerdas.search.actions import entry_drop, entry_put

    if kind == "news":
        documents = list(queries.search_news(queries.public_news().filter(pk=pk)))
    else:
        documents = list(queries.search_documents(queries.public_documents().filter(pk=pk)))
    for document in documents:
        entry_put(document)
    if not documents:
        entry_drop(f"{kind}:{pk}")


def _search_later(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: _search_sync(kind, pk))


def _require_publisher(actor, agency) -> None:
    if not queries.may_publish_for(actor, agency):
        raise PublishNotAllowed()


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "berita"
    slug, n = base, 1
    # "feed" is the address of the Atom feed, next to the items.
    while slug in {"feed"} or News.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def clean_tags(tags) -> list[str]:
    """Tags as short slugs ("banjir", "smart-city"), without repeats, at most TAGS_MAX."""
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for raw in tags:
        tag = slugify(str(raw))[:40].strip("-")
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned[:TAGS_MAX]


def _news_image(upload) -> CleanFile:
    try:
        return clean_upload(upload, accept=NEWS_IMAGE_KINDS, max_bytes=NEWS_IMAGE_MAX,
                            max_side=NEWS_IMAGE_SIDE)
    except UploadRejected as rejected:
        raise PublishInvalid({"image": rejected.message}) from rejected


@transaction.atomic
def news_save(*, actor, agency: Agency, title: str, body: str, news: News | None = None,
              kind: str = News.Kind.NEWS, summary: str = "", tags=(), featured: bool = False,
              publish_at: datetime | None = None, image=None, remove_image: bool = False,
              is_sample: bool = False) -> News:
    """Create a news item or announcement (as a draft) or change one; the body is sanitised."""
    _require_publisher(actor, agency)
    if news is not None:
        news = News.objects.select_for_update().get(pk=news.pk)
        _require_publisher(actor, news.agency)
    errors = {}
    if not title.strip():
        errors["title"] = _("Judul wajib diisi.")
    clean_body = richtext.sanitize(body)
    if not richtext.plain_text(clean_body):
        errors["body"] = _("Isi berita wajib diisi.")
    if kind not in News.Kind.values:
        errors["kind"] = _("Pilih jenis: berita atau pengumuman.")
    if errors:
        raise PublishInvalid(errors)
    picture = _news_image(image) if image else None
    before = None
    if news is None:
        news = News(author=actor if getattr(actor, "is_authenticated", False) else None, is_sample=is_sample)
    else:
        before = {"title": news.title, "agency": news.agency_id, "featured": news.featured,
                  "publish_at": news.publish_at}
    news.agency = agency
    news.kind = kind
    news.title = " ".join(title.split())[:200]
    news.slug = news.slug or _unique_slug(news.title)
    news.body = clean_body
    news.summary = " ".join(summary.split())[:300] or richtext.excerpt(clean_body, 280)
    news.tags = clean_tags(tags)
    news.featured = featured
    if publish_at is not None:
        news.publish_at = publish_at
    news.updated_at = timezone.now()
    if remove_image and news.image:
        news.image.delete(save=False)
        news.image = ""
    if picture is not None:
        news.image.save(picture.name, ContentFile(picture.content), save=False)
    news.save()
    audit_record(actor=actor, action="news.save", obj=news, before=before,
                 after={"title": news.title, "agency": news.agency_id, "featured": news.featured,
                        "publish_at": news.publish_at})
    _search_later("news", news.pk)
    return news


@transaction.atomic
def news_publish(*, actor, news: News, publish_at: datetime | None = None) -> News:
    """Publish now, or at publish_at: until then the item stays out of every public list."""
    news = News.objects.select_for_update().select_related("agency").get(pk=news.pk)
    _require_publisher(actor, news.agency)
    before = {"status": news.status, "publish_at": news.publish_at}
    news.status = News.Status.PUBLISHED
    news.publish_at = publish_at or timezone.now()
    news.updated_at = timezone.now()
    news.save(update_fields=["status", "publish_at", "updated_at"])
    audit_record(actor=actor, action="news.publish", obj=news, before=before,
                 after={"status": news.status, "publish_at": news.publish_at})
    _search_later("news", news.pk)
    return news


@transaction.atomic
def news_unpublish(*, actor, news: News) -> News:
    """Back to draft: the item disappears from the public pages, feeds and sitemap."""
    news = News.objects.select_for_update().select_related("agency").get(pk=news.pk)
    _require_publisher(actor, news.agency)
    news.status = News.Status.DRAFT
    news.updated_at = timezone.now()
    news.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="news.unpublish", obj=news, before={"status": News.Status.PUBLISHED},
                 after={"status": news.status})
    _search_later("news", news.pk)
    return news


def extract_pdf_text(content: bytes) -> tuple[str, int]:
    """The text of a PDF (for search) and its page count. A scanned PDF has no text layer;
    that is not an error, the document is then found by its metadata only."""
    reader = PdfReader(BytesIO(content), strict=False)
    parts: list[str] = []
    length = 0
    for page in reader.pages[:DOCUMENT_TEXT_PAGES]:
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001, S112 - a page pypdf cannot read is skipped, not fatal
            continue
        text = " ".join(text.split())
        parts.append(text)
        length += len(text) + 1
        if length >= DOCUMENT_TEXT_MAX:
            break
    return " ".join(parts)[:DOCUMENT_TEXT_MAX].replace("\x00", ""), len(reader.pages)


def _document_fields(title: str, kind: str, year: int | None, status: str) -> dict:
    errors = {}
    if not title.strip():
        errors["title"] = _("Judul wajib diisi.")
    if kind not in Document.Kind.values:
        errors["kind"] = _("Pilih jenis dokumen.")
    if not year or not 1945 <= year <= timezone.localdate().year + 1:
        errors["year"] = _("Isi tahun dokumen (empat angka).")
    if status not in Document.Status.values:
        errors["status"] = _("Pilih status: berlaku atau dicabut.")
    return errors


@transaction.atomic
def document_upload(*, actor, agency: Agency, title: str, kind: str, year: int | None, upload,
                    number: str = "", status: str = Document.Status.IN_FORCE, summary: str = "",
                    published_at: datetime | None = None, is_sample: bool = False) -> Document:
    """Add a document to the library: a PDF checked by its content, with its text extracted."""
    _require_publisher(actor, agency)
    errors = _document_fields(title, kind, year, status)
    clean = None
    if upload is None:
        errors["file"] = _("Pilih berkas PDF.")
    else:
        try:
            clean = clean_upload(upload, accept=("pdf",), max_bytes=DOCUMENT_MAX)
        except UploadRejected as rejected:
            errors["file"] = rejected.message
    if errors:
        raise PublishInvalid(errors)
    assert clean is not None and year is not None
    text, pages = extract_pdf_text(clean.content)
    document = Document(
        agency=agency, title=" ".join(title.split())[:300], kind=kind, year=year, status=status,
        number=number.strip()[:100], summary=summary.strip(), file_name=clean.name, size=clean.size,
        pages=pages, text=text, published_at=published_at or timezone.now(), is_sample=is_sample,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(clean.name, ContentFile(clean.content), save=False)
    document.save()
    audit_record(actor=actor, action="document.upload", obj=document,
                 after={"title": document.title, "kind": kind, "number": document.number, "year": year,
                        "agency": agency.pk, "status": status})
    _search_later("document", document.pk)
    return document


@transaction.atomic
def document_update(*, actor, document: Document, title: str, kind: str, year: int | None, number: str = "",
                    status: str = Document.Status.IN_FORCE, summary: str = "") -> Document:
    """Change a document's metadata, e.g. mark a regulation revoked (dicabut)."""
    document = Document.objects.select_for_update().select_related("agency").get(pk=document.pk)
    _require_publisher(actor, document.agency)
    errors = _document_fields(title, kind, year, status)
    if errors or year is None:
        raise PublishInvalid(errors)
    before = {"title": document.title, "kind": document.kind, "number": document.number,
              "year": document.year, "status": document.status}
    document.title = " ".join(title.split())[:300]
    document.kind, document.year, document.status = kind, year, status
    document.number, document.summary = number.strip()[:100], summary.strip()
    document.updated_at = timezone.now()
    document.save()
    audit_record(actor=actor, action="document.update", obj=document, before=before,
                 after={"title": document.title, "kind": kind, "number": document.number, "year": year,
                        "status": status})
    _search_later("document", document.pk)
    return document
