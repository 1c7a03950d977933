"""The outbox: every SMS and e-mail is a row written in the transaction of the change that causes it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def message_kinds():
    """The messages of notify.wording, for the admin's labels and filters."""
    from notify.wording import MESSAGE_KINDS

    return [(kind.name, kind.label) for kind in MESSAGE_KINDS.values()]


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class Message(models.Model):
    """One notification to one recipient, rendered when queued, delivered by the worker with retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed for good")
        SKIPPED = "skipped", _("not sent")

    # Names what caused the message (an event, a day's digest), so that the same cause never queues it twice.
    key = models.CharField(_("key"), max_length=120, unique=True, editable=False)
    # The same on every retry, and unique across databases: an SMS gateway that deduplicates receives it (a key
    # like "event1" would repeat after a reinstall and be silently dropped), e-mail carries it in its Message-ID,
    # and the unsubscribe link names it.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    template = models.CharField(_("message"), max_length=40, choices=message_kinds)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # attempts when an administrator last retried it by hand: each retry by hand gets a fresh round.
    round_start = models.PositiveSmallIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker that claimed the message owns it until then; after that another may take it over.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    # A one-time code is worthless later: it is not sent after this, and its text is wiped once done with.
    expires_at = models.DateTimeField(_("not to be sent after"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper reads only what is still to be sent.
            models.Index(
                fields=["next_attempt_at"],
                name="message_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["status", "-created_at"], name="message_status"),
        ]

    def __str__(self):
        return self.key


class Attempt(models.Model):
    """One try at delivering a message, with what the gateway or the mail server answered."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    ok = models.BooleanField(_("delivered"))
    permanent = models.BooleanField(_("retrying cannot help"), default=False)
    detail = models.TextField(_("answer"), blank=True)
    gateway_id = models.CharField(_("gateway's id"), max_length=100, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="one_row_per_attempt")]

    def __str__(self):
        return f"{self.message_id}#{self.number}"


class Unsubscription(models.Model):
    """An e-mail address that asked for no more e-mail from the desk."""

    address = models.EmailField(_("e-mail"), unique=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        ordering = ["-created_at"]

    def __str__(self):
        return self.address


class MessageTemplate(models.Model):
    """An administrator's wording of one message; a blank part keeps the default wording of that part."""

    name = models.CharField(_("message"), max_length=40, unique=True, choices=message_kinds)
    sms_text = models.TextField(_("SMS text"), blank=True)
    email_subject = models.CharField(_("e-mail subject"), max_length=300, blank=True)
    email_text = models.TextField(_("e-mail text"), blank=True)
    email_html = models.TextField(_("e-mail HTML"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("message wording")
        verbose_name_plural = _("message wordings")
        ordering = ["name"]

    def __str__(self):
        return self.name
