"""datastore_search over a loaded table, with CKAN's parameters and result shape
(reference/ckan.md §5.3).

Headers never reach SQL: every name a client sends is looked up among the resource's
DatastoreField rows and replaced by its column (c0, c1 ...); every value is a parameter.
"""

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.utils.translation import gettext as _

from kotacerdas.opendata.datastore import fulltext, infer, tables
from kotacerdas.opendata.models import DatastoreField, Resource

Type = DatastoreField.Type

DEFAULT_LIMIT = 100
MAX_LIMIT = 32000  # CKAN's ckan.datastore.search.rows_max
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
LINK_PATH = "/api/3/action/datastore_search"

_SORT = re.compile(
    r'\s*(?P<name>"[^"]+"|.+?)(?:\s+(?P<direction>asc|desc))?(?:\s+nulls\s+(?P<nulls>first|last))?\s*',
    re.IGNORECASE,
)


class DatastoreQueryError(Exception):
    """Invalid parameters; `errors` maps a parameter to bilingual messages, like CKAN's
    ValidationError dict."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class DatastoreNotFound(LookupError):
    """The resource has no loaded table."""


class _Column:
    """A field as the query sees it: `_id` or a DatastoreField."""

    def __init__(self, name: str, sql: str, type: str, label: str = "", notes: str = "") -> None:
        self.name = name
        self.sql = sql
        self.type = type
        self.label = label
        self.notes = notes

    def describe(self) -> dict[str, Any]:
        if self.name == "_id":
            return {"id": "_id", "type": "int"}
        return {"id": self.name, "type": self.type, "info": {"label": self.label, "notes": self.notes}}


def columns_of(resource: Resource) -> list[_Column]:
    """`_id` and the resource's fields in order; DatastoreNotFound if nothing is loaded."""
    found = [
        _Column(field.name, _column_sql(field.column), field.type, field.label, field.notes)
        for field in DatastoreField.objects.filter(resource=resource).order_by("position")
    ]
    if not found:
        raise DatastoreNotFound(str(resource.id))
    return [_Column("_id", '"_id"', Type.INT), *found]


def _column_sql(column: str) -> str:
    if not tables.COLUMN.fullmatch(column):  # defence in depth: columns are ours, c0..c9999
        raise DatastoreNotFound(column)
    return f'"{column}"'


def search(
    resource: Resource,
    *,
    filters: Mapping[str, Any] | None = None,
    q: str | Mapping[str, str] | None = None,
    fields: Sequence[str] | str | None = None,
    sort: str | Sequence[str] | None = None,
    limit: int | str = DEFAULT_LIMIT,
    offset: int | str = 0,
    include_total: bool = True,
    distinct: bool = False,
    records_format: str = "objects",
    link_path: str = LINK_PATH,
) -> dict[str, Any]:
    """CKAN's datastore_search result for one resource.

    Raises DatastoreNotFound when the resource has no table, DatastoreQueryError for
    unknown columns, a bad sort, limit, offset, filter value or records_format.
    """
    columns = columns_of(resource)
    by_name = {column.name: column for column in columns}
    errors: dict[str, list[str]] = {}

    limit_value = _natural(limit, "limit", errors, maximum=MAX_LIMIT)
    offset_value = _natural(offset, "offset", errors)
    if records_format not in RECORDS_FORMATS:
        errors.setdefault("records_format", []).append(
            _("Format tidak dikenal / Unknown records_format: %(value)s") % {"value": records_format}
        )
    selected = _selected(fields, columns, by_name, errors)
    where, params = _where(resource.table_name, filters, q, by_name, errors)
    table = connection.ops.quote_name(resource.table_name)
    fts = connection.ops.quote_name(tables.fts_table(resource.table_name))
    # SQLite: the FTS5 table drives the query. It yields matching rowids in order, so the
    # first page stops after `limit` matches instead of collecting all of them (a word of a
    # kecamatan name matches a third of the rows). CROSS JOIN keeps SQLite from probing the
    # FTS index once per row of the data table.
    joined = bool(where) and where[0].startswith(f"{fts} MATCH")
    row_id = f"{fts}.rowid" if joined else '"_id"'
    order = _order(sort, by_name, selected, distinct, errors, row_id)
    if errors:
        raise DatastoreQueryError(errors)

    select = ", ".join(column.sql for column in selected)
    source = f'{fts} CROSS JOIN {table} ON {table}."_id" = {fts}.rowid' if joined else table
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    keyword = "SELECT DISTINCT" if distinct else "SELECT"
    # Identifiers come from DatastoreField (checked c0..cN) and our table name; values are
    # parameters.
    sql = f"{keyword} {select} FROM {source}{condition} ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit_value, offset_value])
        rows = cursor.fetchall()
        total = None
        if include_total:
            if distinct:
                counted = f"SELECT COUNT(*) FROM ({keyword} {select} FROM {source}{condition}) AS d"  # noqa: S608
            elif joined and len(where) == 1:
                counted = f"SELECT COUNT(*) FROM {fts}{condition}"  # noqa: S608
            else:
                counted = f"SELECT COUNT(*) FROM {source}{condition}"  # noqa: S608
            cursor.execute(counted, params)
            total = cursor.fetchone()[0]

    records = _records(rows, selected, records_format)
    result: dict[str, Any] = {
        "include_total": include_total,
        "resource_id": str(resource.id),
        "fields": [column.describe() for column in selected],
        "records_format": records_format,
        "records": records,
        "limit": limit_value,
        "offset": offset_value,
        "_links": _links(
            link_path, resource, filters=filters, q=q, fields=fields, sort=sort, limit=limit_value,
            offset=offset_value, distinct=distinct, records_format=records_format,
        ),
    }
    if filters:
        result["filters"] = dict(filters)
    if q:
        result["q"] = q if isinstance(q, str) else dict(q)
    if sort:
        result["sort"] = sort if isinstance(sort, str) else ", ".join(sort)
    if distinct:
        result["distinct"] = True
    if include_total:
        result["total"] = total
        result["total_was_estimated"] = False
    return result


def preview(
    resource: Resource,
    *,
    page: int = 1,
    per_page: int = 25,
    filters: Mapping[str, Any] | None = None,
    sort: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """One page of a table for the dataset page: search() plus page numbers."""
    page = max(1, page)
    found = search(resource, filters=filters, q=q, sort=sort, limit=per_page, offset=(page - 1) * per_page)
    total = found["total"]
    return {
        "fields": found["fields"],
        "records": found["records"],
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": max(1, -(-total // per_page)),
    }


def _natural(value: Any, name: str, errors: dict[str, list[str]], maximum: int | None = None) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or (maximum is not None and number > maximum):
        if maximum is not None:
            message = _("Harus bilangan bulat 0–%(max)s / Must be a whole number 0–%(max)s") % {
                "max": maximum
            }
        else:
            message = _("Harus bilangan bulat 0 atau lebih / Must be a whole number, 0 or more")
        errors.setdefault(name, []).append(message)
        return 0
    return number


def _unknown(name: str) -> str:
    return _("Kolom tidak dikenal / Unknown column: %(name)s") % {"name": name}


def _selected(fields, columns, by_name, errors) -> list[_Column]:
    if fields is None or fields == "" or fields == []:
        return columns
    names = fields.split(",") if isinstance(fields, str) else list(fields)
    selected = []
    for raw in names:
        name = str(raw).strip()
        if name in by_name:
            selected.append(by_name[name])
        else:
            errors.setdefault("fields", []).append(_unknown(name))
    return selected


def _where(table: str, filters, q, by_name, errors) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters:
        if not isinstance(filters, Mapping):
            errors.setdefault("filters", []).append(_("Harus berupa objek / Must be an object"))
        else:
            for name, wanted in filters.items():
                column = by_name.get(name)
                if column is None:
                    errors.setdefault("filters", []).append(_unknown(name))
                    continue
                values = list(wanted) if isinstance(wanted, list | tuple) else [wanted]
                try:
                    converted = [_filter_value(value, column.type) for value in values]
                except ValueError:
                    errors.setdefault("filters", []).append(
                        _("Nilai tidak sesuai tipe kolom / Value does not fit the column type: %(name)s")
                        % {"name": name}
                    )
                    continue
                present = [value for value in converted if value is not None]
                parts = []
                if present:
                    parts.append(f"{column.sql} IN ({', '.join(['%s'] * len(present))})")
                    params.extend(present)
                if len(present) < len(converted):
                    parts.append(f"{column.sql} IS NULL")
                where.append("(" + " OR ".join(parts) + ")" if parts else "1 = 0")
    if isinstance(q, str):
        terms = fulltext.terms(q)
        if terms and tables.uses_fts5(connection):
            fts = connection.ops.quote_name(tables.fts_table(table))
            where.insert(0, f"{fts} MATCH %s")  # first: search() joins the FTS table for it
            params.insert(0, fulltext.sqlite_match(terms))
        else:
            _full_text(table, terms, where, params)
    elif isinstance(q, Mapping):
        for name, text in q.items():
            column = by_name.get(name)
            if column is None:
                errors.setdefault("q", []).append(_unknown(name))
                continue
            terms = fulltext.terms(str(text))
            # Words (or prefixes with "*"), like q over the row: the row's index finds them, the
            # LIKE keeps the rows where they are in this column. Non-text columns are scanned.
            if column.type == Type.TEXT:
                _full_text(table, terms, where, params)
            for word, _prefix in terms:
                where.append(f"LOWER(CAST({column.sql} AS TEXT)) LIKE %s")
                params.append(f"%{word}%")
    elif q is not None:
        errors.setdefault("q", []).append(_("Harus teks atau objek / Must be text or an object"))
    return where, params


def _full_text(table: str, terms: list[tuple[str, bool]], where: list[str], params: list[Any]) -> None:
    if not terms:
        return
    if connection.vendor == "postgresql":
        where.append("\"_full_text\" @@ to_tsquery('simple', %s)")
        params.append(fulltext.pg_tsquery(terms))
    elif tables.uses_fts5(connection):
        fts = connection.ops.quote_name(tables.fts_table(table))
        where.append(f'"_id" IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)')  # noqa: S608
        params.append(fulltext.sqlite_match(terms))
    else:
        for word, prefix in terms:
            where.append("(' ' || \"_full_text\" || ' ') LIKE %s")
            params.append(f"% {word}{'%' if prefix else ' %'}")


def _filter_value(value: Any, type: str) -> Any:
    """A filter value as the column stores it. API clients write numbers the machine way
    ("12.5"), so text is read with a decimal point here, unlike uploaded files."""
    if value is None:
        return None
    if type == Type.TEXT:
        if isinstance(value, bool):
            return json.dumps(value)
        return str(value)
    if isinstance(value, bool):
        if type != Type.BOOL:
            raise ValueError(value)
        converted: Any = value
    elif isinstance(value, int | float | Decimal) and type in (Type.INT, Type.NUMERIC):
        if type == Type.INT:
            if Decimal(str(value)) != Decimal(str(value)).to_integral_value():
                raise ValueError(value)
            converted = int(value)
        else:
            converted = Decimal(str(value))
    elif type == Type.BOOL and str(value).strip() in ("1", "0", "t", "f"):
        converted = str(value).strip() in ("1", "t")
    else:
        converted = infer.parse(str(value), type, decimal=".")
        if converted is None:
            return None
    if connection.vendor == "sqlite":
        if isinstance(converted, Decimal):
            return float(converted)
        if isinstance(converted, date | datetime):
            return converted.isoformat()
    return converted


def _order(sort, by_name, selected, distinct, errors, row_id: str) -> str:
    items = sort.split(",") if isinstance(sort, str) else list(sort or [])
    parts: list[str] = []
    used: list[_Column] = []
    for item in items:
        if not str(item).strip():
            continue
        match = _SORT.fullmatch(str(item))
        name = match["name"].strip('"') if match else str(item)
        column = by_name.get(name)
        if match is None or column is None:
            errors.setdefault("sort", []).append(_unknown(name))
            continue
        if distinct and column not in selected:
            errors.setdefault("sort", []).append(
                _("Dengan distinct, urutkan hanya kolom yang dipilih / With distinct, sort by selected "
                  "fields only: %(name)s") % {"name": name}
            )
            continue
        clause = f"{column.sql} {(match['direction'] or 'asc').upper()}"
        if match["nulls"]:
            clause += f" NULLS {match['nulls'].upper()}"
        parts.append(clause)
        used.append(column)
    # Stable pages: ties are broken by the row number (or, with distinct, by every field).
    # The row number runs the same way as the first sort key, so that an index on that
    # column (which carries the row number after the value) can be read without sorting.
    direction = "DESC" if parts and " DESC" in parts[0] else "ASC"
    if distinct:
        parts.extend(f"{column.sql} ASC" for column in selected if column not in used)
    elif by_name["_id"] not in used:
        parts.append(f"{row_id} {direction}")
    return ", ".join(parts)


def json_value(value: Any, type: str) -> Any:
    """A stored value as JSON: ISO dates, numbers as numbers, booleans as booleans."""
    if value is None:
        return None
    if type == Type.NUMERIC:
        number = Decimal(str(value)) if isinstance(value, float) else value
        return int(number) if number == number.to_integral_value() else float(number)
    if type == Type.BOOL:
        return bool(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _records(rows, selected: list[_Column], records_format: str) -> Any:
    types = [column.type for column in selected]
    values = [[json_value(value, type) for value, type in zip(row, types, strict=True)] for row in rows]
    if records_format == "objects":
        names = [column.name for column in selected]
        return [dict(zip(names, row, strict=True)) for row in values]
    if records_format == "lists":
        return values
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if records_format == "tsv" else ",", lineterminator="\n")
    writer.writerows(values)
    return out.getvalue()


def _links(
    path, resource, *, filters, q, fields, sort, limit, offset, distinct, records_format
) -> dict[str, str]:
    args: dict[str, Any] = {"resource_id": str(resource.id)}
    if filters:
        args["filters"] = json.dumps(filters, default=str, ensure_ascii=False)
    if q:
        args["q"] = q if isinstance(q, str) else json.dumps(q, ensure_ascii=False)
    if fields:
        args["fields"] = fields if isinstance(fields, str) else ",".join(fields)
    if sort:
        args["sort"] = sort if isinstance(sort, str) else ",".join(sort)
    if limit != DEFAULT_LIMIT:
        args["limit"] = limit
    if distinct:
        args["distinct"] = "true"
    if records_format != "objects":
        args["records_format"] = records_format
    links = {
        "start": f"{path}?{urlencode(args)}",
        "next": f"{path}?{urlencode({'offset': offset + limit, **args})}",
    }
    if offset - limit > 0:
        links["prev"] = f"{path}?{urlencode({'offset': offset - limit, **args})}"
    return links
