"""What a recipient may change: their own e-mail subscription."""

import uuid

from django.core import signing
from django.db import transaction

from notify.models import Message, Unsubscription
from notify.outbox import UNSUBSCRIBE_SALT


class BadLink(Exception):
    """The unsubscribe link was altered or names no message."""


def address_of_link(token: str) -> str:
    try:
        delivery_id = uuid.UUID(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise BadLink from error
    recipient = (
        Message.objects.filter(delivery_id=delivery_id, channel="email").values_list("recipient", flat=True).first()
    )
    if recipient is None:
        raise BadLink
    return recipient


@transaction.atomic
def unsubscribe(token: str) -> str:
    """No more e-mail to the address the link was sent to; a second click changes nothing. Returns the address."""
    address = address_of_link(token).lower()
    Unsubscription.objects.get_or_create(address=address)
    Message.objects.filter(recipient__iexact=address, channel="email", status=Message.Status.PENDING).update(
        status=Message.Status.SKIPPED, last_error="the address unsubscribed"
    )
    return address


def citizen_messages_of(case) -> list[Message]:
    """The messages sent (or being sent) to a case's citizen, oldest first."""
    return list(
        Message.objects.filter(case=case, user=None)
        .only("template", "channel", "status", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
