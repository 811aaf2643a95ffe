"""Downloads of a loaded table as CSV, JSON and XLSX, streamed page by page.

Pages are read by `_id` ranges (keyset), not with one open cursor: psycopg's default cursor
would fetch a million rows into memory at once, and a short query per page holds no
transaction open while a slow client downloads.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import connection

from kotacerdas.opendata.datastore.query import columns_of, json_value
from kotacerdas.opendata.models import DatastoreField, Resource

Type = DatastoreField.Type

PAGE_ROWS = 5000


def _pages(resource: Resource) -> tuple[list[str], list[str], Iterator[list[list[Any]]]]:
    """Field names, their types, and the rows (JSON-ready values) page by page."""
    columns = columns_of(resource)
    names = [column.name for column in columns]
    types = [column.type for column in columns]
    select = ", ".join(column.sql for column in columns)
    table = connection.ops.quote_name(resource.table_name)
    # Identifiers are our own (checked in columns_of); the bound is a parameter.
    sql = f'SELECT {select} FROM {table} WHERE "_id" > %s ORDER BY "_id" LIMIT %s'  # noqa: S608

    def pages() -> Iterator[list[list[Any]]]:
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [last, PAGE_ROWS])
                rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [[json_value(value, type) for value, type in zip(row, types, strict=True)] for row in rows]

    return names, types, pages()


def export_csv(resource: Resource, *, bom: bool = False) -> Iterator[bytes]:
    """RFC 4180 CSV in UTF-8 with a header row; `bom` for spreadsheet programs that need it."""
    names, _types, pages = _pages(resource)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    yield (("\ufeff" if bom else "") + buffer.getvalue()).encode()
    for page in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([["" if v is None else _csv_text(v) for v in row] for row in page])
        yield buffer.getvalue().encode()


def _csv_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def export_json(resource: Resource) -> Iterator[bytes]:
    """CKAN's datastore dump JSON: {"fields": [...], "records": [[...], ...]}."""
    columns = columns_of(resource)
    names, _types, pages = _pages(resource)
    fields = json.dumps([column.describe() for column in columns], ensure_ascii=False)
    yield f'{{"fields": {fields}, "records": ['.encode()
    first = True
    for page in pages:
        chunk = ",\n".join(json.dumps(row, ensure_ascii=False) for row in page)
        yield (chunk if first else ",\n" + chunk).encode()
        first = False
    yield b"]}\n"


def export_xlsx(resource: Resource, path: str | Path) -> None:
    """Write the table to an XLSX file at `path`, one row at a time (openpyxl write-only)."""
    from openpyxl import Workbook

    names, types, pages = _pages(resource)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(names)
    for page in pages:
        for row in page:
            sheet.append([
                _xlsx_value(value, type) for value, type in zip(row, types, strict=True)
            ])
    book.save(path)


def _xlsx_value(value: Any, type: str) -> Any:
    # Real dates, so that the spreadsheet can sort and filter them.
    if value is None:
        return None
    if type == Type.DATE:
        return date.fromisoformat(value)
    if type == Type.TIMESTAMP:
        return datetime.fromisoformat(value)
    return value
