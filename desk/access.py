"""Who on the staff may see or change which case: every desk view goes through these."""

from django.http import Http404

from cases.models import Case
from directory.scope import scope_of


def get_visible_case(user, pk: int) -> Case:
    """The case if this person may read it; 404 otherwise, so that no one learns a case exists."""
    case = Case.objects.visible_to(user).select_related("unit", "topic").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def get_actionable_case(user, pk: int) -> Case:
    """The case if this person may act on it; read-only readers get the same 404 as outsiders."""
    case = Case.objects.actionable_by(user).select_related("unit").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def can_see(user, case: Case) -> bool:
    scope = scope_of(user)
    return scope.reads_everything or case.unit_id in scope.unit_ids


def can_act(user, case: Case) -> bool:
    scope = scope_of(user)
    return scope.acts_everywhere or case.unit_id in scope.unit_ids


def is_staff_member(user) -> bool:
    return scope_of(user).is_staff_member
