"""Which messages a change to a case causes, and to whom. Called by cases.services inside the change's transaction.

Citizens hear through the channel they chose at submission. Staff hear by e-mail, at the address of their
account. An SMS carries the tracking code, the unit and dates, never the citizen's name or words.
"""

from django.urls import reverse
from django.utils import timezone

from notify.models import Channel
from notify.outbox import Outgoing, absolute_url, queue
from persian.jalali import format_date


def case_context(case) -> dict[str, str]:
    from cases.models import Kind

    return {
        "code": case.display_code,
        "kind": str(Kind(case.kind).label),
        "unit": case.unit.name,
        "due_date": format_date(case.due_date),
        # The lookup page with the code filled in; the second factor is still asked there.
        "lookup_url": absolute_url(f"{reverse('cases:track')}?code={case.tracking_code}"),
        "desk_url": absolute_url(reverse("desk:case", args=[case.pk])),
    }


def to_citizen(case, name: str, key: str, **extra) -> list[Outgoing]:
    """The case's citizen, through each channel they chose and gave an address for."""
    context = {**case_context(case), **extra}
    items = []
    if case.sms_recipient:
        items.append(Outgoing(name, Channel.SMS, case.sms_recipient, f"{key}:sms", context, case=case))
    if case.email_recipient:
        items.append(Outgoing(name, Channel.EMAIL, case.email_recipient, f"{key}:email", context, case=case))
    return items


def to_staff(case, name: str, key: str, users, **extra) -> list[Outgoing]:
    context = {**case_context(case), **extra}
    return [
        Outgoing(name, Channel.EMAIL, user.email, f"{key}:user{user.pk}", context, case=case, user=user)
        for user in users
        if user.is_active and user.email
    ]


def _staff_of(unit):
    from directory.services import members_of

    return list(members_of(unit))


def _heads(unit):
    from directory.services import heads_of

    return list(heads_of(unit))


def case_event_happened(event) -> None:
    """Queue the messages one timeline event causes (none for most internal events)."""
    from cases.models import CaseEvent

    case, kind = event.case, event.type
    key = f"event{event.pk}"
    Type = CaseEvent.Type
    items: list[Outgoing] = []
    if kind == Type.SUBMITTED:
        items += to_citizen(case, "case_received", key)
        items += to_staff(case, "new_case", key, _staff_of(case.unit))
    elif kind in (Type.ROUTED, Type.REFERRED) and event.actor_id is not None:
        # A routing at submission (no actor) is already in the "received" message.
        items += to_citizen(case, "case_routed", key)
        items += to_staff(case, "new_case", key, [u for u in _staff_of(case.unit) if u.pk != event.actor_id])
    elif kind == Type.ASSIGNED and case.assignee_id and case.assignee_id != event.actor_id:
        items += to_staff(case, "case_assigned", key, [case.assignee])
    elif kind == Type.INFO_REQUESTED:
        items += to_citizen(case, "info_requested", key)
    elif kind == Type.ANSWER:
        items += to_citizen(case, "case_answered", key)
    elif kind in (Type.CITIZEN_MESSAGE, Type.OBJECTED):
        readers = [case.assignee] if case.assignee_id else _heads(case.unit)
        items += to_staff(case, "citizen_replied", key, readers)
    elif kind == Type.ESCALATED and event.to_unit_id is not None and case.due_date < timezone.localdate():
        # (An objection also escalates, to the head who is then assigned: that head hears "the citizen wrote".)
        items += to_staff(case, "case_escalated", key, _heads(event.to_unit))
    if items:
        queue(items)
