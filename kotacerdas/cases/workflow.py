"""Which status may follow which, per kind of case. Modules tighten their own kind here."""

from kotacerdas.cases.models import Kind, Status

S = Status

DEFAULT_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.VERIFIED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.REJECTED},
    S.VERIFIED: {S.IN_PROGRESS, S.WAITING_CITIZEN, S.REJECTED},
    S.IN_PROGRESS: {S.WAITING_CITIZEN, S.RESOLVED, S.REJECTED},
    S.WAITING_CITIZEN: {S.IN_PROGRESS, S.CLOSED},
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},
    S.REJECTED: {S.CLOSED},
    S.CLOSED: set(),
}

TRANSITIONS: dict[str, dict[str, set[str]]] = dict.fromkeys(Kind.values, DEFAULT_TRANSITIONS)


def allowed_next(kind: str, status: str) -> set[str]:
    return TRANSITIONS[kind].get(status, set())


def can_move(kind: str, from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(kind, from_status)
