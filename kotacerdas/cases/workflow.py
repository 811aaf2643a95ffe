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

# A service application is checked (verified) before it is worked on; after a revision the
# resident's resubmission puts it back to be checked again; it is finished only with its
# output document.
SERVICE_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.VERIFIED, S.WAITING_CITIZEN, S.REJECTED},
    S.VERIFIED: {S.IN_PROGRESS, S.WAITING_CITIZEN, S.REJECTED},
    S.IN_PROGRESS: {S.WAITING_CITIZEN, S.RESOLVED, S.REJECTED},
    S.WAITING_CITIZEN: {S.SUBMITTED, S.CLOSED},
    S.RESOLVED: {S.CLOSED},
    S.REJECTED: {S.CLOSED},
    S.CLOSED: set(),
}

# A citizen report (SP4N-LAPOR!): verified and disposed, followed up, answered (resolved),
# then closed by the reporter or automatically; closed with a reason when it is not the
# city's to fix or duplicates another; rejected at verification when it is no report at all
# (spam, abuse). The reporter may reopen an answered or closed report.
REPORT_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.VERIFIED, S.WAITING_CITIZEN, S.REJECTED, S.CLOSED},
    S.VERIFIED: {S.IN_PROGRESS, S.WAITING_CITIZEN, S.RESOLVED, S.CLOSED},
    S.IN_PROGRESS: {S.WAITING_CITIZEN, S.RESOLVED, S.CLOSED},
    S.WAITING_CITIZEN: {S.VERIFIED, S.IN_PROGRESS, S.CLOSED},
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},
    S.REJECTED: {S.CLOSED},
    S.CLOSED: {S.IN_PROGRESS},
}

TRANSITIONS: dict[str, dict[str, set[str]]] = {
    **dict.fromkeys(Kind.values, DEFAULT_TRANSITIONS),
    Kind.SERVICE: SERVICE_TRANSITIONS,
    Kind.REPORT: REPORT_TRANSITIONS,
}

# Statuses a module reaches only through its own action, because they need more than a
# note: a revision names the fields to fix, a finished application carries its document,
# a rejection its reason. The generic status form does not offer them.
MODULE_ONLY: dict[str, set[str]] = {
    Kind.SERVICE: {S.WAITING_CITIZEN, S.RESOLVED, S.REJECTED, S.SUBMITTED},
    Kind.REPORT: {S.RESOLVED, S.CLOSED, S.REJECTED},
}


def allowed_next(kind: str, status: str) -> set[str]:
    return TRANSITIONS[kind].get(status, set())


def can_move(kind: str, from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(kind, from_status)


def generic_next(kind: str, status: str) -> set[str]:
    """What the shared status form may offer: the allowed moves a module does not own."""
    return allowed_next(kind, status) - MODULE_ONLY.get(kind, set())
