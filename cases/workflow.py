"""The allowed moves between statuses: one table, used by every service that changes a case."""

from django.utils.translation import gettext_lazy as _

from cases.models import Status

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    # Triage sends a case on (routed), or deals with it itself like any unit.
    S.SUBMITTED: frozenset({S.ROUTED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.AWAITING_APPROVAL, S.ANSWERED, S.MERGED}),
    # routed → routed is a referral from one unit to another.
    S.ROUTED: frozenset({S.ROUTED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.AWAITING_APPROVAL, S.ANSWERED, S.MERGED}),
    S.IN_PROGRESS: frozenset({S.ROUTED, S.WAITING_CITIZEN, S.AWAITING_APPROVAL, S.ANSWERED, S.MERGED}),
    # The citizen's reply resumes the work; staff may also go on without it.
    S.WAITING_CITIZEN: frozenset({S.IN_PROGRESS, S.AWAITING_APPROVAL, S.ANSWERED, S.MERGED}),
    # The head approves (answered) or returns the draft (in progress).
    S.AWAITING_APPROVAL: frozenset({S.IN_PROGRESS, S.ANSWERED}),
    # Every citizen gets an answer: only an answered case closes. A follow-up or an objection reopens it.
    S.ANSWERED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.MERGED: frozenset(),
}


class InvalidTransition(Exception):
    def __init__(self, from_status, to_status):
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]


def check_move(from_status: str, to_status: str) -> None:
    if not can_move(from_status, to_status):
        raise InvalidTransition(from_status, to_status)
