"""Load an uploaded CSV or XLSX file into its resource's own SQL table.

Two streaming passes, never the whole file in memory: the first reads every row to learn the
column types (infer.py; CKAN's DataPusher guessed from the first rows and then died on a later
value, ckan/datapusher#48), the second converts and inserts. A cell that does not fit its
column's type becomes NULL and a problem {row, column, value, error} for the producer; the row
itself is always kept, because dropping it would silently change totals.

The new table is built beside the current one and swapped in at the end, in one transaction
with its DatastoreField rows, so readers see either the old table or the new one.
"""

import codecs
import csv
import io
import itertools
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from kotacerdas.opendata.datastore import fulltext, infer, tables
from kotacerdas.opendata.models import DatastoreField, Resource

Type = DatastoreField.Type

MAX_PROBLEMS = 1000
# The survey of a CSV reads every row (for the encoding and the shape of the file) but looks
# at the values of the first SURVEY_ALL_ROWS and then of one row in SURVEY_EVERY: counting
# every cell of a million rows took longer than loading them. A rare value the sample missed
# is still caught by the load, as a reported problem.
SURVEY_ALL_ROWS = 100_000
SURVEY_EVERY = 10
BATCH_ROWS = 5000
# Each SQLite commit flushes FTS5's in-memory index into a new segment: commit seldom.
SQLITE_COMMIT_ROWS = 50_000
# PostgreSQL refuses b-tree entries over ~2.7 kB; longer texts are prose, found through `q`.
MAX_INDEXED_TEXT = 200
_MEMO_LIMIT = 100_000
_DELIMITERS = (",", ";", "\t", "|")
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class LoadError(Exception):
    """The file cannot be read as a table at all; `message` is bilingual, for the producer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class LoadResult:
    fields: list[DatastoreField]
    row_count: int
    # The first MAX_PROBLEMS problems; `row` counts like a spreadsheet (the header is row 1).
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    encoding: str = ""
    delimiter: str = ""


# --- Reading ---------------------------------------------------------------------------------


class _CsvSource:
    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as f:
            head = f.read(1 << 16)
        if head.startswith(b"PK\x03\x04"):
            raise LoadError(_("Berkas ini XLSX/ZIP, bukan CSV / This file is XLSX/ZIP, not CSV"))
        if b"\x00" in head:
            raise LoadError(_("Berkas ini bukan teks CSV / This file is not CSV text"))
        self.encodings = list(_ENCODINGS)
        for encoding in _ENCODINGS:
            try:
                text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            except UnicodeDecodeError:
                self.encodings.remove(encoding)
                continue
            break
        self.encoding = self.encodings[0]
        self.delimiter = _sniff_delimiter(text)

    def fall_back(self) -> bool:
        """Try the next encoding after a byte the current one cannot read, found mid-file."""
        self.encodings.pop(0)
        if not self.encodings:
            return False
        self.encoding = self.encodings[0]
        return True

    def rows(self) -> Iterator[list[Any]]:
        with open(self.path, encoding=self.encoding, newline="") as f:
            try:
                yield from csv.reader(f, delimiter=self.delimiter)
            except csv.Error as exc:
                raise LoadError(
                    _("CSV tidak dapat dibaca / Cannot read the CSV: %(error)s") % {"error": exc}
                ) from exc


def _sniff_delimiter(text: str) -> str:
    """The delimiter that gives the header several columns and most lines the same count.

    Indonesian Excel writes ";" because "," is the decimal mark, so counting characters in the
    header alone would pick "," for "jumlah;rata-rata\\n1,5;2,5".
    """
    best, best_score = ",", (False, 0, 0)
    for delimiter in _DELIMITERS:
        rows = []
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            for row in reader:
                rows.append(row)
                if len(rows) > 20:
                    break
        except csv.Error:
            continue
        if len(rows) > 1 and len(text) >= (1 << 16) - 4:
            rows.pop()  # the last line of a truncated head is cut short
        if not rows:
            continue
        width = len(rows[0])
        score = (width > 1, sum(len(row) == width for row in rows[1:]), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _XlsxSource:
    encoding = ""
    delimiter = ""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fall_back(self) -> bool:
        return False

    def rows(self) -> Iterator[list[Any]]:
        import zipfile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise LoadError(_("Berkas XLSX tidak dapat dibuka / Cannot open the XLSX file")) from exc
        try:
            if not book.worksheets:
                return
            sheet = book.worksheets[0]
            # Some writers record a wrong sheet size ("A1"); read every row there is.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()


def _trim(row: list[Any]) -> list[Any]:
    while row and (row[-1] is None or (isinstance(row[-1], str) and not row[-1].strip())):
        row.pop()
    return row


# --- Pass 1: what the columns are ------------------------------------------------------------


@dataclass
class _Survey:
    header: list[Any]
    profiles: list[infer.ColumnProfile]
    rows: int


def _survey(source: _CsvSource | _XlsxSource) -> _Survey:
    while True:
        try:
            return _survey_once(source)
        except UnicodeDecodeError as exc:
            if not source.fall_back():
                raise LoadError(_("Pengodean teks tidak dikenal / Unknown text encoding")) from exc


def _survey_once(source: _CsvSource | _XlsxSource) -> _Survey:
    rows = source.rows()
    header = next(rows, None)
    while header is not None and not _trim(header):
        header = next(rows, None)
    if header is None:
        raise LoadError(_("Berkas kosong, tidak ada judul kolom / Empty file, no header row"))
    profiles = [infer.ColumnProfile() for _cell in header]
    count = 0
    texts = isinstance(source, _CsvSource)
    batch: list[list[Any]] = []
    for row in rows:
        if not (any(row) if texts else _trim(row)):
            continue
        count += 1
        if len(row) > len(profiles):
            profiles.extend(infer.ColumnProfile() for _cell in range(len(row) - len(profiles)))
        if texts:
            if count <= SURVEY_ALL_ROWS or count % SURVEY_EVERY == 0:
                batch.append(row)
            if len(batch) >= BATCH_ROWS:
                _observe_columns(profiles, batch)
        else:
            for profile, value in zip(profiles, row, strict=False):
                profile.observe(value)
    _observe_columns(profiles, batch)
    return _Survey(header, profiles, count)


def _observe_columns(profiles: list[infer.ColumnProfile], batch: list[list[Any]]) -> None:
    """Hand CSV cells to the profiles column by column: transposing with zip() and counting
    with Counter.update keep the per-cell work in C."""
    width = len(profiles)
    for row in batch:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    for profile, column in zip(profiles, zip(*batch, strict=False), strict=False):
        profile.observe_texts(column)
    batch.clear()


def column_names(header: list[Any], width: int) -> list[str]:
    """Headers as field names: blank ones become "kolom_<n>", repeats get "_2", "_3"...

    A leading "_" is dropped because CKAN reserves such names (`_id`, `_full_text`).
    """
    names: list[str] = []
    seen: set[str] = set()
    for position in range(width):
        raw = header[position] if position < len(header) else None
        text = "" if raw is None else infer._cell_text(raw)
        name = " ".join(text.replace('"', "").split())[:200].lstrip("_").strip()
        name = name or f"kolom_{position + 1}"
        unique, n = name, 2
        while unique in seen:
            unique, n = f"{name}_{n}", n + 1
        seen.add(unique)
        names.append(unique)
    return names


# --- Pass 2: convert and insert ---------------------------------------------------------------


def _storage(vendor: str, type: str):
    """How a converted value is handed to the database."""
    if vendor == "sqlite":
        if type == Type.NUMERIC:
            return float
        if type in (Type.DATE, Type.TIMESTAMP):
            return lambda value: value.isoformat()
    return None


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: int, column: str | None, value: Any, error: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            text = "" if value is None else infer._cell_text(value)
            self.items.append({"row": row, "column": column, "value": text[:200], "error": error})


class _Column:
    __slots__ = ("decimal", "max_length", "memo", "name", "store", "type")

    def __init__(self, name: str, type: str, decimal: str, store) -> None:
        self.name = name
        self.type = type
        self.decimal = decimal
        self.store = store
        self.memo: dict[str, Any] = {}
        self.max_length = 0


_MISSING = object()


class _Bad:
    __slots__ = ("error",)

    def __init__(self, error: str) -> None:
        self.error = error


def _rows_for_insert(source, columns: list[_Column], problems: _Problems) -> Iterator[tuple[Any, ...]]:
    """(_id, c0, c1 ..., full text) for every non-blank row."""
    width = len(columns)
    rows = source.rows()
    number = 0
    for header in rows:  # the header row (after any blank rows before it)
        number += 1
        if _trim(header):
            break
    texts = isinstance(source, _CsvSource)
    memos = [column.memo for column in columns]
    for memo in memos:
        memo[""] = None
    get = dict.get
    missing = itertools.repeat(_MISSING)
    # SQLite's FTS5 cuts words itself, in C; the raw cells are enough (see fulltext.py).
    raw_words = connection.vendor == "sqlite" and tables.uses_fts5(connection)
    row_id = 0
    for row in rows:
        number += 1
        # A CSV row of empty strings is blank; trailing empty cells fall off at zip() below.
        if not (any(row) if texts else _trim(row)):
            continue
        row_id += 1
        if len(row) > width and not all(_blank(cell) for cell in row[width:]):
            # Only empty cells and dashes can be past the last column (see load_table).
            problems.add(number, None, row[width], _("Sel berlebih diabaikan / Extra cells ignored"))
        if texts:
            # Most cells repeat (names, years, categories), and map(dict.get) looks them up in
            # C; only cells not seen before come back as _MISSING and are converted.
            values = list(map(get, memos, row, missing))
            words = " ".join(row) if raw_words else fulltext.document(row)
        else:
            values = [_MISSING if cell is not None else None for cell in row[:width]]
            words = fulltext.document([infer._cell_text(cell) for cell in row if cell is not None])
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        if _MISSING in values:
            for position, value in enumerate(values):
                if value is not _MISSING:
                    continue
                cell = row[position]
                column = columns[position]
                value = _convert(cell, column)
                if isinstance(value, _Bad):  # not remembered: bad cells are few, and reported each
                    problems.add(number, column.name, cell, value.error)
                    value = None
                elif texts and len(column.memo) < _MEMO_LIMIT:
                    column.memo[cell] = value
                if isinstance(value, str) and len(value) > column.max_length:
                    column.max_length = len(value)
                values[position] = value
        yield (row_id, *values, words)



def _convert(cell: Any, column: _Column) -> Any:
    try:
        value = infer.convert(cell, column.type, decimal=column.decimal)
    except ValueError as exc:
        return _Bad(str(exc))
    if value is not None and column.store is not None:
        return column.store(value)
    return value


# --- The table --------------------------------------------------------------------------------


def load_table(
    resource: Resource,
    path: str | Path,
    *,
    format: str,
    overrides: dict[str, str] | None = None,
) -> LoadResult:
    """Replace the resource's table with the rows of the CSV or XLSX file at `path`.

    `overrides` maps field names (the deduplicated headers) to a DatastoreField.Type the
    producer chose. Writes the table and the DatastoreField rows; the Resource itself
    (row_count, load_status, load_problems) is the caller's to update from the result. Run it
    outside a transaction where possible: on SQLite each batch then commits on its own, and
    other writers are not locked out for the whole load.

    Raises LoadError when the file is not a readable table or an override is invalid.
    """
    tables.supported(connection)
    path = Path(path)
    kind = format.upper()
    if kind == Resource.Format.CSV:
        source: _CsvSource | _XlsxSource = _CsvSource(path)
    elif kind == Resource.Format.XLSX:
        source = _XlsxSource(path)
    else:
        raise LoadError(_("Hanya CSV dan XLSX yang dapat dimuat / Only CSV and XLSX can be loaded"))

    survey = _survey(source)
    width = len(survey.profiles)
    # Trailing columns with neither a header nor any value are the spreadsheet's empty margin.
    while width and (width > len(survey.header) or _blank(survey.header[width - 1])) \
            and not survey.profiles[width - 1].has_values():
        width -= 1
    if not width:
        raise LoadError(_("Tidak ada kolom / The file has no columns"))
    names = column_names(survey.header, width)
    guesses = [profile.guess() for profile in survey.profiles[:width]]
    types = _apply_overrides(names, [guess.type for guess in guesses], overrides or {})

    vendor = connection.vendor
    columns = [
        _Column(name, type, guess.decimal, _storage(vendor, type))
        for name, type, guess in zip(names, types, guesses, strict=True)
    ]
    problems = _Problems()
    table = resource.table_name
    building = f"{table}_{secrets.token_hex(3)}"
    try:
        if vendor == "postgresql":
            row_count = _build_postgresql(building, source, columns, problems)
        else:
            row_count = _build_sqlite(building, source, columns, problems)
    except BaseException:
        _discard(building)
        raise

    with transaction.atomic():
        previous = {f.name: f for f in DatastoreField.objects.filter(resource=resource)}
        _drop(table)
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {_q(building)} RENAME TO {_q(table)}")
            if tables.uses_fts5(connection):
                cursor.execute(
                    f"ALTER TABLE {_q(tables.fts_table(building))} RENAME TO {_q(tables.fts_table(table))}"
                )
            if vendor == "sqlite":
                # Statistics are kept by table name, so gather them after the rename.
                cursor.execute("PRAGMA analysis_limit = 1000")
                cursor.execute(f"ANALYZE {_q(table)}")
            else:
                cursor.execute(f"ANALYZE {_q(table)}")
        DatastoreField.objects.filter(resource=resource).delete()
        fields = DatastoreField.objects.bulk_create(
            DatastoreField(
                resource=resource,
                position=position,
                name=column.name,
                column=f"c{position}",
                type=column.type,
                inferred_type=guess.type,
                # A reload keeps the data dictionary the producer wrote for the same header.
                label=previous[column.name].label if column.name in previous else "",
                notes=previous[column.name].notes if column.name in previous else "",
            )
            for position, (column, guess) in enumerate(zip(columns, guesses, strict=True))
        )
    return LoadResult(
        fields=fields,
        row_count=row_count,
        problems=problems.items,
        problem_count=problems.count,
        encoding=source.encoding,
        delimiter=source.delimiter,
    )


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _apply_overrides(names: list[str], types: list[str], overrides: dict[str, str]) -> list[str]:
    types = list(types)
    for name, type in overrides.items():
        if name not in names:
            raise LoadError(_("Kolom tidak dikenal / Unknown column: %(name)s") % {"name": name})
        if type not in Type.values:
            raise LoadError(
                _("Tipe kolom tidak dikenal / Unknown column type: %(type)s") % {"type": type}
            )
        types[names.index(name)] = type
    return types


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _create(building: str, columns: list[_Column], full_text_type: str | None) -> str:
    sql_types = tables.SQL_TYPES[connection.vendor]
    id_type = "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "bigint PRIMARY KEY"
    definitions = [f'"_id" {id_type}']
    definitions += [f'"c{position}" {sql_types[column.type]}' for position, column in enumerate(columns)]
    if full_text_type:
        definitions.append(f'"_full_text" {full_text_type}')
    return f"CREATE TABLE {_q(building)} ({', '.join(definitions)})"


def _indexes(building: str, columns: list[_Column]) -> list[str]:
    """Indexes for `filters` and `sort` on every column short enough to index."""
    statements = []
    order = ', "_id"' if connection.vendor == "postgresql" else ""  # SQLite indexes carry rowid
    for position, column in enumerate(columns):
        if column.type == Type.TEXT and column.max_length > MAX_INDEXED_TEXT:
            continue
        statements.append(
            f'CREATE INDEX {_q(f"{building}_c{position}")} ON {_q(building)} ("c{position}"{order})'
        )
    return statements


def _build_sqlite(building: str, source, columns: list[_Column], problems: _Problems) -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        # Sorting a million keys per index in SQLite's default 2 MB page cache spills to disk
        # over and over; 64 MB keeps each index build in memory.
        cursor.execute("PRAGMA cache_size = -65536")
    try:
        return _fill_sqlite(building, source, columns, problems)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache_size}")


def _fill_sqlite(building: str, source, columns: list[_Column], problems: _Problems) -> int:
    fts = tables.uses_fts5(connection)
    width = len(columns)
    with connection.cursor() as cursor:
        cursor.execute(_create(building, columns, None if fts else "TEXT"))
        if fts:
            # Contentless: the words are indexed, not stored twice, and the table has no
            # `content=` name to go stale when the new table is renamed into place.
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_q(tables.fts_table(building))} "
                "USING fts5(words, content='', tokenize='unicode61 remove_diacritics 2')"
            )
    placeholders = ", ".join(["%s"] * (width + (1 if fts else 2)))
    # Identifiers here are our own table names; every value is a parameter.
    insert = f"INSERT INTO {_q(building)} VALUES ({placeholders})"  # noqa: S608
    insert_words = f"INSERT INTO {_q(tables.fts_table(building))} (rowid, words) VALUES (%s, %s)"  # noqa: S608
    count = 0
    batch: list[tuple[Any, ...]] = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if fts:
                cursor.executemany(insert, [row[:-1] for row in batch])
                cursor.executemany(insert_words, [(row[0], row[-1]) for row in batch])
            else:
                cursor.executemany(insert, batch)
        batch.clear()

    for row in _rows_for_insert(source, columns, problems):
        batch.append(row)
        count += 1
        if len(batch) >= SQLITE_COMMIT_ROWS:
            flush()
    if batch:
        flush()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in _indexes(building, columns):
            cursor.execute(statement)
    return count


def _build_postgresql(building: str, source, columns: list[_Column], problems: _Problems) -> int:
    names = ", ".join(['"_id"', *(f'"c{position}"' for position in range(len(columns))), '"_full_text"'])
    count = 0
    # One transaction: nobody else sees a table under construction, and a failure removes it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_create(building, columns, "tsvector"))
        with cursor.copy(f"COPY {_q(building)} ({names}) FROM STDIN") as copy:
            for row in _rows_for_insert(source, columns, problems):
                # The words are letters and digits only: valid tsvector input as they are.
                copy.write_row(row)
                count += 1
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in _indexes(building, columns):
            cursor.execute(statement)
        cursor.execute(
            f'CREATE INDEX {_q(f"{building}_text")} ON {_q(building)} USING gin ("_full_text")'
        )
    return count


def _existing(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        return [name for name in connection.introspection.table_names(cursor) if name.startswith(prefix)]


def _drop(table: str) -> None:
    with connection.cursor() as cursor:
        if tables.uses_fts5(connection):
            cursor.execute(f"DROP TABLE IF EXISTS {_q(tables.fts_table(table))}")
        cursor.execute(f"DROP TABLE IF EXISTS {_q(table)}")


def _discard(building: str) -> None:
    """Remove a half-built table after a failed load, when the failure left a transaction to
    do it in (inside an outer transaction that failed, its rollback removes the table)."""
    if connection.needs_rollback:
        return
    try:
        with transaction.atomic():
            _drop(building)
    except DatabaseError:
        pass


def drop_table(resource: Resource) -> None:
    """Remove the resource's table (and any left by an interrupted load) and its fields."""
    with transaction.atomic():
        for name in _existing(resource.table_name):
            if not name.endswith("_fts") and "_fts_" not in name:
                _drop(name)
        DatastoreField.objects.filter(resource=resource).delete()
