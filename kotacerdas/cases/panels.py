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
Owned = Callable[[Case], set[str]]

_STAFF: dict[str, Panel] = {}
_CITIZEN: dict[str, Panel] = {}
_OWNED: dict[str, Owned] = {}


def register(kind: str, *, staff: Panel | None = None, citizen: Panel | None = None,
             owns: Owned | None = None) -> None:
    """`owns` names the statuses a module reaches only through its own actions for this
    case (like workflow.MODULE_ONLY, but decided per case: a PPID request must be answered
    with a decision, while other cases of the same kind move freely)."""
    if staff is not None:
        _STAFF[kind] = staff
    if citizen is not None:
        _CITIZEN[kind] = citizen
    if owns is not None:
        _OWNED[kind] = owns


def owned_statuses(case: Case) -> set[str]:
    owns = _OWNED.get(case.kind)
    return owns(case) if owns else set()


def generic_next(case: Case) -> set[str]:
    """What the shared status form may offer for this case."""
    from kotacerdas.cases import workflow

    return workflow.generic_next(case.kind, case.status) - owned_statuses(case)


def staff_panel(request: HttpRequest, case: Case) -> str:
    panel = _STAFF.get(case.kind)
    return panel(request, case) if panel else ""


def citizen_panel(request: HttpRequest, case: Case) -> str:
    panel = _CITIZEN.get(case.kind)
    return panel(request, case) if panel else ""
