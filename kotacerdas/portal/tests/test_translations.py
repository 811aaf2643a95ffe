"""The English catalogue is complete, compiled and used.

The source language is Bahasa Indonesia (msgids are Indonesian). The compiled django.mo is
committed because CI machines may lack GNU gettext, so these tests catch a .po that was edited
without recompiling. To update the catalogue after changing strings:

    cd kotacerdas
    ../.venv/bin/kotacerdas makemessages -l en --ignore 'tests/*' --ignore '*/tests/*' --no-obsolete
    # translate new or fuzzy entries in locale/en/LC_MESSAGES/django.po, then
    ../.venv/bin/kotacerdas compilemessages -l en
"""

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
RECOMPILE = "run `cd kotacerdas && ../.venv/bin/kotacerdas compilemessages -l en` and commit django.mo"


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def label(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: comments and flags, msgctxt, msgid, msgid_plural, msgstr, msgstr[n],
    continuation lines, and obsolete (#~) entries."""
    entries: list[Entry] = []
    entry, target = Entry(line=1), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            if entry.msgstr:  # a comment after a msgstr starts the next entry
                entries.append(entry)
                entry, target = Entry(line=number), None
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            assert target is not None, f"django.po:{number}: string outside an entry"
            append(entry, target, ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            entries.append(entry)
            entry = Entry(line=number)
        if keyword.startswith("msgstr[") and keyword.endswith("]"):
            target = ("msgstr", int(keyword[7:-1]))
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            target = (keyword, 0)
        else:
            raise AssertionError(f"django.po:{number}: unknown keyword {keyword!r}")
        if keyword == "msgid":
            entry.line = number
        entry.obsolete = entry.obsolete or obsolete
        append(entry, target, ast.literal_eval(rest))
    if target is not None:
        entries.append(entry)
    return entries


def append(entry: Entry, target: tuple[str, int], text: str) -> None:
    kind, index = target
    if kind == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif kind == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif kind == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif kind == "msgid":
        entry.msgid += text


ENTRIES = parse_po(PO) if PO.exists() else []
MESSAGES = [e for e in ENTRIES if e.msgid and not e.obsolete]
HEADER = next((e for e in ENTRIES if e.msgid == "" and not e.obsolete), None)


def nplurals() -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", HEADER.msgstr.get(0, "") if HEADER else "")
    return int(match.group(1)) if match else 2


def test_parser_reads_contexts_plurals_continuations_and_obsolete_entries(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "menu"\nmsgid ""\n"Buka "\n"%(x)s"\n'
        'msgstr "Open %(x)s"\n\n'
        'msgid "%(n)s berkas"\nmsgid_plural "%(n)s berkas"\nmsgstr[0] "%(n)s file"\n'
        'msgstr[1] ""\n"%(n)s files"\n\n'
        '#~ msgid "Lama"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, context, plural, old = parse_po(po)
    assert header.msgid == "" and header.msgstr == {0: "Language: en\n"}
    assert (context.msgctxt, context.msgid, context.msgstr) == ("menu", "Buka %(x)s", {0: "Open %(x)s"})
    assert context.flags == {"fuzzy", "python-format"} and context.line == 8
    assert plural.msgid_plural == "%(n)s berkas" and plural.msgstr == {0: "%(n)s file", 1: "%(n)s files"}
    assert old.obsolete and (old.msgid, old.msgstr) == ("Lama", {0: "Old"})


def test_catalogue_exists_and_has_entries():
    assert PO.exists(), f"{PO} is missing: run makemessages (see this module's docstring)"
    assert MO.exists(), f"{MO} is missing: {RECOMPILE}"
    assert len(MESSAGES) > 100
    assert HEADER is not None and "fuzzy" not in HEADER.flags
    assert "Language: en" in HEADER.msgstr[0]
    assert "charset=UTF-8" in HEADER.msgstr[0]


def test_every_entry_is_translated_and_not_fuzzy():
    problems = []
    for entry in MESSAGES:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label}: fuzzy")
        expected = range(nplurals()) if entry.msgid_plural is not None else range(1)
        for index in expected:
            if not entry.msgstr.get(index, "").strip():
                problems.append(f"{entry.label}: msgstr[{index}] is empty")
    obsolete = [e for e in ENTRIES if e.obsolete]
    if obsolete:
        problems.append(f"{len(obsolete)} obsolete (#~) entries: run makemessages with --no-obsolete")
    assert not problems, "Untranslated English entries:\n" + "\n".join(problems)


def test_no_duplicate_msgids():
    seen = {}
    for entry in MESSAGES:
        key = (entry.msgctxt, entry.msgid)
        assert key not in seen, f"{entry.label} duplicates line {seen[key]}"
        seen[key] = entry.line


def expected_catalog() -> dict:
    """What msgfmt puts in the .mo: every non-fuzzy entry, keyed as Python's gettext keys it."""
    catalog = {}
    for entry in MESSAGES:
        if "fuzzy" in entry.flags:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            catalog[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalog[(key, index)] = text
    return catalog


def test_compiled_mo_matches_po():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    actual = {key: value for key, value in compiled._catalog.items() if key != ""}
    expected = expected_catalog()
    missing = sorted(str(key) for key in expected.keys() - actual.keys())
    extra = sorted(str(key) for key in actual.keys() - expected.keys())
    changed = sorted(str(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key])
    assert not (missing or extra or changed), (
        f"django.mo is stale: {RECOMPILE}.\n"
        f"In .po but not .mo: {missing[:10]}\nIn .mo but not .po: {extra[:10]}\nDifferent: {changed[:10]}"
    )
    assert compiled.info().get("language") == "en"
    assert compiled.ngettext("%(n)s perkara", "%(n)s perkara", 2) == "%(n)s cases"


PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
NAMED = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str, python_format: bool) -> list[str]:
    return sorted((PLACEHOLDER if python_format else NAMED).findall(text))


def test_placeholders_match():
    problems = []
    for entry in MESSAGES:
        python_format = "python-format" in entry.flags
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if placeholders(text, python_format) != placeholders(source, python_format):
                problems.append(f"{entry.label}: msgstr[{index}] {text!r} has "
                                f"{placeholders(text, python_format)}, msgid has "
                                f"{placeholders(source, python_format)}")
            # Template syntax never belongs in a msgstr: blocktranslate variables are %(name)s.
            if "{{" in text or "{%" in text:
                problems.append(f"{entry.label}: template syntax in msgstr {text!r}")
            for edge in (str.startswith, str.endswith):
                if edge(source, "\n") != edge(text, "\n"):
                    problems.append(f"{entry.label}: leading/trailing line breaks differ from the msgid")
            if source.count("\n") != text.count("\n"):
                problems.append(f"{entry.label}: msgstr has {text.count(chr(10))} line breaks, "
                                f"msgid has {source.count(chr(10))}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_check_passes():
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


INDONESIAN_ON_HOME = ["Urus keperluan", "Lacak dengan kode", "Beranda", "Langsung ke isi", "Akun warga"]


def test_home_page_in_english_after_choosing_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    with translation.override("en"):
        headline = translation.gettext("Urus keperluan dengan Pemkot Blitar dari rumah")
    assert headline == "Get things done with Blitar City Government from home"
    assert headline in html
    assert "Track with your tracking code" in html
    assert "Skip to content" in html
    for indonesian in INDONESIAN_ON_HOME:
        assert indonesian not in html, f"{indonesian!r} is still Indonesian on the English home page"


def test_home_page_stays_indonesian_by_default(client, db):
    html = client.get("/").content.decode()
    assert "Urus keperluan" in html
    assert "Get things done" not in html


def test_blocktranslate_placeholders_render_in_english():
    case = SimpleNamespace(tracking_code="ABCD-EFGH", title="KTP-el",
                           agency=SimpleNamespace(name="Dispendukcapil"), get_status_display="Completed")
    with translation.override("en"):
        subject = render_to_string("notifications/case_submitted_subject.txt", {"case": case})
        status = render_to_string("notifications/case_status_changed_subject.txt", {"case": case})
    assert subject.strip() == "Case ABCD-EFGH received"
    assert status.strip() == "Case ABCD-EFGH: Completed"


def test_lazy_model_labels_translate():
    from kotacerdas.cases.models import Status

    with translation.override("en"):
        assert str(Status.WAITING_CITIZEN.label) == "Waiting for corrections from the resident"
    with translation.override("id"):
        assert str(Status.WAITING_CITIZEN.label) == "Menunggu perbaikan dari warga"
