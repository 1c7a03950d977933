"""Read-side of the desk: which cases fill each inbox tab, filtered, searched, sorted and paged by keyset."""

import base64
import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext

from cases.models import OPEN_STATUSES, Case, CaseEvent, Status
from directory.models import Unit
from directory.scope import scope_of
from persian.text import search_key

TABS = ("mine", "unit", "approval", "overdue", "waiting")
OPEN_WORK = (*OPEN_STATUSES, Status.WAITING_CITIZEN)
SORTS = ("arrival", "due")
PAGE_SIZE = 25


def units_headed_by(user) -> frozenset[int]:
    """The units a person heads, with every unit below them."""
    return scope_of(user).headed_unit_ids


def tab_filters(user, today: datetime.date) -> dict[str, Q]:
    """Each tab as a condition over the cases the person may see."""
    awaiting_approval = Q(status=Status.AWAITING_APPROVAL)
    if not user.is_superuser:
        awaiting_approval &= Q(unit_id__in=units_headed_by(user))
    return {
        "mine": Q(assignee=user, status__in=[*OPEN_STATUSES, Status.WAITING_CITIZEN]),
        "unit": Q(),
        "approval": awaiting_approval,
        "overdue": Q(status__in=OPEN_STATUSES, due_date__lt=today),
        "waiting": Q(status=Status.WAITING_CITIZEN),
    }


def tab_counts(user) -> dict[str, int]:
    """How many open cases (the unit's work) each tab holds, in one query.

    Counting only open and waiting cases keeps the count on the small partial index of open work: with a
    million cases, counting every case a manager may read took half a second (bench/inbox.py).
    """
    conditions = tab_filters(user, timezone.localdate())
    return (
        Case.objects.visible_to(user)
        .filter(status__in=OPEN_WORK)
        .aggregate(**{tab: Count("pk", filter=condition) for tab, condition in conditions.items()})
    )


@dataclass(frozen=True)
class InboxQuery:
    tab: str = "unit"
    kind: str = ""
    status: str = ""
    topic_id: int | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    text: str = ""
    sort: str = "arrival"


def inbox(user, query: InboxQuery = InboxQuery()):
    """The cases of one tab this person may see, filtered; not yet sorted or paged."""
    cases = Case.objects.visible_to(user).filter(tab_filters(user, timezone.localdate())[query.tab])
    if query.kind:
        cases = cases.filter(kind=query.kind)
    if query.status:
        cases = cases.filter(status=query.status)
    if query.topic_id:
        cases = cases.filter(topic_id=query.topic_id)
    if query.received_from:
        cases = cases.filter(created_at__gte=_start_of(query.received_from))
    if query.received_to:
        cases = cases.filter(created_at__lt=_start_of(query.received_to + datetime.timedelta(days=1)))
    if key := search_key(query.text):
        for word in key.split():
            cases = cases.filter(search_text__contains=word)
    return cases.select_related("unit", "assignee")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- Keyset pagination -----------------------------------------------------------------------------
# A page is "the next N after this (value, id)", never OFFSET: the thousandth page costs what the first does.


class Row(Func):
    """A row value, (a, b), compared as a whole: the form an index on (a, b) serves directly."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = models.TextField()  # only compared, never read back


# Per sort: the column, whether it runs newest first, and how a cursor value is written and read.
_ORDER = {
    "arrival": ("created_at", True, datetime.datetime.isoformat, datetime.datetime.fromisoformat),
    "due": ("due_date", False, datetime.date.isoformat, datetime.date.fromisoformat),
}


@dataclass
class Page:
    cases: list = field(default_factory=list)
    next_cursor: str = ""
    previous_cursor: str = ""


def encode_cursor(value, pk: int, sort: str) -> str:
    text = f"{_ORDER[sort][2](value)}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str):
    """(value, id) of a cursor, or None for anything that is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = base64.urlsafe_b64decode(padded.encode()).decode().rsplit("|", 1)
        return _ORDER[sort][3](value), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def keyset_page(cases, sort: str, *, after: str = "", before: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of `cases` in the order of `sort`, after (or before) a cursor."""
    column, descending, *_ = _ORDER[sort]
    backwards = bool(before) and not after
    cursor = decode_cursor(before if backwards else after, sort) if (after or before) else None
    forward_order = [f"-{column}", "-pk"] if descending else [column, "pk"]
    if cursor is not None:
        position = Row(F(column), F("pk"))
        bound = Row(Value(cursor[0]), Value(cursor[1]))
        goes_down = descending != backwards  # the next rows have smaller (value, id)
        cases = cases.filter(LessThan(position, bound) if goes_down else GreaterThan(position, bound))
    order = [_reverse(term) for term in forward_order] if backwards else forward_order
    rows = list(cases.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = Page(cases=rows)
    if rows:
        first, last = rows[0], rows[-1]
        if (more and not backwards) or backwards:
            page.next_cursor = encode_cursor(getattr(last, column), last.pk, sort)
        if (more and backwards) or (not backwards and cursor is not None):
            page.previous_cursor = encode_cursor(getattr(first, column), first.pk, sort)
    return page


def _reverse(term: str) -> str:
    return term[1:] if term.startswith("-") else f"-{term}"


def triage_queue(user):
    """Cases waiting at the triage desk for a person to route them."""
    return (
        Case.objects.actionable_by(user)
        .filter(unit__code=Unit.TRIAGE_CODE, status=Status.SUBMITTED)
        .select_related("unit")
        .order_by("created_at", "pk")
    )


def referred_out(user):
    """What the person's units handed to other units: the record of the referral, not the case itself."""
    unit_ids = scope_of(user).unit_ids
    return (
        CaseEvent.objects.filter(type=CaseEvent.Type.REFERRED, from_unit_id__in=unit_ids)
        .select_related("case", "to_unit", "actor")
        .order_by("-created_at", "-pk")
    )


# --- Saved replies ----------------------------------------------------------------------------------
PLACEHOLDERS = ("name", "code", "unit", "due_date")


def saved_replies_for(case: Case):
    from desk.models import SavedReply

    return SavedReply.objects.filter(unit=case.unit).order_by("title")


def fill_saved_reply(text: str, case: Case) -> str:
    """The reply with {name}, {code}, {unit} and {due_date} replaced; any other brace is left as typed."""
    from persian.jalali import format_date_long
    from persian.text import to_persian_digits

    values = {
        "name": case.submitter_name or gettext("dear citizen"),
        "code": to_persian_digits(case.display_code),
        "unit": case.unit.name,
        "due_date": format_date_long(case.due_date),
    }
    for placeholder in PLACEHOLDERS:
        text = text.replace("{" + placeholder + "}", values[placeholder])
    return text


def with_days_left(cases: list[Case], today: datetime.date | None = None) -> list[Case]:
    """Set `days_left` (working days until the deadline) on open cases, with one holiday query for the page."""
    from desk.holidays import holidays_between
    from desk.workdays import count_working_days

    today = today or timezone.localdate()
    open_cases = [case for case in cases if case.is_open and case.due_date >= today]
    for case in cases:
        case.days_left = None
    if not open_cases:
        return cases
    holidays = holidays_between(today, max(case.due_date for case in open_cases))
    for case in open_cases:
        case.days_left = count_working_days(today, case.due_date, holidays)
    return cases
