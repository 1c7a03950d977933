"""Read-side helpers of the desk: which cases fill an inbox."""

from cases.models import Case, Status
from directory.models import Unit


def inbox(user, *, status: str = "", kind: str = ""):
    """The cases this person may see, newest first, with what a list row needs in the same query."""
    cases = Case.objects.visible_to(user).select_related("unit").order_by("-created_at", "-pk")
    if status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    return cases


def triage_queue(user):
    """Cases waiting at the triage desk for a person to route them."""
    return (
        Case.objects.actionable_by(user)
        .filter(unit__code=Unit.TRIAGE_CODE, status=Status.SUBMITTED)
        .select_related("unit")
        .order_by("created_at", "pk")
    )
