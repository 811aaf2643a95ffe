"""GeoReport v2 methods as plain Django views; the URL's extension picks JSON or XML.

Errors are always the spec's list of {code, description} with 400, 403 or 404 (and 405
for a method a resource does not have), in the format the URL asked for.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.accounts.queries import api_key_valid
from kotacerdas.regions.models import Region
from kotacerdas.reports.actions import clean_attributes
from kotacerdas.reports.errors import ReportInvalid
from kotacerdas.reports.models import Attribute, Category
from kotacerdas.reports.open311 import errors, forms, queries
from kotacerdas.reports.open311.actions import open311_request_submit
from kotacerdas.reports.open311.encoders import render
from kotacerdas.reports.open311.errors import Open311Error, Text

View = Callable[..., HttpResponse]


def open311(*methods: str) -> Callable[[View], View]:
    """Answer `methods` (GET also answers HEAD); turn Open311Error into the errors list."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in allowed:
                    method = (request.method or "")[:10]
                    raise Open311Error(405, errors.METHOD_NOT_ALLOWED.format(method=method))
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                problems = [{"code": p.code, "description": p.description} for p in error.problems]
                response = render(problems, root="errors", fmt=fmt, status=error.status)
                if error.status == 405:
                    response["Allow"] = ", ".join(sorted(allowed))
            if request.method in ("GET", "HEAD"):
                # Public data any web page may read, as FixMyStreet's own Open311 server allows.
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorate


@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(queries.discovery(), root="discovery", fmt=fmt)


@open311("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    forms.check_jurisdiction(request.GET)
    return render(queries.services(), root="services", fmt=fmt)


@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    forms.check_jurisdiction(request.GET)
    category = queries.category_for(code)
    if category is None:
        raise Open311Error(404, errors.UNKNOWN_SERVICE.format(code=code[:40], format=fmt))
    return render(queries.service_definition(category), root="service_definition", fmt=fmt)


@csrf_exempt  # partners authenticate with api_key, not a session cookie
@open311("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    forms.check_jurisdiction(request.GET)
    query = forms.requests_query(request.GET, timezone.now())
    return render(queries.service_requests(query), root="service_requests", fmt=fmt)


@open311("GET")
def service_request(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    forms.check_jurisdiction(request.GET)
    found = queries.service_request(code, extensions=forms.arg(request.GET, "extensions").lower() == "true")
    if found is None:
        raise Open311Error(404, errors.UNKNOWN_REQUEST.format(code=code[:20]))
    # Still a list of one (spec §1.8).
    return render([found], root="service_requests", fmt=fmt)


@open311("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Our requests are realtime: POST answers with service_request_id, never a token. A
    client that asks anyway with the id it got is answered; anything else is not found."""
    forms.check_jurisdiction(request.GET)
    code = queries.public_tracking_code(token)
    if code is None:
        raise Open311Error(404, errors.UNKNOWN_TOKEN.format(token=token[:20]))
    return render([{"service_request_id": code, "token": token}], root="service_requests", fmt=fmt)


@open311("GET")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """mySociety's GET servicerequestupdates: how FixMyStreet learns of status changes."""
    forms.check_jurisdiction(request.GET)
    span = forms.window(request.GET, timezone.now())
    number, size = forms.page(request.GET)
    updates = queries.request_updates(span, number, size)
    return render(updates, root="service_request_updates", fmt=fmt)


# --- POST requests.{fmt} ------------------------------------------------------------------


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    raw_key = forms.arg(data, "api_key")
    api_key = api_key_valid(raw_key) if raw_key else None
    if api_key is None:
        raise Open311Error(403, errors.BAD_API_KEY)
    forms.check_jurisdiction(data)
    sent = forms.submission(data)
    if not sent.service_code:
        raise Open311Error(400, errors.SERVICE_CODE_MISSING)
    category = queries.category_for(sent.service_code)
    if category is None:
        raise Open311Error(404, errors.UNKNOWN_SERVICE.format(code=sent.service_code[:40], format=fmt))
    lat, lon, centroid_of, location_problem = _point(sent)
    attributes, attribute_problems = _attributes(category, sent.attributes)
    problems = ([location_problem] if location_problem else []) + sent.problems + attribute_problems
    if problems:
        raise Open311Error(400, *problems)
    try:
        report = open311_request_submit(
            api_key=api_key,
            category=category,
            # Only to let the resident follow their report in their own account; nothing
            # of it is echoed, so the answer does not tell whether the account exists.
            reporter=queries.resident_for(sent.email, sent.phone),
            # The spec makes description optional; ours is never empty on the report page.
            description=sent.description or category.name,
            lat=lat,
            lon=lon,
            address=sent.address_string,
            anonymous=sent.anonymous,
            attributes=attributes,
            photos=[upload for name in request.FILES for upload in request.FILES.getlist(name)],
            media_url=_link(sent.media_url),
            idempotency_key=request.headers.get("Idempotency-Key", "")[:200],
        )
    except ReportInvalid as invalid:
        raise Open311Error(400, *_field_problems(invalid.errors)) from None
    case = report.case
    notice = errors.SERVICE_NOTICE.format(
        code=case.tracking_code,
        agency=case.agency.short_name or case.agency.name,
        due=case.due_date.isoformat(),
        url=queries.absolute(reverse("reports:report", args=[case.tracking_code])),
    )
    if centroid_of is not None:
        centroid = errors.SERVICE_NOTICE_CENTROID.format(kelurahan=centroid_of.name)
        notice = Text(f"{notice.id} {centroid.id}", f"{notice.en} {centroid.en}")
    created = {"service_request_id": case.tracking_code, "service_notice": str(notice), "account_id": None}
    return render([created], root="service_requests", fmt=fmt)


def _point(sent: forms.Submission) -> tuple[float | None, float | None, Region | None, Text | None]:
    """lat/long, else a kelurahan code in address_id (its centre). An address string alone
    is not enough: we do not geocode street addresses, and the report needs a point."""
    if sent.location_problem is not None:
        return None, None, None, sent.location_problem
    if sent.lat is not None and sent.lon is not None:
        return sent.lat, sent.lon, None, None
    if sent.address_id:
        kelurahan = queries.kelurahan_by_code(sent.address_id)
        if kelurahan is None:
            return None, None, None, errors.UNKNOWN_ADDRESS_ID.format(address_id=sent.address_id[:40])
        return kelurahan.centroid_lat, kelurahan.centroid_lon, kelurahan, None
    if sent.address_string:
        return None, None, None, errors.ADDRESS_NEEDS_POINT
    return None, None, None, errors.LOCATION_MISSING


def _attributes(category: Category, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Text]]:
    """Datetime attributes must be W3C datetimes (stored normalised); the rest is
    report_submit's own check, run here too so one answer lists every problem."""
    values = dict(raw)
    problems: list[Text] = []
    for attribute in category.attributes.all():
        value = values.get(attribute.code)
        if attribute.datatype == Attribute.Datatype.DATETIME and isinstance(value, str) and value:
            try:
                values[attribute.code] = queries.w3c(forms.parse_w3c(value, attribute.code))
            except Open311Error:
                problems.append(_prefixed(f"attribute[{attribute.code}]", errors.DATETIME_ATTRIBUTE))
    _cleaned, invalid = clean_attributes(category, values)
    for code, message in invalid.items():
        problems.append(_prefixed(f"attribute[{code}]", errors.catalog_or(message, errors.ATTRIBUTE_ENGLISH)))
    return values, problems


# report_submit's field names, as the Open311 argument a client knows.
PARAMETERS = {
    "location": "lat/long",
    "photos": "media",
    "privacy": "public_anonymity_required",
    "category": "service_code",
    "description": "description",
}


def _field_problems(invalid: dict[str, Any]) -> list[Text]:
    problems = []
    for name, message in invalid.items():
        if name == "location":
            problems.append(errors.OUTSIDE_CITY)  # we sent a point, so it lies outside the city
        elif name in PARAMETERS:
            english = errors.FIELD_ENGLISH.get(name, "invalid value.")
            problems.append(_prefixed(PARAMETERS[name], errors.catalog_or(message, english)))
        else:
            text = errors.catalog_or(message, errors.ATTRIBUTE_ENGLISH)
            problems.append(_prefixed(f"attribute[{name}]", text))
    return problems


def _prefixed(parameter: str, text: Text) -> Text:
    return Text(f"{parameter}: {text.id}", f"{parameter}: {text.en}")


def _link(url: str) -> str:
    """Keep media_url only when it is a plain http(s) link."""
    if not url or len(url) > 500:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url
