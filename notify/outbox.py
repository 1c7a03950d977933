"""Putting messages in the outbox (inside the caller's transaction) and delivering them (in the worker).

queue() only renders and inserts rows: it never touches the network, so a gateway or mail server that is down
or slow cannot delay or break the change that caused the message. When the transaction commits, a delivery
task is put on the queue; if even that fails, the periodic sweeper (deliver_due) finds the row anyway.

deliver() claims a message with one conditional UPDATE, so two workers never send it at once. A worker that
dies mid-send leaves a lease that runs out; the message is then claimed again with the same idempotency key,
which an SMS gateway that deduplicates (Kavenegar's localid) uses to send it once. E-mail carries the key in
its Message-ID.
"""

import datetime
import functools
import logging
import random
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from notify import wording
from notify.models import Attempt, Channel, Message, Unsubscription
from notify.sms import SendResult

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)
UNSUBSCRIBE_SALT = "notify.unsubscribe"


@dataclass
class Outgoing:
    """A message to be queued: which wording, to whom, through which channel, under which idempotency key."""

    name: str
    channel: str
    recipient: str
    key: str
    context: dict = field(default_factory=dict)
    case: object = None
    user: object = None
    expires_at: datetime.datetime | None = None


def absolute_url(path: str) -> str:
    return settings.MIZ_SITE_URL.rstrip("/") + path


def unsubscribe_token(delivery_id: str) -> str:
    """Names the message, not the address: nothing personal goes into the link."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(delivery_id)


def unsubscribe_url(delivery_id: str) -> str:
    return absolute_url(reverse("notify:unsubscribe", args=[unsubscribe_token(delivery_id)]))


def _build(item: Outgoing, rendered: wording.Rendered) -> Message:
    message = Message(
        key=item.key,
        delivery_id=uuid.uuid4(),
        channel=item.channel,
        template=item.name,
        recipient=item.recipient,
        case=item.case,
        user=item.user,
        expires_at=item.expires_at,
    )
    if item.channel == Channel.SMS:
        message.text = wording.sms_with_signature(rendered.sms_text)
    else:
        link = unsubscribe_url(str(message.delivery_id))
        message.subject = rendered.email_subject
        message.text = wording.email_text_with_footer(rendered.email_text, link)
        message.html = wording.email_html_page(rendered.email_html, rendered.email_subject, link)
    return message


def queue(items: list[Outgoing]) -> list[Message]:
    """Write the messages in the current transaction; a key already in the outbox is not queued again.

    Two queries however many messages (one insert, one read of what was inserted), plus one for the wordings:
    a new case mailed to a whole unit costs its submission no more than one mailed to one person.
    """
    if not items:
        return []
    customs = wording.custom_sources(item.name for item in items)
    rendered: dict[tuple, wording.Rendered] = {}
    messages = []
    for item in items:
        # Staff of one unit get the same words: each wording is rendered once per context.
        cache_key = (item.name, repr(sorted(item.context.items())))
        if cache_key not in rendered:
            rendered[cache_key] = wording.render(item.name, item.context, customs.get(item.name, {}))
        messages.append(_build(item, rendered[cache_key]))
    # A key already in the outbox (a periodic job that ran twice, a repeated form) is skipped by the database.
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    inserted = Message.objects.filter(delivery_id__in=[message.delivery_id for message in messages])
    created = list(inserted.only("pk"))
    if created:
        ids = [message.pk for message in created]
        transaction.on_commit(functools.partial(_enqueue_delivery, ids), robust=True)
    return created


def _enqueue_delivery(ids: list[int], run_after: datetime.datetime | None = None) -> None:
    from notify.tasks import deliver_messages

    try:
        task = deliver_messages
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # the sweeper picks it up when it is due
            task = task.using(run_after=run_after)
        task.enqueue(ids)
    except Exception:
        # The rows are safe in the outbox; the periodic sweeper delivers them.
        logger.warning("could not put the delivery of messages %s on the task queue", ids, exc_info=True)


# --- Delivery ---------------------------------------------------------------------------------------------


def retry_delay(attempt: int) -> datetime.timedelta:
    """Exponential back-off from MIZ_NOTIFY_RETRY_BASE_SECONDS, capped, with jitter so retries do not bunch up."""
    base = settings.MIZ_NOTIFY_RETRY_BASE_SECONDS
    cap = settings.MIZ_NOTIFY_RETRY_CAP_SECONDS
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return datetime.timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))  # noqa: S311


def _claimable(now: datetime.datetime) -> Q:
    return Q(status=Message.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Message.Status.SENDING, lease_until__lt=now
    )


def _claim(message_id: int, now: datetime.datetime) -> Message | None:
    claimed = Message.objects.filter(_claimable(now), pk=message_id).update(
        status=Message.Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    return Message.objects.get(pk=message_id) if claimed else None


WIPED_TEXT = "[one-time code: removed once the message was done with]"


def _finish(message: Message, status: str, error: str = "", **fields) -> None:
    if message.expires_at is not None and status != Message.Status.PENDING:
        # A message that expires carries a one-time secret (a login code): once it is sent or given up, the
        # outbox keeps no readable copy, so not even an administrator can use it.
        fields["text"] = WIPED_TEXT
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=status, lease_until=None, last_error=error, **fields
    )


def _send(message: Message) -> SendResult:
    from notify import channels

    if message.channel == Channel.SMS:
        return channels.send_sms(message)
    return channels.send_email(message)


def deliver(message_id: int, now: datetime.datetime | None = None) -> str | None:
    """Try once to deliver one message; returns its new status, or None when it was not ours to send."""
    now = now or timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    if message.expires_at is not None and now > message.expires_at:
        _finish(message, Message.Status.SKIPPED, "expired before it could be sent")
        return Message.Status.SKIPPED
    if message.channel == Channel.EMAIL and Unsubscription.objects.filter(address=message.recipient.lower()).exists():
        _finish(message, Message.Status.SKIPPED, "the address unsubscribed")
        return Message.Status.SKIPPED

    started = timezone.now()
    result = _send(message)
    Attempt.objects.create(
        message=message,
        number=message.attempts,
        started_at=started,
        finished_at=timezone.now(),
        ok=result.ok,
        permanent=result.permanent,
        detail=result.detail,
        gateway_id=result.gateway_id[:100],
        status_code=result.status_code,
    )
    if result.ok:
        _finish(message, Message.Status.SENT, sent_at=timezone.now())
        return Message.Status.SENT
    tries = message.attempts - message.round_start
    if result.permanent or tries >= settings.MIZ_NOTIFY_MAX_ATTEMPTS:
        reason = result.detail if result.permanent else f"gave up after {tries} attempts: {result.detail}"
        _finish(message, Message.Status.FAILED, reason)
        return Message.Status.FAILED
    next_attempt = timezone.now() + retry_delay(tries)
    _finish(message, Message.Status.PENDING, result.detail, next_attempt_at=next_attempt)
    transaction.on_commit(functools.partial(_enqueue_delivery, [message.pk], next_attempt), robust=True)
    return Message.Status.PENDING


def deliver_due(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Deliver what is due and what a dead worker left behind; the safety net under the per-message tasks."""
    now = now or timezone.now()
    due = Message.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    sent = 0
    for message_id in list(due[:limit]):
        if deliver(message_id, now) == Message.Status.SENT:
            sent += 1
    return sent


@transaction.atomic
def retry_by_hand(messages) -> int:
    """An administrator sends failed messages again: each gets a fresh round of attempts, starting now."""
    ids = list(messages.filter(status=Message.Status.FAILED).values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids).update(
        status=Message.Status.PENDING, round_start=F("attempts"), next_attempt_at=timezone.now(), last_error=""
    )
    if ids:
        transaction.on_commit(functools.partial(_enqueue_delivery, ids), robust=True)
    return len(ids)
