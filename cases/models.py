"""The case a citizen sends, its append-only timeline, and its attachments."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.tracking import format_code


class Kind(models.TextChoices):
    REQUEST = "request", _("request")
    COMPLAINT = "complaint", _("complaint")
    SUGGESTION = "suggestion", _("suggestion")
    CRITICISM = "criticism", _("criticism")
    OPINION = "opinion", _("opinion")
    APPRECIATION = "appreciation", _("appreciation")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ROUTED = "routed", _("routed")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_CITIZEN = "waiting_citizen", _("waiting for the citizen")
    AWAITING_APPROVAL = "awaiting_approval", _("answer awaiting approval")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    MERGED = "merged", _("merged into another case")


# The organization owes an answer for these; a case waiting for the citizen is open but its clock is paused.
OPEN_STATUSES = (Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS, Status.AWAITING_APPROVAL)


class SubmitterType(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    EXPERT = "expert", _("expert or academic")
    AGENCY_EMPLOYEE = "agency_employee", _("employee of an agency")
    MANAGER = "manager", _("manager")


class NotifyBy(models.TextChoices):
    """How the citizen chose to hear about the case."""

    SMS = "sms", _("by SMS")
    EMAIL = "email", _("by e-mail")
    BOTH = "both", _("by SMS and e-mail")
    NONE = "none", _("not at all: I will look it up myself")


class RoutingMethod(models.TextChoices):
    TOPIC = "topic", _("the topic the citizen picked")
    UNIT = "unit", _("the unit the citizen picked")
    RULE = "rule", _("a rule of the organization")
    MODEL = "model", _("the routing model")
    LOW_CONFIDENCE = "low_confidence", _("the model was not sure: sent to triage")
    DEFAULT = "default", _("no model: sent to triage")
    MANUAL = "manual", _("routed by hand")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which cases a member of staff may see."""
        from directory.scope import scope_of

        scope = scope_of(user)
        if scope.reads_everything:
            return self
        return self.filter(unit_id__in=scope.unit_ids)

    def actionable_by(self, user):
        """Cases a person may change: those of their units (and, for a head, the units below). Managers only read."""
        from directory.scope import scope_of

        scope = scope_of(user)
        if scope.acts_everywhere:
            return self
        return self.filter(unit_id__in=scope.unit_ids)


class Case(models.Model):
    """Something a citizen sent the organization: a request, complaint, suggestion, criticism, opinion or thanks."""

    tracking_code = models.CharField(_("tracking code"), max_length=10, unique=True, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The hidden token of the form that created the case: a second post of the same form finds this case.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    unit = models.ForeignKey("directory.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases")
    topic = models.ForeignKey(
        "directory.Topic", verbose_name=_("topic"), null=True, blank=True, on_delete=models.PROTECT
    )
    routing_method = models.CharField(_("routed by"), max_length=16, choices=RoutingMethod.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    routing_confidence = models.FloatField(_("routing confidence"), null=True, blank=True)
    routing_explanation = models.TextField(_("why it was routed there"), blank=True)
    routing_model_version = models.ForeignKey(
        "routing.ModelVersion",
        verbose_name=_("model version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # Subject and body in the matching form of persian.text.search_key, so search ignores ي/ی, ZWNJ, digits.
    search_text = models.TextField(editable=False, default="")

    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    submitter_name = models.CharField(_("name"), max_length=150, blank=True)
    submitter_mobile = models.CharField(_("mobile"), max_length=13, blank=True)
    submitter_email = models.EmailField(_("e-mail"), blank=True)
    submitter_national_id = models.CharField(_("national ID"), max_length=10, blank=True)
    submitter_type = models.CharField(_("who is writing"), max_length=20, choices=SubmitterType.choices, blank=True)
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    notify_by = models.CharField(_("keep me informed"), max_length=8, choices=NotifyBy.choices, default=NotifyBy.SMS)

    due_date = models.DateField(_("answer due by"))
    # While the case waits for the citizen its clock stops; the working days it waited are added back.
    waiting_since = models.DateField(null=True, blank=True, editable=False)
    # 0: not escalated; 1: to the head of its unit; 2: to the head of the unit above. Each happens once.
    escalation_level = models.PositiveSmallIntegerField(_("escalation"), default=0)
    # The citizen wrote and no one on the staff has acted on the case since.
    has_unread_reply = models.BooleanField(_("unread reply from the citizen"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("answer accepted on"), null=True, blank=True)
    objected_at = models.DateTimeField(_("objection on"), null=True, blank=True)

    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(_("comment on the answer"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_all_cases", _("Can read every case (organization managers)"))]
        indexes = [
            models.Index(fields=["unit", "-created_at", "-id"], name="case_unit_inbox"),
            models.Index(fields=["status", "-created_at"], name="case_status_created"),
            models.Index(fields=["submitter_mobile"], name="case_submitter_mobile"),
            models.Index(fields=["unit", "due_date", "id"], name="case_unit_due"),
            models.Index(fields=["assignee", "-created_at", "-id"], name="case_assignee_inbox"),
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(fields=["due_date", "id"], name="case_due"),
            # Open work is a few percent of all cases: the inbox's counts and the escalation task read only it.
            models.Index(
                # assignee and id too: the tab counts read only the index (an index-only scan at a million).
                fields=["unit", "status", "due_date", "assignee", "id"],
                name="case_open_work",
                condition=Q(status__in=["submitted", "routed", "in_progress", "awaiting_approval", "waiting_citizen"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="satisfaction_1_to_5",
            ),
            # The second factor of a lookup: the mobile the case was sent with, or else a PIN.
            models.CheckConstraint(
                condition=~Q(submitter_mobile="") | ~Q(pin_hash=""),
                name="case_has_second_factor",
            ),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def display_code(self) -> str:
        return format_code(self.tracking_code)

    @property
    def sms_recipient(self) -> str:
        return self.submitter_mobile if self.notify_by in (NotifyBy.SMS, NotifyBy.BOTH) else ""

    @property
    def email_recipient(self) -> str:
        return self.submitter_email if self.notify_by in (NotifyBy.EMAIL, NotifyBy.BOTH) else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < timezone.localdate()

    @property
    def objection_deadline(self):
        """The last day the citizen may accept or object to the answer."""
        if self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at) + datetime.timedelta(days=settings.MIZ_OBJECTION_DAYS)

    @property
    def can_be_objected(self) -> bool:
        return (
            self.status == Status.ANSWERED
            and self.objected_at is None
            and timezone.localdate() <= self.objection_deadline
        )

    @property
    def can_be_rated(self) -> bool:
        return self.answered_at is not None and self.satisfaction is None

    @property
    def accepts_citizen_messages(self) -> bool:
        return self.status not in (Status.CLOSED, Status.MERGED)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Timeline events are never changed; add a new event instead.")

    def delete(self):
        raise TypeError("Timeline events are never deleted.")


class CaseEvent(models.Model):
    """One line of a case's timeline and audit trail: who did what, when. Never edited, never deleted."""

    class Type(models.TextChoices):
        SUBMITTED = "submitted", _("case received")
        ROUTED = "routed", _("sent to a unit")
        NOTE = "note", _("internal note")
        ANSWER = "answer", _("answer")
        CITIZEN_MESSAGE = "citizen_message", _("message from the citizen")
        RATED = "rated", _("satisfaction rated")
        CLOSED = "closed", _("case closed")
        ASSIGNED = "assigned", _("assigned")
        REFERRED = "referred", _("referred to another unit")
        INFO_REQUESTED = "info_requested", _("more information asked of the citizen")
        ANSWER_DRAFTED = "answer_drafted", _("answer sent for approval")
        ANSWER_REJECTED = "answer_rejected", _("answer returned by the head")
        MERGED = "merged", _("merged")
        ACCEPTED = "accepted", _("answer accepted")
        OBJECTED = "objected", _("objection to the answer")
        ESCALATED = "escalated", _("escalated")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(_("event"), max_length=24, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    by_citizen = models.BooleanField(default=False)
    from_unit = models.ForeignKey("directory.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("directory.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="event_case_created")]

    def __str__(self):
        return f"{self.case_id}: {self.type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Timeline events are never changed; add a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Timeline events are never deleted.")


def attachment_path(instance, filename):
    """A generated name: nothing the uploader chose reaches the file system."""
    now = timezone.now()
    return f"{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


def attachment_storage():
    from django.core.files.storage import storages

    return storages["attachments"]


class Attachment(models.Model):
    """A file sent with a case, a citizen's message or a staff answer; stored privately under a generated name."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class OneTimeCode(models.Model):
    """A short-lived code sent by SMS to prove that a citizen holds a mobile number, before listing its cases.

    Only an HMAC of the code is stored: whoever reads the table or a backup cannot use a code still in its lifetime.
    """

    mobile = models.CharField(_("mobile"), max_length=13)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    failed_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-pk"]
        # Verification reads only the latest code of a number.
        indexes = [models.Index(fields=["mobile", "-created_at", "-id"], name="otp_mobile_latest")]

    def __str__(self):
        return f"one-time code {self.pk}"
