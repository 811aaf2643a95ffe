import weakref
from datetime import date, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, Count, Field, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from kotacerdas.cases.models import FINAL_STATUSES, Case, CaseEvent, Holiday
from kotacerdas.lib import workdays
from kotacerdas.lib.trackcode import normalize_code
from kotacerdas.regions.models import Region


def holiday_dates(since: date | None = None) -> frozenset[date]:
    rows = Holiday.objects.all()
    if since is not None:
        rows = rows.filter(date__gte=since - timedelta(days=7))
    return frozenset(rows.values_list("date", flat=True))


def due_date_for(start: date, sla_workdays: int) -> date:
    return workdays.add_workdays(start, sla_workdays, holiday_dates(start))


def _staff_agency(user):
    membership = getattr(user, "membership", None)
    return membership.agency if membership else None


def cases_for_staff(user) -> QuerySet[Case]:
    """Cases addressed to the officer's agency, plus those it handed over (read only)."""
    agency = _staff_agency(user)
    if agency is None:
        return Case.objects.none()
    visible = Q(agency=agency) | Q(handovers__from_agency=agency)
    return Case.objects.filter(pk__in=Case.objects.filter(visible).values("pk"))


def case_for_staff(user, tracking_code: str) -> Case:
    """The one way a staff view gets a case; a case of another agency is a 404."""
    code = normalize_code(tracking_code)
    case = (
        cases_for_staff(user)
        .select_related("agency", "citizen", "assignee", "kelurahan")
        .filter(tracking_code=code)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_for_citizen(user, tracking_code: str) -> Case:
    case = (
        Case.objects.select_related("agency", "kelurahan")
        .filter(citizen=user, tracking_code=normalize_code(tracking_code))
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_public(tracking_code: str) -> Case | None:
    return (
        Case.objects.select_related("agency", "kelurahan")
        .filter(tracking_code=normalize_code(tracking_code))
        .first()
    )


def public_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(is_public=True).order_by("at", "id")


# The public tracking API (GET /api/v1/cases/{code}) is the busiest public endpoint, and
# building ORM querysets and model instances costs several times more than the database
# work. So it reads the same rows as case_public + public_events (public fields only) in
# one fixed query: the case and its agency, LEFT JOINed to its public events, oldest first,
# and converts the columns with the same converters the ORM would use.
# benchmarks/tracking.py measures the difference.
_PUBLIC_TRACK_SQL = (
    'SELECT "c"."tracking_code", "c"."kind", "c"."title", "c"."status", "c"."submitted_at", '
    '"c"."due_date", "c"."resolved_at", "a"."code", "a"."name", '
    '"e"."at", "e"."type", "e"."to_status", "e"."text", "e"."data" '
    'FROM "cases_case" "c" INNER JOIN "agencies_agency" "a" ON "a"."id" = "c"."agency_id" '
    'LEFT OUTER JOIN "cases_caseevent" "e" ON "e"."case_id" = "c"."id" AND "e"."is_public" = %s '
    'WHERE "c"."tracking_code" = %s ORDER BY "e"."at", "e"."id"'
)
_PUBLIC_CASE_KEYS = (
    "tracking_code", "kind", "title", "status", "submitted_at", "due_date", "resolved_at",
    "agency_code", "agency_name",
)
_PUBLIC_EVENT_KEYS = ("at", "type", "to_status", "text", "data")
# Columns whose database values need converting (dates and times on SQLite, JSON everywhere).
_CONVERTED_COLUMNS = {
    4: (Case, "submitted_at"), 5: (Case, "due_date"), 6: (Case, "resolved_at"),
    9: (CaseEvent, "at"), 13: (CaseEvent, "data"),
}


# Per connection object (each thread has its own), worked out once: asking the ORM on every
# request cost a sixth of the view's time.
_CONVERTERS: "weakref.WeakKeyDictionary[Any, list[tuple[int, Any, list]]]" = weakref.WeakKeyDictionary()


def _converters() -> list[tuple[int, Any, list]]:
    wrapper = connections[DEFAULT_DB_ALIAS]  # `connection` is a proxy to it
    found = _CONVERTERS.get(wrapper)
    if found is None:
        found = _CONVERTERS[wrapper] = _converters_of()
    return found


def _converters_of() -> list[tuple[int, Any, list]]:
    converters = []
    for index, (model, name) in _CONVERTED_COLUMNS.items():
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        col = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        converters.append((index, col, functions))
    return converters


def public_track(tracking_code: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """What case_public and public_events give the API, as plain values: the case's public
    fields with agency_code and agency_name, and its public events (at, type, to_status,
    text, data) oldest first. None when no case has this code."""
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_TRACK_SQL, [True, normalize_code(tracking_code)])
        rows = [list(row) for row in cursor.fetchall()]
    if not rows:
        return None
    for index, col, functions in _converters():
        for row in rows:
            for function in functions:
                row[index] = function(row[index], col, connection)
    case = dict(zip(_PUBLIC_CASE_KEYS, rows[0][:9], strict=True))
    events = [dict(zip(_PUBLIC_EVENT_KEYS, row[9:], strict=True)) for row in rows if row[10] is not None]
    return case, events


def timeline_for_staff(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def cases_of_citizen(user) -> QuerySet[Case]:
    return Case.objects.filter(citizen=user).select_related("agency").order_by("-submitted_at")


# "Open" as the partial index case_open_due_idx (models.Case.Meta) states it, with the
# statuses written into the SQL in the same order instead of passed as parameters: SQLite
# uses a partial index only when the query repeats its condition literally, and
# PostgreSQL cannot prove a parameter matches it in a prepared (generic) plan. With the
# index, the first inbox page reads 50 rows and its count only the agency's open cases;
# without it both read every case the agency ever had (benchmarks/services.py).
OPEN_SQL = 'NOT ("cases_case"."status" IN ({}))'.format(
    ", ".join(f"'{status}'" for status in sorted(FINAL_STATUSES))
)


def inbox(
    user,
    *,
    status: str = "",
    kind: str = "",
    overdue: bool = False,
    mine: bool = False,
    include_closed: bool = False,
) -> QuerySet[Case]:
    """The officer's work list: open cases of the agency, most urgent due date first."""
    agency = _staff_agency(user)
    if agency is None:
        return Case.objects.none()
    # Every row is the officer's own agency, shown once from the membership: no need to
    # join it 50 times. Nor is the map outline of a row's kelurahan shown in a list, and
    # decoding 50 of them cost more than building the rows.
    rows = (
        Case.objects.filter(agency=agency)
        .select_related("assignee", "kelurahan")
        .defer("kelurahan__boundary")
    )
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(due_date__lt=timezone.localdate(), paused_since__isnull=True)
    if overdue or not (status or include_closed):
        # Constant SQL from our own status values: nothing from the request goes into it.
        rows = rows.filter(RawSQL(OPEN_SQL, [], output_field=BooleanField()))  # noqa: S611
    if kind:
        rows = rows.filter(kind=kind)
    if mine:
        rows = rows.filter(assignee=user)
    return rows.order_by("due_date", "submitted_at")


def with_sla_flags(cases, today: date | None = None) -> list[Case]:
    """Mark each case `overdue` or `nearly_due` (due today or the next working day),
    loading the holiday calendar once for the whole list."""
    today = today or timezone.localdate()
    holidays = holiday_dates(today)
    rows = list(cases)
    for case in rows:
        running = case.is_open and not case.is_paused
        case.overdue = running and case.due_date < today
        case.nearly_due = (
            running
            and not case.overdue
            and workdays.workdays_between(today, case.due_date, holidays) <= 1
        )
    return rows


# --- For the executive dashboard (kotacerdas.dashboard) -------------------------------------

def open_counts(today: date) -> list[tuple[str, int, int | None, bool, int]]:
    """Open cases now, counted by (kind, agency id, kelurahan id, overdue); overdue as
    Case.is_overdue: open, not waiting on the resident, past its due date."""
    open_cases = Case.objects.exclude(status__in=sorted(FINAL_STATUSES))
    overdue = Q(paused_since__isnull=True, due_date__lt=today)
    rows = []
    for is_overdue, part in ((True, open_cases.filter(overdue)), (False, open_cases.exclude(overdue))):
        for kind, agency_id, kelurahan_id, n in (
            part.values_list("kind", "agency_id", "kelurahan_id").annotate(n=Count("id")).order_by()
        ):
            rows.append((kind, agency_id, kelurahan_id, is_overdue, n))
    return rows


def dashboard_cases(
    *, kind: str = "", state: str = "", agency_ids=None, kelurahan_id: int | None = None,
    start=None, end=None, today: date | None = None,
) -> QuerySet[Case]:
    """The cases behind a dashboard figure: of a kind, in a state ("open", "overdue",
    "finished" or any), of some agencies and a kelurahan, submitted in [start, end). Open
    and overdue ones most urgent first (through the partial index of open cases, as the
    inbox), the others newest first."""
    today = today or timezone.localdate()
    rows = Case.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if state in ("open", "overdue"):
        # Constant SQL from our own status values: nothing from the request goes into it.
        rows = rows.filter(RawSQL(OPEN_SQL, [], output_field=BooleanField()))  # noqa: S611
        if state == "overdue":
            rows = rows.filter(paused_since__isnull=True, due_date__lt=today)
    elif state == "finished":  # resolved or closed after it: not rejected
        rows = rows.filter(status__in=["resolved", "closed"])
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    if kelurahan_id is not None:
        rows = rows.filter(kelurahan_id=kelurahan_id)
    if start is not None:
        rows = rows.filter(submitted_at__gte=start)
    if end is not None:
        rows = rows.filter(submitted_at__lt=end)
    order = ("due_date", "id") if state in ("open", "overdue") else ("-submitted_at", "-id")
    # Agencies and kelurahan come in their own small queries: joined, SQLite walks the
    # cases agency by agency and sorts them all (120 ms for the city's 24,000 overdue
    # cases) instead of reading the first page of an index.
    return rows.prefetch_related(
        "agency", Prefetch("kelurahan", queryset=Region.objects.defer("boundary"))
    ).order_by(*order)


def first_submitted() -> date | None:
    """The day the oldest case was submitted (WIB), None when there is none."""
    first = Case.objects.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return timezone.localdate(first) if first else None
