"""What a person on the staff may reach, worked out once per request.

Every desk page asks the same questions (which units is this person in, which do they head, do they read
everything?); the answers are computed once and kept on the user object, which lives for one request.
"""

from dataclasses import dataclass

from directory.models import StaffMembership, Unit


@dataclass(frozen=True)
class StaffScope:
    reads_everything: bool  # organization managers (and administrators) read every case
    acts_everywhere: bool  # administrators
    member_unit_ids: frozenset[int]
    headed_unit_ids: frozenset[int]  # the units the person heads, and every unit below them
    works_at_triage: bool = False

    @property
    def unit_ids(self) -> frozenset[int]:
        """The units whose cases the person may change."""
        return self.member_unit_ids | self.headed_unit_ids

    @property
    def is_staff_member(self) -> bool:
        return self.reads_everything or bool(self.member_unit_ids)


NOBODY = StaffScope(False, False, frozenset(), frozenset())


def scope_of(user) -> StaffScope:
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_miz_scope", None)
    if cached is None:
        cached = user._miz_scope = _compute(user)
    return cached


def _compute(user) -> StaffScope:
    memberships = list(StaffMembership.objects.filter(user=user).values_list("unit_id", "role", "unit__code"))
    headed = {unit_id for unit_id, role, _ in memberships if role == StaffMembership.Role.HEAD}
    return StaffScope(
        reads_everything=user.is_superuser or user.has_perm("cases.view_all_cases"),
        acts_everywhere=user.is_superuser,
        member_unit_ids=frozenset(unit_id for unit_id, _, _ in memberships),
        headed_unit_ids=frozenset(_with_descendants(headed)) if headed else frozenset(),
        works_at_triage=any(code == Unit.TRIAGE_CODE for _, _, code in memberships),
    )


def _with_descendants(unit_ids: set[int]) -> set[int]:
    """The whole chart is a few dozen rows: one query, then walk it in memory."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = set(unit_ids), list(unit_ids)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found
