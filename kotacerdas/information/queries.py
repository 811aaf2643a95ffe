import json
from dataclasses import dataclass
from datetime import date
from statistics import mean

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags

from kotacerdas.accounts.models import Membership
from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Case
from kotacerdas.cases.queries import holiday_dates
from kotacerdas.information.models import (
    Decision,
    Document,
    InformationRequest,
    News,
    Objection,
    PublicInformation,
)
from kotacerdas.lib import workdays


def request_of(case: Case) -> InformationRequest | None:
    return (
        InformationRequest.objects.select_related("case", "requester")
        .prefetch_related("files").filter(case=case).first()
    )


def public_register(year: int | None = None) -> QuerySet[InformationRequest]:
    """The register of requests (PPID register fields) without the requester's identity."""
    rows = InformationRequest.objects.select_related("case", "objection").order_by("-case__submitted_at")
    if year:
        rows = rows.filter(case__submitted_at__year=year)
    return rows.only(
        "information", "obtain", "decision", "decided_at", "extended_at", "case__tracking_code",
        "case__submitted_at", "case__status", "case__due_date", "objection__outcome", "objection__filed_at",
    )


def public_information() -> QuerySet[PublicInformation]:
    return PublicInformation.objects.select_related("agency")


@dataclass
class PpidFigures:
    year: int
    requests: int
    decided: int
    by_decision: list[tuple[object, int]]
    extended: int
    average_workdays: float | None
    within_deadline: int
    objections: int
    objections_by_outcome: list[tuple[object, int]]


def figures(year: int) -> PpidFigures:
    """The yearly PPID service report, computed from the requests themselves."""
    requests = list(
        InformationRequest.objects.filter(case__submitted_at__year=year).select_related("case")
    )
    holidays = holiday_dates(date(year, 1, 1))
    decided = [r for r in requests if r.decided_at is not None]
    days = [
        workdays.workdays_between(timezone.localdate(r.case.submitted_at), timezone.localdate(r.decided_at),
                                  holidays)
        for r in decided if r.decided_at is not None
    ]
    counts = dict.fromkeys(Decision.values, 0)
    for r in decided:
        counts[r.decision] = counts.get(r.decision, 0) + 1
    # In time: answered by the due date the request had then (the first or the extended one);
    # the case's due date moves on if an objection follows, so the answer keeps its own.
    within = sum(1 for r in decided
                 if r.decided_at and r.answer_due and timezone.localdate(r.decided_at) <= r.answer_due)
    objections = list(Objection.objects.filter(request__in=requests))
    outcomes = dict.fromkeys(Objection.Outcome.values, 0)
    for o in objections:
        if o.outcome:
            outcomes[o.outcome] += 1
    return PpidFigures(
        year=year,
        requests=len(requests),
        decided=len(decided),
        by_decision=[(Decision(value).label, n) for value, n in counts.items()],
        extended=sum(1 for r in requests if r.extended_at),
        average_workdays=round(mean(days), 1) if days else None,
        within_deadline=within,
        objections=len(objections),
        objections_by_outcome=[(Objection.Outcome(value).label, n) for value, n in outcomes.items()],
    )


# -- news, announcements and documents ----------------------------------------------------------

PLATFORM_AGENCY = "diskominfotik"


def may_publish_for(user, agency) -> bool:
    """Staff publish for their own agency; Diskominfotik's admins (and superusers) for all."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    membership = getattr(user, "staff_membership", None)
    if membership is None:
        return False
    if membership.role == Membership.Role.ADMIN and membership.agency.code == PLATFORM_AGENCY:
        return True
    return agency is not None and membership.agency_id == agency.pk


def publishing_agencies(user) -> QuerySet[Agency]:
    """The agencies this user may publish for."""
    agencies = Agency.objects.filter(is_active=True)
    if may_publish_for(user, None):
        return agencies
    membership = getattr(user, "staff_membership", None) if getattr(user, "is_authenticated", False) else None
    if membership is None:
        return agencies.none()
    return agencies.filter(pk=membership.agency_id)


def public_news() -> QuerySet[News]:
    """Published and due: a scheduled item appears by itself when its time comes."""
    return News.objects.filter(status=News.Status.PUBLISHED, publish_at__lte=timezone.now())


@dataclass
class NewsFilters:
    agency: str = ""
    tag: str = ""
    kind: str = ""
    text: str = ""


def news_list(filters: NewsFilters) -> QuerySet[News]:
    rows = public_news().select_related("agency")
    if filters.agency:
        rows = rows.filter(agency__code=filters.agency)
    if filters.kind in News.Kind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.text:
        for word in filters.text.split()[:8]:
            rows = rows.filter(Q(title__icontains=word) | Q(summary__icontains=word)
                               | Q(body__icontains=word))
    if filters.tag:
        # Tags are a short JSON list; matching the quoted tag in its text works the same on
        # SQLite and PostgreSQL, which JSON containment does not.
        rows = rows.filter(tags__icontains=json.dumps(filters.tag.lower()))
    return rows


def latest_news(limit: int = 4) -> list[News]:
    """For the home pages: one small query, featured items first among the newest."""
    return list(
        public_news().select_related("agency")
        .only("title", "slug", "summary", "kind", "featured", "publish_at", "image", "agency__short_name",
              "agency__code")
        .order_by("-featured", "-publish_at")[:limit]
    )


def news_for_public(slug: str) -> News | None:
    return public_news().select_related("agency").filter(slug=slug).first()


def news_for_editor(user, news_id: int) -> News | None:
    found = News.objects.select_related("agency").filter(pk=news_id).first()
    if found is None or not may_publish_for(user, found.agency):
        return None
    return found


def editable_news(user) -> QuerySet[News]:
    return News.objects.filter(agency__in=publishing_agencies(user)).select_related("agency")


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(published_at__lte=timezone.now())


@dataclass
class DocumentFilters:
    kind: str = ""
    year: int | None = None
    agency: str = ""
    status: str = ""
    text: str = ""


def document_list(filters: DocumentFilters) -> QuerySet[Document]:
    # The list never needs the extracted text, which can be long.
    rows = public_documents().select_related("agency").defer("text")
    if filters.kind in Document.Kind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.agency:
        rows = rows.filter(agency__code=filters.agency)
    if filters.status in Document.Status.values:
        rows = rows.filter(status=filters.status)
    for word in filters.text.split()[:8]:
        rows = rows.filter(Q(title__icontains=word) | Q(number__icontains=word) | Q(summary__icontains=word)
                           | Q(text__icontains=word))
    return rows


def document_for_public(document_id: int) -> Document | None:
    return public_documents().select_related("agency").filter(pk=document_id).first()


def document_years() -> list[int]:
    return list(public_documents().order_by("-year").values_list("year", flat=True).distinct())


def agencies_with_news() -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=public_news().values("agency")).order_by("short_name")


def agencies_with_documents() -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=public_documents().values("agency")).order_by("short_name")


def agency_for_public(code: str) -> Agency | None:
    return Agency.objects.filter(code=code, is_active=True).first()


def editable_documents(user) -> QuerySet[Document]:
    rows = Document.objects.filter(agency__in=publishing_agencies(user))
    return rows.select_related("agency").defer("text")


def document_for_editor(user, document_id: int) -> Document | None:
    found = Document.objects.select_related("agency").filter(pk=document_id).first()
    if found is None or not may_publish_for(user, found.agency):
        return None
    return found


def search_news(items: QuerySet[News] | None = None):
    from kotacerdas.search.sources import Document as Entry

    for item in public_news() if items is None else items:
        yield Entry(kind="news", key=f"news:{item.pk}", title=item.title,
                    text=f"{' '.join(item.tags)} {strip_tags(item.body)}", summary=item.summary,
                    url=item.get_absolute_url(), agency_id=item.agency_id, published_at=item.publish_at)


def search_documents(documents: QuerySet[Document] | None = None):
    from kotacerdas.search.sources import Document as Entry

    for document in public_documents() if documents is None else documents:
        yield Entry(kind="document", key=f"document:{document.pk}", title=document.title,
                    text=f"{document.number} {document.year} {document.summary} {document.text}",
                    summary=document.summary, url=f"/informasi/dokumen/{document.pk}/",
                    agency_id=document.agency_id, published_at=document.published_at)


# -- for the executive dashboard (kotacerdas.dashboard) ---------------------------------------


def request_rows(start, end):
    """One row per PPID request submitted in [start, end): (agency id, kelurahan id or None,
    decided, decided by the due date it had then) — the rules of figures()."""
    rows = InformationRequest.objects.filter(case__submitted_at__gte=start, case__submitted_at__lt=end)
    for agency_id, kelurahan_id, decided_at, answer_due in rows.values_list(
        "case__agency", "case__kelurahan", "decided_at", "answer_due"
    ).iterator(chunk_size=5000):
        decided = decided_at is not None
        yield (agency_id, kelurahan_id, decided,
               bool(decided and answer_due and timezone.localdate(decided_at) <= answer_due))
