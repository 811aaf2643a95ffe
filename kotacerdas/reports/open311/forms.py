"""Reading Open311 arguments: query strings of the GET methods and the form-encoded body of
POST requests. An optional argument sent empty counts as not sent (spec §1.1)."""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import QueryDict

from kotacerdas.reports.open311 import errors
from kotacerdas.reports.open311.errors import Open311Error

JAKARTA = ZoneInfo("Asia/Jakarta")
WINDOW = timedelta(days=90)  # spec §1.7: the default range, and the longest one may ask for
MAX_REQUESTS = 1000  # spec §1.7: at most the first 1,000 requests
DESCRIPTION_MAX = 4000  # spec §1.5
JURISDICTION = "blitarkota.go.id"

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# An unencoded "+" in a query string arrives as a space: "…T08:00:00 07:00".
_SPACE_FOR_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def arg(data: QueryDict, name: str) -> str:
    return data.get(name, "").strip()


def comma_list(data: QueryDict, name: str) -> list[str]:
    return [item.strip() for item in arg(data, name).split(",") if item.strip()]


def check_jurisdiction(data: QueryDict) -> None:
    """One city per endpoint, so jurisdiction_id is optional; a wrong one is a 404."""
    given = arg(data, "jurisdiction_id")
    if given and given.lower() != JURISDICTION:
        raise Open311Error(404, errors.UNKNOWN_JURISDICTION.format(expected=JURISDICTION))


def parse_w3c(raw: str, name: str, *, end_of_day: bool = False) -> datetime:
    """A W3C datetime (http://www.w3.org/TR/NOTE-datetime). A time needs a zone (Z or ±hh:mm);
    a bare date is a day in Kota Blitar, its start, or its end for an end bound."""
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", raw.strip())
    if _DATE_ONLY.match(text):
        try:
            day = datetime.fromisoformat(text).date()
        except ValueError:
            raise Open311Error(400, errors.BAD_DATETIME.format(name=name)) from None
        return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=JAKARTA)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(400, errors.BAD_DATETIME.format(name=name)) from None
    if "T" not in text.upper() or value.tzinfo is None:
        raise Open311Error(400, errors.BAD_DATETIME.format(name=name))
    return value


def _optional_datetime(data: QueryDict, name: str, *, end_of_day: bool = False) -> datetime | None:
    raw = arg(data, name)
    return parse_w3c(raw, name, end_of_day=end_of_day) if raw else None


def _whole_number(data: QueryDict, name: str, default: int, most: int) -> int:
    raw = arg(data, name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise Open311Error(400, errors.BAD_NUMBER.format(name=name, most=most))
    return int(raw)


@dataclass
class Window:
    start: datetime | None
    end: datetime | None


def window(data: QueryDict, now: datetime, *, default: bool = True) -> Window:
    """start_date/end_date on requested_datetime: at most 90 days; when one is missing the
    other bounds a 90-day range; when both are, the last 90 days (if `default`)."""
    start = _optional_datetime(data, "start_date")
    end = _optional_datetime(data, "end_date", end_of_day=True)
    if start is not None and end is not None:
        if start > end:
            raise Open311Error(400, errors.DATE_ORDER)
        if end - start > WINDOW + timedelta(days=1):  # a date-only end counts its whole day
            raise Open311Error(400, errors.DATE_SPAN.format(days=WINDOW.days))
        return Window(start, end)
    if start is not None:
        return Window(start, start + WINDOW)
    if end is not None:
        return Window(end - WINDOW, end)
    return Window(now - WINDOW, now) if default else Window(None, None)


def page(data: QueryDict) -> tuple[int, int]:
    """Extension `page`/`page_size` (GeoReport/v2/Extensions.md); without it, the first 1,000."""
    return (
        _whole_number(data, "page", 1, 1_000_000),
        _whole_number(data, "page_size", MAX_REQUESTS, MAX_REQUESTS),
    )


@dataclass
class RequestsQuery:
    ids: list[str]
    service_codes: list[str]
    statuses: set[str]
    window: Window
    updated_after: datetime | None
    updated_before: datetime | None
    page: int
    page_size: int
    extensions: bool


def requests_query(data: QueryDict, now: datetime) -> RequestsQuery:
    statuses = {s.lower() for s in comma_list(data, "status")}
    if not statuses <= {"open", "closed"}:
        raise Open311Error(400, errors.BAD_STATUS)
    updated_after = _optional_datetime(data, "updated_after")
    updated_before = _optional_datetime(data, "updated_before", end_of_day=True)
    number, size = page(data)
    return RequestsQuery(
        ids=comma_list(data, "service_request_id")[:MAX_REQUESTS],
        service_codes=comma_list(data, "service_code"),
        statuses=statuses,
        # A change feed (updated_after/updated_before, GeoReport v2.1 draft) follows old
        # reports too: the default 90 days on requested_datetime would hide them.
        window=window(data, now, default=updated_after is None and updated_before is None),
        updated_after=updated_after,
        updated_before=updated_before,
        page=number,
        page_size=size,
        extensions=arg(data, "extensions").lower() == "true",
    )


@dataclass
class Submission:
    """The arguments of POST requests.{fmt} (spec §1.5) as sent, after parsing."""

    service_code: str
    lat: float | None
    lon: float | None
    address_string: str
    address_id: str
    description: str
    email: str
    phone: str
    media_url: str
    anonymous: bool
    attributes: dict[str, str | list[str]] = field(default_factory=dict)
    location_problem: errors.Text | None = None
    problems: list[errors.Text] = field(default_factory=list)


def _coordinates(data: QueryDict) -> tuple[float | None, float | None, errors.Text | None]:
    raw_lat, raw_lon = arg(data, "lat"), arg(data, "long")
    if not raw_lat and not raw_lon:
        return None, None, None
    if not raw_lat or not raw_lon:
        return None, None, errors.LAT_LONG_PAIR
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        return None, None, errors.LAT_LONG_NUMBERS
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None, None, errors.LAT_LONG_NUMBERS
    return lat, lon, None


def attributes(data: QueryDict) -> dict[str, str | list[str]]:
    """attribute[code]=value, and attribute[code][]=v1&attribute[code][]=v2 for lists; a key
    repeated without [] also makes a list."""
    found: dict[str, str | list[str]] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        code = match.group(1).strip()
        values = [v.strip() for v in data.getlist(key) if v.strip()]
        if not values:
            continue
        if match.group(2) or len(values) > 1 or code in found:
            before = found.get(code, [])
            found[code] = (before if isinstance(before, list) else [before]) + values
        else:
            found[code] = values[0]
    return found


def submission(data: QueryDict) -> Submission:
    lat, lon, problem = _coordinates(data)
    description = arg(data, "description")
    problems = []
    if len(description) > DESCRIPTION_MAX:
        problems.append(errors.DESCRIPTION_TOO_LONG.format(n=DESCRIPTION_MAX))
    return Submission(
        service_code=arg(data, "service_code"),
        lat=lat,
        lon=lon,
        address_string=arg(data, "address_string"),
        address_id=arg(data, "address_id"),
        description=description,
        email=arg(data, "email"),
        phone=arg(data, "phone"),
        media_url=arg(data, "media_url"),
        # mySociety's extension (Open311 FMS "Proposed differences"): TRUE/FALSE.
        anonymous=arg(data, "public_anonymity_required").lower() in {"true", "1", "yes"},
        attributes=attributes(data),
        location_problem=problem,
        problems=problems,
    )
