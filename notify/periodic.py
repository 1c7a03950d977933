"""Messages no single change causes: the reminder before an answered case closes, and the heads' daily digest.

Each is keyed so that a second run (or two schedulers) finds it already in the outbox and queues nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from notify.events import to_citizen
from notify.models import Channel
from notify.outbox import Outgoing, absolute_url, queue
from persian.jalali import format_date
from persian.text import to_persian_digits


def remind_before_closing(now: datetime.datetime | None = None) -> int:
    """Citizens whose answered case closes by itself within MIZ_CLOSE_REMINDER_DAYS days hear so, once."""
    from cases.models import Case, Status

    now = now or timezone.now()
    auto_close = datetime.timedelta(days=settings.MIZ_AUTO_CLOSE_DAYS)
    window_start = now - auto_close  # touched before this: closes on the next run of the auto-close task
    window_end = now - auto_close + datetime.timedelta(days=settings.MIZ_CLOSE_REMINDER_DAYS)
    cases = Case.objects.filter(status=Status.ANSWERED, updated_at__gte=window_start, updated_at__lt=window_end)
    queued = 0
    for case in cases.select_related("unit").order_by("pk"):
        close_on = timezone.localdate(case.updated_at + auto_close)
        key = f"close-reminder:case{case.pk}:{int(case.updated_at.timestamp())}"
        queued += len(queue(to_citizen(case, "close_reminder", key, close_date=format_date(close_on))))
    return queued


def _unit_figures(today: datetime.date, now: datetime.datetime) -> dict[int, dict[str, int]]:
    from cases.models import OPEN_STATUSES, Case, Status
    from desk.workdays import add_working_days

    soon = add_working_days(today, 2)
    rows = (
        Case.objects.filter(status__in=[*OPEN_STATUSES, Status.WAITING_CITIZEN])
        .values("unit")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
            due_soon=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=soon)),
            new=Count("pk", filter=Q(created_at__gte=now - datetime.timedelta(days=1))),
        )
    )
    return {row.pop("unit"): row for row in rows}


def send_daily_digests(now: datetime.datetime | None = None) -> int:
    """After MIZ_DIGEST_HOUR (Tehran time), each head of a unit gets one e-mail a day with the open work below them."""
    from directory.models import StaffMembership, Unit
    from directory.scope import scope_of

    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.MIZ_DIGEST_HOUR:
        return 0
    today = local.date()
    figures = _unit_figures(today, now)
    names = dict(Unit.objects.values_list("pk", "name"))
    heads = User.objects.filter(
        is_active=True, memberships__role=StaffMembership.Role.HEAD
    ).exclude(email="").distinct().order_by("pk")  # fmt: skip
    items = []
    for head in heads:
        unit_ids = sorted(scope_of(head).headed_unit_ids, key=lambda pk: names.get(pk, ""))
        units = [
            {"name": names[pk], **{k: to_persian_digits(v) for k, v in figures[pk].items()}}
            for pk in unit_ids
            if pk in figures
        ]
        if not units:
            continue  # nothing open below this head: no mail
        context = {"date": format_date(today), "units": units, "desk_url": absolute_url(reverse("desk:inbox"))}
        key = f"digest:user{head.pk}:{today.isoformat()}"
        items.append(Outgoing("daily_digest", Channel.EMAIL, head.email, key, context, user=head))
    return len(queue(items))


def prune_outbox(now: datetime.datetime | None = None) -> int:
    """Sent and skipped messages older than MIZ_NOTIFY_KEEP_DAYS go, with their attempts; failed ones stay."""
    from notify.models import Message

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.MIZ_NOTIFY_KEEP_DAYS)
    old = Message.objects.filter(status__in=[Message.Status.SENT, Message.Status.SKIPPED], created_at__lt=cutoff)
    return old.delete()[1].get("notify.Message", 0)
