"""The transition table is the contract between residents, officers and the modules: these
tests pin it down as written in the design, and check the shape every kind must keep."""

import pytest

from kotacerdas.cases import workflow
from kotacerdas.cases.models import FINAL_STATUSES, Kind, Status

S = Status

# The default workflow, written out by hand so that a change to the table is a decision
# someone makes on purpose (and updates here), not an accident.
EXPECTED_DEFAULT = {
    S.SUBMITTED: {S.VERIFIED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.REJECTED},
    S.VERIFIED: {S.IN_PROGRESS, S.WAITING_CITIZEN, S.REJECTED},
    S.IN_PROGRESS: {S.WAITING_CITIZEN, S.RESOLVED, S.REJECTED},
    S.WAITING_CITIZEN: {S.IN_PROGRESS, S.CLOSED},
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},
    S.REJECTED: {S.CLOSED},
    S.CLOSED: set(),
}


def _reachable(kind: str, start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in workflow.allowed_next(kind, todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_default_table_is_the_one_in_the_design():
    assert workflow.DEFAULT_TRANSITIONS == EXPECTED_DEFAULT


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_has_a_row_for_every_status(kind):
    assert set(workflow.TRANSITIONS[kind]) == set(Status.values)


@pytest.mark.parametrize("kind", Kind.values)
def test_closed_is_terminal_except_that_a_reporter_may_reopen_a_report(kind):
    reopen = {Status.IN_PROGRESS} if kind == Kind.REPORT else set()
    assert workflow.allowed_next(kind, Status.CLOSED) == reopen


@pytest.mark.parametrize("kind", Kind.values)
def test_only_a_resubmitted_application_goes_back_to_submitted(kind):
    back = {status for status in Status.values if workflow.can_move(kind, status, Status.SUBMITTED)}
    # The resident's fixed application is checked again from the start.
    assert back == ({Status.WAITING_CITIZEN} if kind == Kind.SERVICE else set())
    assert Status.SUBMITTED not in workflow.generic_next(kind, Status.WAITING_CITIZEN)


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("status", Status.values)
def test_every_case_can_still_end(kind, status):
    """No status is a dead end: from anywhere, a case can reach closed."""
    assert Status.CLOSED in _reachable(kind, status)


@pytest.mark.parametrize("kind", Kind.values)
def test_every_status_is_reachable_from_submitted(kind):
    assert _reachable(kind, Status.SUBMITTED) == set(Status.values)


@pytest.mark.parametrize("kind", Kind.values)
def test_a_status_never_moves_to_itself(kind):
    for status in Status.values:
        assert not workflow.can_move(kind, status, status)


def test_final_statuses_lead_only_to_closing_or_reopening():
    for kind in Kind.values:
        for status in FINAL_STATUSES:
            assert workflow.allowed_next(kind, status) <= {Status.CLOSED, Status.IN_PROGRESS}


def test_unknown_status_allows_nothing():
    assert workflow.allowed_next(Kind.REPORT, "lost") == set()
    assert not workflow.can_move(Kind.REPORT, "lost", Status.CLOSED)
