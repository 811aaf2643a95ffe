"""What a module adds to the shared case pages for its own kind of case.

The cases app knows no module (the arrows point down), so a module registers, in its
AppConfig.ready(), a function that renders its part of the officer's page and of the
resident's page: the application form's answers and the finish-with-document form for a
service, the photos for a report. The shared page puts it beside the timeline.
"""

from collections.abc import Callable

from django.http import HttpRequest

from kotacerdas.cases.models import Case

Panel = Callable[[HttpRequest, Case], str]

_STAFF: dict[str, Panel] = {}
_CITIZEN: dict[str, Panel] = {}


def register(kind: str, *, staff: Panel | None = None, citizen: Panel | None = None) -> None:
    if staff is not None:
        _STAFF[kind] = staff
    if citizen is not None:
        _CITIZEN[kind] = citizen


def staff_panel(request: HttpRequest, case: Case) -> str:
    panel = _STAFF.get(case.kind)
    return panel(request, case) if panel else ""


def citizen_panel(request: HttpRequest, case: Case) -> str:
    panel = _CITIZEN.get(case.kind)
    return panel(request, case) if panel else ""
