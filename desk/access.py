"""Who on the staff may see or change which case: every desk view goes through these."""

from django.http import Http404

from cases.models import Case


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


def can_act(user, case: Case) -> bool:
    return Case.objects.actionable_by(user).filter(pk=case.pk).exists()


def is_staff_member(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("cases.view_all_cases") or user.memberships.exists()
    )
