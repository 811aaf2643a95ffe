from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Case, Kind, Status
from kotacerdas.cases.queries import case_for_citizen, case_for_staff, holiday_dates
from kotacerdas.lib import workdays
from kotacerdas.lib.ikm import IkmResult, ikm_from_totals
from kotacerdas.services.models import Application, Draft, OutputDocument, Service, SurveyResponse, Upload


def catalog(
    *, text: str = "", agency: str = "", category: str = "", life_event: str = ""
) -> QuerySet[Service]:
    """Published services, filtered the ways residents look for them."""
    rows = Service.objects.filter(is_published=True).select_related("agency")
    if text:
        words = text.split()
        for word in words[:8]:
            rows = rows.filter(
                Q(name__icontains=word)
                | Q(summary__icontains=word)
                | Q(product__icontains=word)
                | Q(agency__name__icontains=word)
                | Q(agency__short_name__icontains=word)
            )
    if agency == "kelurahan":
        rows = rows.filter(all_kelurahan=True)
    elif agency:
        rows = rows.filter(agency__code=agency)
    if category:
        rows = rows.filter(category=category)
    if life_event:
        # JSON list membership, portable across SQLite and PostgreSQL.
        rows = rows.filter(life_events__icontains=f'"{life_event}"')
    return rows.order_by("name")


def service_public(slug: str) -> Service | None:
    return (
        Service.objects.filter(slug=slug, is_published=True)
        .select_related("agency")
        .prefetch_related("fields")
        .first()
    )


def agencies_with_services() -> QuerySet[Agency]:
    return Agency.objects.filter(services__is_published=True).distinct().order_by("name")


# --- Applications -------------------------------------------------------------------------


def application_for_citizen(user, tracking_code: str) -> Application:
    """The resident's own application; anyone else's is a 404, whatever the code."""
    case = case_for_citizen(user, tracking_code)
    application = (
        Application.objects.select_related("service", "case__agency")
        .filter(case=case, applicant=user)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_for_staff(user, tracking_code: str) -> Application:
    """Through case_for_staff: officers see their agency's applications and those it handed on."""
    case = case_for_staff(user, tracking_code)
    application = Application.objects.select_related("service", "applicant").filter(case=case).first()
    if application is None:
        raise Http404
    application.case = case
    return application


def application_of(case: Case) -> Application | None:
    """The application behind a case the caller has already been allowed to see."""
    application = Application.objects.select_related("service", "applicant").filter(case=case).first()
    if application is not None:
        application.case = case
    return application


def application_for_user(user, tracking_code: str) -> tuple[Application, bool]:
    """For pages both sides open (files, documents): the application and whether the user is
    staff looking at it. The resident's own comes first; otherwise staff access applies."""
    if getattr(user, "is_officer", False):
        return application_for_staff(user, tracking_code), True
    return application_for_citizen(user, tracking_code), False


def upload_of(application: Application, upload_id: int) -> Upload:
    upload = Upload.objects.filter(pk=upload_id, application=application).first()
    if upload is None:
        raise Http404
    return upload


def draft_upload(user, upload_id: int) -> Upload:
    """A file the resident uploaded to a draft they are still filling in."""
    upload = Upload.objects.filter(pk=upload_id, owner=user, application__isnull=True).first()
    if upload is None:
        raise Http404
    return upload


def draft_of(user, service: Service) -> Draft | None:
    return Draft.objects.filter(applicant=user, service=service).first()


def drafts_of(user) -> QuerySet[Draft]:
    drafts = Draft.objects.filter(applicant=user, service__is_published=True).select_related("service")
    return drafts.order_by("-updated_at")


def uploads_by_id(ids) -> dict[int, Upload]:
    return {u.pk: u for u in Upload.objects.filter(pk__in=[i for i in ids if isinstance(i, int)])}


def documents_of(application: Application) -> QuerySet[OutputDocument]:
    return application.documents.select_related("agency").order_by("issued_at")


def document_of(application: Application, document_id: int) -> OutputDocument:
    document = OutputDocument.objects.filter(pk=document_id, application=application).first()
    if document is None:
        raise Http404
    return document


def document_public(code: str) -> OutputDocument | None:
    code = code.strip().upper()
    return (
        OutputDocument.objects.select_related("agency", "application__applicant")
        .filter(verification_code=code)
        .first()
    )


def survey_of(application: Application) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(application=application).first()


def survey_is_open(application: Application) -> bool:
    """The SKM asks about a service received: an application finished with its output
    document, then maybe closed. A rejection sets resolved_at too, and a rejected
    application closed afterwards is not a finished one."""
    case = application.case
    return (
        case.resolved_at is not None
        and case.status in (Status.RESOLVED, Status.CLOSED)
        and application.documents.exists()
    )


# --- Public statistics ----------------------------------------------------------------------


@dataclass
class ServiceFigures:
    applications: int
    per_month: list[tuple[date, int]]
    finished: int
    median_workdays: float | None
    within_standard: float | None  # share of finished applications, 0..1
    ikm: IkmResult | None


def _paused_workdays(submitted: date, sla: int, due: date, holidays) -> int:
    # The due date moves by the working days the clock was stopped; the distance between
    # the original and the final due date is that time.
    return workdays.workdays_between(workdays.add_workdays(submitted, sla, holidays), due, holidays)


def _finished(cases: QuerySet[Case]):
    return (
        cases.filter(resolved_at__isnull=False, status__in=[Status.RESOLVED, Status.CLOSED])
        .exclude(application__documents=None)
        .distinct()
    )


def _completion(rows, holidays) -> tuple[float | None, float | None, int]:
    """Median working days to finish (without time waiting on the resident), the share
    finished by the due date, and how many, from (submitted_at, resolved_at, due, sla) rows."""
    taken, on_time = [], 0
    for submitted_at, resolved_at, due, sla in rows:
        submitted, resolved = timezone.localdate(submitted_at), timezone.localdate(resolved_at)
        paused = _paused_workdays(submitted, sla, due, holidays)
        taken.append(max(workdays.workdays_between(submitted, resolved, holidays) - paused, 0))
        on_time += resolved <= due
    if not taken:
        return None, None, 0
    return median(taken), on_time / len(taken), len(taken)


def _ikm(totals: dict) -> IkmResult | None:
    return ikm_from_totals([totals[name] or 0 for name in SurveyResponse.ELEMENTS], totals["n"])


SURVEY_SUMS = {name: Sum(name) for name in SurveyResponse.ELEMENTS}
COMPLETION_COLUMNS = ("submitted_at", "resolved_at", "due_date", "sla_workdays")


def figures(*, year: int, service: Service | None = None, agency: Agency | None = None) -> ServiceFigures:
    """Applications per month, working days to finish (median), share finished within the
    standard time, and the IKM, for one year; city-wide, or for one service or agency."""
    cases = Case.objects.filter(kind=Kind.SERVICE, submitted_at__year=year)
    surveys = SurveyResponse.objects.filter(submitted_at__year=year)
    if service is not None:
        cases = cases.filter(application__service=service)
        surveys = surveys.filter(service=service)
    if agency is not None:
        cases = cases.filter(agency=agency)
        surveys = surveys.filter(agency=agency)
    per_month = list(
        cases.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
        .values_list("month", "n")
    )
    median_days, within, finished = _completion(
        _finished(cases).values_list(*COMPLETION_COLUMNS), holiday_dates(date(year, 1, 1))
    )
    return ServiceFigures(
        applications=sum(n for _month, n in per_month),
        per_month=[(month.date() if hasattr(month, "date") else month, n) for month, n in per_month],
        finished=finished,
        median_workdays=median_days,
        within_standard=within,
        ikm=_ikm(surveys.aggregate(n=Count("id"), **SURVEY_SUMS)),
    )


def figures_by_agency(year: int) -> list[tuple[Agency, ServiceFigures]]:
    """The same figures for every agency that received applications, in a fixed number of
    queries whatever the number of agencies."""
    cases = Case.objects.filter(kind=Kind.SERVICE, submitted_at__year=year)
    counts = dict(cases.values("agency").annotate(n=Count("id")).values_list("agency", "n"))
    finished: dict[int, list] = {}
    for agency_id, *row in _finished(cases).values_list("agency", *COMPLETION_COLUMNS):
        finished.setdefault(agency_id, []).append(row)
    surveys = {
        row["agency"]: row
        for row in SurveyResponse.objects.filter(submitted_at__year=year)
        .values("agency")
        .annotate(n=Count("id"), **SURVEY_SUMS)
    }
    holidays = holiday_dates(date(year, 1, 1))
    table = []
    for agency in Agency.objects.filter(pk__in=set(counts) | set(surveys)).order_by("name"):
        median_days, within, done = _completion(finished.get(agency.pk, []), holidays)
        table.append(
            (
                agency,
                ServiceFigures(
                    applications=counts.get(agency.pk, 0),
                    per_month=[],
                    finished=done,
                    median_workdays=median_days,
                    within_standard=within,
                    ikm=_ikm(surveys[agency.pk]) if agency.pk in surveys else None,
                ),
            )
        )
    return table


def search_documents():
    """Published services for the site-wide search (kotacerdas.search)."""
    from kotacerdas.search.sources import Document

    for service in Service.objects.filter(is_published=True).select_related("agency"):
        text = " ".join([service.summary, service.product, " ".join(map(str, service.requirements)),
                         " ".join(map(str, service.procedure)), service.get_category_display()])
        yield Document(kind="service", key=f"service:{service.pk}", title=service.name, text=text,
                       summary=service.summary, url=f"/layanan/{service.slug}/", agency_id=service.agency_id)


# --- For the executive dashboard (kotacerdas.dashboard) -------------------------------------


def online_share() -> tuple[int, int]:
    """(published services, of which can be done fully online)."""
    published = Service.objects.filter(is_published=True)
    return published.count(), published.filter(online=True).count()


def survey_totals_by_agency(start, end) -> list[dict]:
    """SKM answers submitted in [start, end) per agency: respondents ``n`` and the sum of
    each element ``u1``..``u9``, the additive parts of an IKM (lib.ikm.ikm_from_totals)."""
    rows = (
        SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values("agency")
        .annotate(n=Count("id"), **SURVEY_SUMS)
        .order_by("agency")
    )
    return [{**row, **{name: row[name] or 0 for name in SurveyResponse.ELEMENTS}} for row in rows]


def application_rows(start, end):
    """One row per application submitted in [start, end): (agency id, kelurahan id or None,
    finished with its output document, finished by its due date) — the same rules as
    figures() uses for the share within the standard time."""
    cases = Case.objects.filter(kind=Kind.SERVICE, submitted_at__gte=start, submitted_at__lt=end)
    finished = {
        pk: timezone.localdate(resolved_at) <= due
        for pk, resolved_at, due in _finished(cases).values_list("pk", "resolved_at", "due_date")
    }
    for pk, agency_id, kelurahan_id in cases.values_list("pk", "agency_id", "kelurahan_id").iterator(
        chunk_size=5000
    ):
        yield agency_id, kelurahan_id, pk in finished, finished.get(pk, False)
