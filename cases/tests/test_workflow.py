import itertools

import pytest

from cases.models import Status
from cases.workflow import TRANSITIONS, InvalidTransition, can_move, check_move

EXPECTED_ALLOWED = {
    (Status.SUBMITTED, Status.ROUTED),
    (Status.SUBMITTED, Status.IN_PROGRESS),
    (Status.SUBMITTED, Status.ANSWERED),
    (Status.ROUTED, Status.IN_PROGRESS),
    (Status.ROUTED, Status.ANSWERED),
    (Status.IN_PROGRESS, Status.ANSWERED),
    (Status.ANSWERED, Status.IN_PROGRESS),
    (Status.ANSWERED, Status.CLOSED),
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


def test_a_closed_case_goes_nowhere():
    assert TRANSITIONS[Status.CLOSED] == frozenset()
