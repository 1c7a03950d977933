"""The allowed moves between statuses: one table, used by every service that changes a case."""

from django.utils.translation import gettext_lazy as _

from cases.models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    # Triage may send a case on, or deal with it itself.
    Status.SUBMITTED: frozenset({Status.ROUTED, Status.IN_PROGRESS, Status.ANSWERED}),
    Status.ROUTED: frozenset({Status.IN_PROGRESS, Status.ANSWERED}),
    Status.IN_PROGRESS: frozenset({Status.ANSWERED}),
    # Every citizen gets an answer: only an answered case can be closed.
    # A citizen's follow-up after an answer puts the case back in progress.
    Status.ANSWERED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset(),
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
