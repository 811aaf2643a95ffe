"""Reading an action's parameters the way CKAN does (ckan/views/api.py `_get_request_data`).

Clients send the same call four ways: a JSON body (ckanapi's default), form fields, a form
whose only key is the JSON itself with an empty value (`curl -d '{"id": "x"}'`, CKAN's own
docs), and a query string (GET, `ckanapi -g`). A query string can only carry strings, so
structured parameters may also arrive as JSON text, and booleans as "True" (reference/ckan.md
§2 point 2).
"""

import json
from typing import Any

from django.http import HttpRequest, QueryDict

from kotacerdas.opendata.ckan.errors import BadRequest, ValidationError

TRUE = {"true", "yes", "on", "y", "t", "1"}
FALSE = {"false", "no", "off", "n", "f", "0", ""}


def request_data(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST":
        form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        if form and (request.POST or request.FILES):
            data = _form_data(request)
        elif not form and request.body.strip():
            data = _json_body(request.body)
        else:
            # CKAN reads the query string of a read action when the body is empty.
            data = _mixed(request.GET)
    else:
        data = _mixed(request.GET)
    if not isinstance(data, dict):
        raise BadRequest(
            f"JSON Error: Request data JSON decoded to {data!r} but a dictionary was required"
        )
    return data


def _form_data(request: HttpRequest) -> Any:
    form = request.POST
    if len(form) == 1:
        key = next(iter(form.keys()))
        if form.getlist(key) in (["1"], [""]):
            return _json_body(key.encode())
    data = _mixed(form)
    for name in request.FILES:
        data[name] = request.FILES[name]
    return data


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"JSON Error: Error decoding JSON data. Error: {error!r}") from error


def _mixed(query: QueryDict) -> dict[str, Any]:
    """A single value stays a string, a repeated key becomes a list (CKAN's `mixed()`)."""
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()}


def asbool(data: dict[str, Any], name: str, default: bool = False) -> bool:
    """CKAN's truthy strings, any case; ckanapi's GET mode sends Python's "True"/"False"."""
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError({name: [f"Value must be one of {sorted(TRUE | FALSE - {''})}"]})


def natural(data: dict[str, Any], name: str, default: int | None, maximum: int | None = None) -> int | None:
    """A non-negative integer (CKAN's int_validator + natural_number_validator), capped at
    `maximum` the way `limit_to_configured_maximum` caps rows silently."""
    value = data.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValidationError({name: ["Invalid integer"]})
    try:
        number = int(value) if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise ValidationError({name: ["Invalid integer"]}) from None
    if number < 0:
        raise ValidationError({name: ["Must be a natural number"]})
    if maximum is not None:
        number = min(number, maximum)
    return number


def text(data: dict[str, Any], name: str, default: str = "") -> str:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, list):
        # A repeated key where one value was meant: CKAN would fail later; take the last.
        value = value[-1] if value else default
    if not isinstance(value, str | int | float):
        raise ValidationError({name: ["Must be a string"]})
    return str(value)


def from_json(value: Any) -> Any:
    """A list or dict sent as JSON text (CKAN's `convert_to_json_if_string`)."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def string_list(data: dict[str, Any], name: str) -> list[str]:
    """A list of strings: a list, JSON text of a list, or one string."""
    value = from_json(data.get(name))
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise ValidationError({name: ["Must be a list of strings"]})
