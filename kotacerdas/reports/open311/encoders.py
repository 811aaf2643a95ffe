"""GeoReport v2 documents as JSON and as XML.

The JSON is the "Spark convention" mapping of the XML (JSON_and_XML_Conversion.md): a list
at the root or under a key becomes a container element whose children are named after the
singular below. XML: declaration with encoding="UTF-8", no namespace, booleans as
true/false, null and empty strings as empty elements.
"""

import json
import re
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"
FORMATS = {"json": JSON, "xml": XML}

# Container → element of each item (spec §1.10 "XML shape", plus the extensions').
ITEM = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "photos": "photo",
}

# Characters XML 1.0 cannot carry at all, not even escaped (a NUL pasted into a description
# must not make the whole document unreadable).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def to_json(document: Any) -> bytes:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8", errors="replace")


def to_xml(root: str, document: Any) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _element(parts, root, document)
    return "".join(parts).encode("utf-8", errors="replace")


def xml_text(value: str) -> str:
    # \r is escaped because a parser turns a literal CR LF into LF.
    return escape(_NOT_XML.sub("", value), {"\r": "&#13;"})


def _element(parts: list[str], name: str, value: Any) -> None:
    if value is None or value == "" or value == [] or value == {}:
        parts.append(f"<{name}/>")
        return
    parts.append(f"<{name}>")
    if isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, int | float):
        parts.append(json.dumps(value, allow_nan=False))
    elif isinstance(value, dict):
        for key, child in value.items():
            _element(parts, key, child)
    elif isinstance(value, list | tuple):
        item = ITEM[name]
        for child in value:
            _element(parts, item, child)
    else:
        parts.append(xml_text(str(value)))
    parts.append(f"</{name}>")


def render(document: Any, *, root: str, fmt: str, status: int = 200) -> HttpResponse:
    body = to_json(document) if fmt == "json" else to_xml(root, document)
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])
