"""The part of Solr's query syntax that CKAN clients put in `q` and `fq`, read into the
portal's own search (reference/ckan.md §3.3).

What real clients send: the CKAN harvester's `organization:a OR organization:b -groups:x
metadata_modified:[2025-05-01T09:00:00.123456Z TO *]`, ckanapi's README `+organization:x
+res_format:GeoJSON +tags:geojson`, front-ends' `tags:"air bersih"` and `groups:(a OR b)`,
ckanext-dcat's `-dataset_type:harvest`. Terms are ANDed; OR joins terms of one field.

Anything else is refused with a Search Query Error rather than guessed at: a harvester that
gets an error falls back to a full run, one that gets wrong results silently loses data.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata.ckan.dictize import organization_id
from kotacerdas.opendata.ckan.errors import SearchQueryError
from kotacerdas.opendata.models import Dataset, Resource
from kotacerdas.opendata.queries import SearchFilters, dataset_search

FIELDS = {
    "text", "title", "notes", "name", "id", "organization", "owner_org", "groups", "tags", "res_format",
    "license_id", "metadata_modified", "metadata_created", "capacity", "state", "dataset_type", "type",
}
DATE_FIELDS = {"metadata_modified", "metadata_created"}
UNITS = {"SECOND": "seconds", "MINUTE": "minutes", "HOUR": "hours", "DAY": "days"}
NOW_MATH = re.compile(r"NOW(?:([+-])(\d+)(SECOND|MINUTE|HOUR|DAY)S?)?(/DAY)?")
TOKEN = re.compile(
    r"""\s*(?:
      (?P<open>\()
    | (?P<close>\))
    | (?P<sign>[+-])?(?:(?P<field>[A-Za-z_][\w.]*|\*):)?
      (?:(?P<range>[\[{][^\]}]*[\]}])
       | (?P<group>\([^)]*\))
       | "(?P<phrase>(?:[^"\\]|\\.)*)"
       | (?P<word>(?:[^\s()"\\]|\\.)+))
    )""",
    re.VERBOSE,
)


@dataclass
class Clause:
    field: str
    values: list[str]
    negate: bool = False
    low: datetime | None = None
    high: datetime | None = None
    inclusive: tuple[bool, bool] = (True, True)
    is_range: bool = False


@dataclass
class Parsed:
    """Terms SearchFilters can say go there; the rest (negations, OR lists, exclusive ranges)
    are Q objects on Dataset, ANDed."""

    filters: SearchFilters = field(default_factory=SearchFilters)
    extra: list[Q] = field(default_factory=list)

    def apply(self, qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
        qs = dataset_search(qs, self.filters)
        for condition in self.extra:
            qs = qs.filter(condition)
        return qs


def parse(q: str, fq: list[str]) -> Parsed:
    parsed = Parsed()
    clauses = [clause for query in [q, *fq] for clause in _clauses(query)]
    words = []
    for clause in clauses:
        if clause.field == "text" and not clause.negate and len(clause.values) == 1:
            words += clause.values
        else:
            _add(parsed, clause)
    parsed.filters.text = " ".join(words)
    return parsed


def _clauses(query: str) -> list[Clause]:
    """Terms with their sign; OR merges neighbours of the same field; AND is the default."""
    tokens = _tokens(query)
    clauses: list[Clause] = []
    join_next = negate_next = False
    for token in tokens:
        if isinstance(token, str):
            if token == "OR":  # noqa: S105 - an operator, not a password
                if not clauses:
                    raise SearchQueryError("OR needs a term on each side")
                join_next = True
            elif token == "NOT":  # noqa: S105
                negate_next = True
            continue  # AND
        if negate_next:
            token.negate, negate_next = not token.negate, False
        if join_next:
            previous = clauses[-1]
            if (previous.field != token.field or previous.negate or token.negate or previous.is_range
                    or token.is_range):
                raise SearchQueryError("OR is supported only between terms of one field")
            previous.values += token.values
            join_next = False
        else:
            clauses.append(token)
    if join_next or negate_next:
        raise SearchQueryError("The query ends with an operator")
    return clauses


def _tokens(query: str) -> list[Clause | str]:
    tokens: list[Clause | str] = []
    position, query = 0, query.strip()
    while position < len(query):
        match = TOKEN.match(query, position)
        if match is None or match.end() == position:
            raise SearchQueryError(f"Cannot parse the query near {query[position:position + 30]!r}")
        position = match.end()
        if match["open"]:
            close = query.find(")", position)
            if close < 0:
                raise SearchQueryError("Unbalanced parentheses")
            inner = _clauses(query[position:close])
            if len(inner) != 1:
                raise SearchQueryError("Only one field, or an OR of one field, may be grouped in parentheses")
            tokens.append(inner[0])
            position = close + 1
            continue
        if match["close"]:
            raise SearchQueryError("Unbalanced parentheses")
        tokens.append(_clause(match))
    return tokens


def _clause(match: re.Match[str]) -> Clause | str:
    name, sign = match["field"], match["sign"]
    word = match["word"]
    if name is None and sign is None and word in ("AND", "OR", "NOT", "&&", "||"):
        return {"&&": "AND", "||": "OR"}.get(word, word)
    negate = sign == "-"
    if name == "*":
        if word == "*" and not negate:
            return "AND"  # *:* matches everything
        raise SearchQueryError("Only *:* may use the * field")
    name = name or "text"
    if name not in FIELDS:
        raise SearchQueryError(f"Unsupported field {name!r}; supported: {', '.join(sorted(FIELDS))}")
    if match["range"]:
        return _range(name, match["range"], negate)
    if match["group"]:
        if match["field"] is None:
            raise SearchQueryError("A signed group needs a field, e.g. -tags:(a OR b)")
        values = _group_values(match["group"][1:-1], name)
    elif match["phrase"] is not None:
        values = [_unescape(match["phrase"])]
    else:
        values = [_unescape(word)]
    if name in DATE_FIELDS:
        raise SearchQueryError(f"Use a range for {name}, e.g. {name}:[2025-01-01T00:00:00Z TO *]")
    return Clause(name, values, negate)


def _group_values(inner: str, name: str) -> list[str]:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', inner)
    values, operators = [], set()
    for phrase, word in parts:
        if word in ("OR", "AND", "||", "&&"):
            operators.add(word.replace("||", "OR").replace("&&", "AND"))
        else:
            values.append(_unescape(phrase or word))
    if not values or operators == {"AND", "OR"} or (operators == {"AND"} and len(values) > 1):
        raise SearchQueryError(f"Only {name}:(a OR b) lists are supported")
    return values


def _range(name: str, text: str, negate: bool) -> Clause:
    if name not in DATE_FIELDS:
        raise SearchQueryError(f"Ranges are supported only for {' and '.join(sorted(DATE_FIELDS))}")
    parts = text[1:-1].split()
    if len(parts) != 3 or parts[1] != "TO":
        raise SearchQueryError(f"A range is [FROM TO UNTIL], got {text!r}")
    return Clause(name, [], negate, low=_moment(parts[0]), high=_moment(parts[2]),
                  inclusive=(text[0] == "[", text[-1] == "]"), is_range=True)


def _moment(text: str) -> datetime | None:
    text = _unescape(text)
    if text == "*":
        return None
    now_math = NOW_MATH.fullmatch(text)
    if now_math:
        moment = timezone.now()
        sign, amount, unit, day = now_math.groups()
        if amount:
            delta = timedelta(**{UNITS[unit]: int(amount)})
            moment = moment - delta if sign == "-" else moment + delta
        if day:
            moment = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        return moment
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SearchQueryError(f"Invalid date {text!r}; use e.g. 2025-05-01T09:00:00.123456Z") from None
    # CKAN's timestamps are UTC without an offset.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _add(parsed: Parsed, clause: Clause) -> None:
    """Put the clause in SearchFilters when it says exactly that, else add a Q."""
    filters, name, values = parsed.filters, clause.field, clause.values
    positive = not clause.negate
    if clause.is_range:
        modified = name == "metadata_modified"
        attrs = ("modified_from", "modified_to") if modified else ("created_from", "created_to")
        if positive and clause.inclusive == (True, True) and getattr(filters, attrs[0]) is None \
                and getattr(filters, attrs[1]) is None:
            setattr(filters, attrs[0], clause.low)
            setattr(filters, attrs[1], clause.high)
            return
        column = "modified_at" if modified else "created_at"
        condition = Q()
        if clause.low is not None:
            condition &= Q(**{f"{column}__{'gte' if clause.inclusive[0] else 'gt'}": clause.low})
        if clause.high is not None:
            condition &= Q(**{f"{column}__{'lte' if clause.inclusive[1] else 'lt'}": clause.high})
        parsed.extra.append(condition if positive else ~condition)
        return
    if values == ["*"]:
        if positive:
            return  # every dataset has an organization, a name, ...
        raise SearchQueryError(f"-{name}:* is not supported")
    if name in ("organization", "owner_org"):
        values = organization_codes(values)
        if positive and not filters.organizations:
            filters.organizations = values
            return
        condition = Q(agency__code__in=values)
    elif name == "tags":
        if positive and len(values) == 1:
            filters.tags.append(values[0])
            return
        tagged = Dataset.tags.through.objects.filter(dataset_id=OuterRef("pk"), tag__name__in=values)
        condition = Q(Exists(tagged))
    elif name == "groups":
        ids = [value for value in values if is_uuid(value)]
        if positive and len(values) == 1 and not ids:
            filters.groups.append(values[0])
            return
        topics = Dataset.topics.through.objects.filter(dataset_id=OuterRef("pk"))
        condition = Q(Exists(topics.filter(Q(topic__name__in=values) | Q(topic_id__in=ids))))
    elif name == "res_format":
        if positive and not filters.formats:
            filters.formats = values
            return
        wanted = Q()
        for value in values:
            wanted |= Q(format__iexact=value)
        condition = Q(Exists(Resource.objects.filter(wanted, dataset=OuterRef("pk"))))
    elif name == "license_id":
        if positive and not filters.licences:
            filters.licences = values
            return
        condition = Q(license_id__in=values)
    elif name == "name":
        if positive and not filters.names:
            filters.names = values
            return
        condition = Q(name__in=values)
    elif name == "id":
        condition = Q(id__in=[value for value in values if is_uuid(value)])
    elif name in ("title", "notes", "text"):
        condition = Q()
        for value in values:
            words = Q()
            for word in value.lower().split():
                words &= Q(**{f"{'search_text' if name == 'text' else name}__icontains": word})
            condition |= words
    elif name == "capacity":
        unknown = set(values) - {"public", "private"}
        if unknown:
            raise SearchQueryError("capacity is public or private")
        condition = Q(private__in=[value == "private" for value in values])
    elif name == "state":
        statuses = {"active": [Dataset.Status.PUBLISHED], "deleted": [Dataset.Status.WITHDRAWN],
                    "draft": [Dataset.Status.DRAFT, Dataset.Status.REVIEW, Dataset.Status.RETURNED]}
        if set(values) - set(statuses):
            raise SearchQueryError("state is active, draft or deleted")
        condition = Q(status__in=[status for value in values for status in statuses[value]])
    else:  # dataset_type, type: every dataset here is a "dataset"
        condition = Q() if "dataset" in values else Q(pk__in=[])
        if not positive:
            parsed.extra.append(Q(pk__in=[]) if "dataset" in values else Q())
            return
    parsed.extra.append(condition if positive else ~condition)


def organization_codes(values: list[str]) -> list[str]:
    """Organizations by name (our agency code) or by the uuid5 id we publish."""
    if not any(is_uuid(value) for value in values):
        return values
    by_id = {organization_id(code): code for code in Agency.objects.values_list("code", flat=True)}
    return [by_id.get(value, value) for value in values]


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
