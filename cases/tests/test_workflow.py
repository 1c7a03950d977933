import itertools

import pytest

from cases.models import Status
from cases.workflow import TRANSITIONS, InvalidTransition, can_move, check_move

S = Status
# Written out pair by pair, independently of the table in cases/workflow.py.
EXPECTED_ALLOWED = {
    # Triage routes, or works on the case like any unit.
    (S.SUBMITTED, S.ROUTED),
    (S.SUBMITTED, S.IN_PROGRESS),
    (S.SUBMITTED, S.WAITING_CITIZEN),
    (S.SUBMITTED, S.AWAITING_APPROVAL),
    (S.SUBMITTED, S.ANSWERED),
    (S.SUBMITTED, S.MERGED),
    # Referral keeps a case routed, in another unit.
    (S.ROUTED, S.ROUTED),
    (S.ROUTED, S.IN_PROGRESS),
    (S.ROUTED, S.WAITING_CITIZEN),
    (S.ROUTED, S.AWAITING_APPROVAL),
    (S.ROUTED, S.ANSWERED),
    (S.ROUTED, S.MERGED),
    (S.IN_PROGRESS, S.ROUTED),
    (S.IN_PROGRESS, S.WAITING_CITIZEN),
    (S.IN_PROGRESS, S.AWAITING_APPROVAL),
    (S.IN_PROGRESS, S.ANSWERED),
    (S.IN_PROGRESS, S.MERGED),
    (S.WAITING_CITIZEN, S.IN_PROGRESS),
    (S.WAITING_CITIZEN, S.AWAITING_APPROVAL),
    (S.WAITING_CITIZEN, S.ANSWERED),
    (S.WAITING_CITIZEN, S.MERGED),
    (S.AWAITING_APPROVAL, S.IN_PROGRESS),
    (S.AWAITING_APPROVAL, S.ANSWERED),
    (S.ANSWERED, S.IN_PROGRESS),
    (S.ANSWERED, S.CLOSED),
}


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(("from_status", "to_status"), list(itertools.product(Status.values, Status.values)))
def test_each_pair_of_statuses_is_allowed_exactly_as_the_table_says(from_status, to_status):
    allowed = (from_status, to_status) in EXPECTED_ALLOWED
    assert can_move(from_status, to_status) is allowed
    if allowed:
        check_move(from_status, to_status)
    else:
        with pytest.raises(InvalidTransition):
            check_move(from_status, to_status)


def test_closed_and_merged_cases_go_nowhere():
    assert TRANSITIONS[Status.CLOSED] == frozenset()
    assert TRANSITIONS[Status.MERGED] == frozenset()
