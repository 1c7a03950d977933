"""Everything that creates or changes a case. Each function is atomic and writes its timeline event."""

import datetime
import functools
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

import notify.events
import routing
from cases import workflow
from cases.models import OPEN_STATUSES, Attachment, Case, CaseEvent, NotifyBy, RoutingMethod, Status
from cases.tracking import is_valid_code, new_code
from cases.uploads import CheckedFile
from desk.workdays import add_working_days, due_date_for, working_days_between
from directory.services import ancestors, heads_of, is_head_over
from persian.text import search_key
from persian.validators import normalize_mobile, normalize_tracking_digits

PIN_LENGTH = 6


@functools.cache
def _dummy_pin_hash() -> str:
    """Compared against when no case matches, so that a miss costs as much time as a hit."""
    return make_password("000000")


class InvalidCode(Exception):
    """The tracking code fails its check digit: a typo, caught before any lookup."""


@dataclass(frozen=True)
class Submission:
    kind: str
    subject: str
    body: str
    topic: object = None
    unit: object = None
    is_anonymous: bool = False
    name: str = ""
    mobile: str = ""
    email: str = ""
    national_id: str = ""
    submitter_type: str = ""
    notify_by: str = "sms"


@dataclass(frozen=True)
class SubmissionResult:
    case: Case
    created: bool
    pin: str | None = None


def _new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def _store_attachments(case: Case, event: CaseEvent, files: list[CheckedFile]) -> list[Attachment]:
    stored = []
    for checked in files:
        attachment = Attachment(
            case=case,
            event=event,
            original_name=checked.original_name,
            content_type=checked.content_type,
            extension=checked.extension,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save("upload", checked.upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
        stored.append(attachment)
    return stored


def _event(case: Case, type: str, **fields) -> CaseEvent:
    """The timeline entry; the messages it causes go into the outbox in the same transaction."""
    event = CaseEvent.objects.create(case=case, type=type, **fields)
    notify.events.case_event_happened(event)
    return event


def submit_case(submission: Submission, *, files: list[CheckedFile] = (), form_token=None) -> SubmissionResult:
    """Create a case with its first events and attachments in one transaction; a repeated form returns the first."""
    if form_token is not None:
        existing = Case.objects.filter(form_token=form_token).first()
        if existing is not None:
            return SubmissionResult(case=existing, created=False)

    anonymous = submission.is_anonymous
    case = Case(
        form_token=form_token,
        kind=submission.kind,
        subject=submission.subject,
        body=submission.body,
        topic=submission.topic,
        unit=submission.unit,
        is_anonymous=anonymous,
        submitter_name="" if anonymous else submission.name,
        submitter_mobile="" if anonymous else submission.mobile,
        submitter_email="" if anonymous else submission.email,
        submitter_national_id="" if anonymous else submission.national_id,
        submitter_type="" if anonymous else submission.submitter_type,
        notify_by=NotifyBy.NONE if anonymous else submission.notify_by,
    )
    case.search_text = search_key(f"{case.subject}\n{case.body}")
    decision = routing.route(case)
    case.unit = decision.unit
    case.routing_method = decision.method
    case.routing_confidence = decision.confidence
    case.routing_explanation = decision.explanation
    case.routing_model_version = decision.model_version
    case.status = Status.SUBMITTED if decision.unit.is_triage else Status.ROUTED
    case.created_at = timezone.now()
    case.due_date = due_date_for(case.kind, timezone.localdate(case.created_at))
    pin = None
    if not case.submitter_mobile:
        pin = _new_pin()
        case.pin_hash = make_password(pin)

    try:
        with transaction.atomic():
            _save_with_fresh_code(case)
            first_event = _event(
                case, CaseEvent.Type.SUBMITTED, by_citizen=True, to_status=Status.SUBMITTED, is_public=True
            )
            if case.status == Status.ROUTED:
                _event(
                    case,
                    CaseEvent.Type.ROUTED,
                    to_unit=case.unit,
                    from_status=Status.SUBMITTED,
                    to_status=Status.ROUTED,
                    is_public=True,
                )
            if decision.explanation:
                # Why the engine chose: for staff only (and the routing engine's audit).
                _event(case, CaseEvent.Type.NOTE, text=_routing_note(case, decision))
            _store_attachments(case, first_event, list(files))
    except IntegrityError:
        # Two posts of the same form raced; the other one committed first.
        if form_token is not None:
            existing = Case.objects.filter(form_token=form_token).first()
            if existing is not None:
                return SubmissionResult(case=existing, created=False)
        raise
    return SubmissionResult(case=case, created=True, pin=pin)


def _routing_note(case: Case, decision) -> str:
    method = RoutingMethod(decision.method).label
    version = f" ({decision.model_version})" if decision.model_version else ""
    return f"{method}{version}: {decision.explanation}"


def _save_with_fresh_code(case: Case, attempts: int = 8) -> None:
    for attempt in range(attempts):
        case.tracking_code = new_code()
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            if Case.objects.filter(tracking_code=case.tracking_code).exists() and attempt < attempts - 1:
                case.pk = None
                continue
            raise


def parse_tracking_code(raw: str) -> str:
    """Digits in any script, spaces and dashes ignored; raises InvalidCode when the check digit fails."""
    try:
        code = normalize_tracking_digits(raw)
    except ValidationError as error:
        raise InvalidCode from error
    if not is_valid_code(code):
        raise InvalidCode
    return code


def find_case_for_citizen(code: str, second_factor: str) -> Case | None:
    """The case with this (already checked) code if the second factor matches; None alike for every failure."""
    case = Case.objects.select_related("unit").filter(tracking_code=code).first()
    if case is None or case.pin_hash:
        digits = "".join(ch for ch in second_factor if ch.isdigit())
        try:
            digits = normalize_tracking_digits(digits) if digits else ""
        except ValidationError:
            digits = ""
        matches = check_password(digits, case.pin_hash if case else _dummy_pin_hash())
        return case if case is not None and matches else None
    try:
        mobile = normalize_mobile(second_factor)
    except ValidationError:
        return None
    return case if constant_time_compare(mobile, case.submitter_mobile) else None


def _move(case: Case, to_status: str) -> dict[str, str]:
    """Change the status if the transition table allows it; returns the event's from_status and to_status."""
    from_status = case.status
    workflow.check_move(from_status, to_status)
    case.status = to_status
    return {"from_status": from_status, "to_status": to_status}


@transaction.atomic
def add_citizen_message(case: Case, text: str, files: list[CheckedFile] = ()) -> CaseEvent:
    """A follow-up from the citizen: it resumes a paused case, reopens an answered one, and flags the case unread."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.accepts_citizen_messages:
        raise workflow.InvalidTransition(case.status, Status.IN_PROGRESS)
    fields = {}
    if case.status == Status.WAITING_CITIZEN:
        _resume_clock(case)
        fields = _move(case, Status.IN_PROGRESS)
    elif case.status == Status.ANSWERED:
        fields = _move(case, Status.IN_PROGRESS)
    case.has_unread_reply = True
    case.save(update_fields=["status", "due_date", "waiting_since", "has_unread_reply", "updated_at"])
    event = _event(case, CaseEvent.Type.CITIZEN_MESSAGE, by_citizen=True, text=text, is_public=True, **fields)
    _store_attachments(case, event, list(files))
    return event


@transaction.atomic
def rate_case(case: Case, rating: int, comment: str = "") -> CaseEvent:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.can_be_rated:
        raise ValueError("This case cannot be rated now.")
    case.satisfaction = rating
    case.satisfaction_comment = comment
    case.rated_at = timezone.now()
    case.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at", "updated_at"])
    return _event(case, CaseEvent.Type.RATED, by_citizen=True, text=comment, is_public=True)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


def _staff_save(case: Case, *fields: str) -> None:
    """Every staff action marks the citizen's last message as seen."""
    case.has_unread_reply = False
    case.save(update_fields=[*fields, "has_unread_reply", "updated_at"])


def _send_to_unit(case: Case, actor, unit, event_type: str, reason: str) -> CaseEvent:
    from_unit = case.unit
    if unit.pk == from_unit.pk:
        raise ValidationError(_("The case is already with this unit."))
    if not unit.is_active:
        raise ValidationError(_("This unit is retired."))
    moved = _move(case, Status.ROUTED)
    case.unit = unit
    # A person decided where it belongs: a label the routing engine learns from.
    case.routing_method = RoutingMethod.MANUAL
    case.assignee = None
    case.escalation_level = 0
    _staff_save(case, "status", "unit", "routing_method", "assignee", "escalation_level")
    return _event(case, event_type, actor=actor, from_unit=from_unit, to_unit=unit, text=reason, **moved)


@transaction.atomic
def route_case(case: Case, actor, unit, reason: str = "") -> CaseEvent:
    """A person at triage sends a case to the unit that should answer it."""
    return _send_to_unit(_locked(case), actor, unit, CaseEvent.Type.ROUTED, reason)


@transaction.atomic
def refer_case(case: Case, actor, unit, reason: str) -> CaseEvent:
    """A unit hands a case to another (ارجاع); the old unit keeps only the record of the referral."""
    if not reason.strip():
        raise ValidationError(_("Say why the case goes to another unit."))
    return _send_to_unit(_locked(case), actor, unit, CaseEvent.Type.REFERRED, reason)


@transaction.atomic
def assign_case(case: Case, actor, assignee) -> CaseEvent:
    """A head gives a case to one of the unit's people; anyone of the unit may take it for themselves."""
    case = _locked(case)
    if case.status not in (*OPEN_STATUSES, Status.WAITING_CITIZEN):
        raise workflow.InvalidTransition(case.status, case.status)
    if assignee != actor and not is_head_over(actor, case.unit):
        raise PermissionDenied
    if not assignee.memberships.filter(unit=case.unit).exists() and not is_head_over(assignee, case.unit):
        raise ValidationError(_("This person does not work in the case's unit."))
    case.assignee = assignee
    _staff_save(case, "assignee")
    name = assignee.get_full_name() or assignee.get_username()
    return _event(case, CaseEvent.Type.ASSIGNED, actor=actor, text=name)


def _start_work(case: Case) -> dict:
    """The first touch by a person puts a new case in progress."""
    if case.status in (Status.SUBMITTED, Status.ROUTED):
        return _move(case, Status.IN_PROGRESS)
    return {}


@transaction.atomic
def add_note(case: Case, actor, text: str) -> CaseEvent:
    """An internal note, never shown to the citizen."""
    case = _locked(case)
    fields = _start_work(case)
    _staff_save(case, "status")
    return _event(case, CaseEvent.Type.NOTE, actor=actor, text=text, **fields)


@transaction.atomic
def request_information(case: Case, actor, question: str) -> CaseEvent:
    """Ask the citizen for more; the deadline pauses until they reply."""
    case = _locked(case)
    moved = _move(case, Status.WAITING_CITIZEN)
    case.waiting_since = timezone.localdate()
    _staff_save(case, "status", "waiting_since")
    return _event(case, CaseEvent.Type.INFO_REQUESTED, actor=actor, text=question, is_public=True, **moved)


def _resume_clock(case: Case) -> None:
    """The clock stood still while the case waited: the working days it waited are added to the deadline."""
    if case.waiting_since is not None:
        today = timezone.localdate()
        case.due_date = add_working_days(case.due_date, working_days_between(case.waiting_since, today))
        case.waiting_since = None


@transaction.atomic
def answer_case(case: Case, actor, text: str, files: list[CheckedFile] = ()) -> CaseEvent:
    """The unit's answer; where the unit requires it, a staff answer first waits for the head's approval."""
    case = _locked(case)
    if case.unit.requires_answer_approval and not is_head_over(actor, case.unit):
        moved = _move(case, Status.AWAITING_APPROVAL)
        _resume_clock(case)
        _staff_save(case, "status", "due_date", "waiting_since")
        event = _event(case, CaseEvent.Type.ANSWER_DRAFTED, actor=actor, text=text, **moved)
    else:
        event = _publish_answer(case, actor, text)
    _store_attachments(case, event, list(files))
    return event


def _publish_answer(case: Case, actor, text: str) -> CaseEvent:
    moved = _move(case, Status.ANSWERED)
    _resume_clock(case)
    case.answered_at = timezone.now()
    _staff_save(case, "status", "answered_at", "due_date", "waiting_since")
    return _event(case, CaseEvent.Type.ANSWER, actor=actor, text=text, is_public=True, **moved)


def _pending_draft(case: Case) -> CaseEvent:
    return case.events.filter(type=CaseEvent.Type.ANSWER_DRAFTED).order_by("-created_at", "-pk").first()


@transaction.atomic
def approve_answer(case: Case, actor) -> CaseEvent:
    """The head releases the drafted answer to the citizen, with its attachments."""
    case = _locked(case)
    if not is_head_over(actor, case.unit):
        raise PermissionDenied
    if case.status != Status.AWAITING_APPROVAL:
        raise workflow.InvalidTransition(case.status, Status.ANSWERED)
    draft = _pending_draft(case)
    answer = _publish_answer(case, actor, draft.text)
    Attachment.objects.filter(event=draft).update(event=answer)
    return answer


@transaction.atomic
def return_answer(case: Case, actor, reason: str) -> CaseEvent:
    """The head sends the draft back to the unit with what to change."""
    case = _locked(case)
    if not is_head_over(actor, case.unit):
        raise PermissionDenied
    if case.status != Status.AWAITING_APPROVAL:
        raise workflow.InvalidTransition(case.status, Status.IN_PROGRESS)
    moved = _move(case, Status.IN_PROGRESS)
    _staff_save(case, "status")
    return _event(case, CaseEvent.Type.ANSWER_REJECTED, actor=actor, text=reason, **moved)


@transaction.atomic
def merge_case(duplicate: Case, actor, target: Case) -> CaseEvent:
    """A duplicate joins another case; its citizen still reads it and sees where it went, and the answer given there."""
    if duplicate.pk == target.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    if not Case.objects.actionable_by(actor).filter(pk__in=[duplicate.pk, target.pk]).count() == 2:
        raise PermissionDenied  # both cases must be the person's to change
    duplicate, target = _locked(duplicate), _locked(target)
    if target.status == Status.MERGED:
        raise ValidationError(_("That case was itself merged into another; merge into that one."))
    moved = _move(duplicate, Status.MERGED)
    duplicate.merged_into = target
    duplicate.closed_at = timezone.now()
    duplicate.waiting_since = None
    _staff_save(duplicate, "status", "merged_into", "closed_at", "waiting_since")
    _event(target, CaseEvent.Type.NOTE, actor=actor, text=_("Case %(code)s was merged into this one.") % {
        "code": duplicate.display_code
    })  # fmt: skip
    return _event(duplicate, CaseEvent.Type.MERGED, actor=actor, text=target.display_code, is_public=True, **moved)


@transaction.atomic
def close_case(case: Case, actor, reason: str = "") -> CaseEvent:
    case = _locked(case)
    moved = _move(case, Status.CLOSED)
    case.closed_at = timezone.now()
    _staff_save(case, "status", "closed_at")
    return _event(case, CaseEvent.Type.CLOSED, actor=actor, text=reason, is_public=True, **moved)


def answers_of_merge_target(case: Case) -> list[CaseEvent]:
    """The public answers of the case this one was merged into (followed through merges of merges)."""
    target, seen = case.merged_into, {case.pk}
    while target is not None and target.merged_into_id and target.pk not in seen:
        seen.add(target.pk)
        target = target.merged_into
    if target is None:
        return []
    return list(target.events.filter(type=CaseEvent.Type.ANSWER, is_public=True))


# --- The citizen's word on the answer -------------------------------------------------------------


@transaction.atomic
def accept_answer(case: Case) -> CaseEvent:
    """The citizen is content: the case closes."""
    case = _locked(case)
    if not case.can_be_objected:
        raise workflow.InvalidTransition(case.status, Status.CLOSED)
    moved = _move(case, Status.CLOSED)
    case.accepted_at = case.closed_at = timezone.now()
    case.save(update_fields=["status", "accepted_at", "closed_at", "updated_at"])
    return _event(case, CaseEvent.Type.ACCEPTED, by_citizen=True, is_public=True, **moved)


@transaction.atomic
def object_to_answer(case: Case, text: str) -> CaseEvent:
    """اعتراض: the case reopens with a deadline of its own and goes to the head of the unit."""
    case = _locked(case)
    if not case.can_be_objected:
        raise workflow.InvalidTransition(case.status, Status.IN_PROGRESS)
    moved = _move(case, Status.IN_PROGRESS)
    today = timezone.localdate()
    case.objected_at = timezone.now()
    case.due_date = add_working_days(today, settings.MIZ_OBJECTION_WORKING_DAYS)
    case.escalation_level = max(case.escalation_level, 1)
    case.has_unread_reply = True
    head = heads_of(case.unit).first()
    if head is not None:
        case.assignee = head
    case.save(
        update_fields=[
            "status", "objected_at", "due_date", "escalation_level", "has_unread_reply", "assignee", "updated_at"
        ]
    )  # fmt: skip
    event = _event(case, CaseEvent.Type.OBJECTED, by_citizen=True, text=text, is_public=True, **moved)
    _event(case, CaseEvent.Type.ESCALATED, to_unit=case.unit, text=_("Objection: to the head of the unit."))
    return event


# --- Periodic work ----------------------------------------------------------------------------------


def escalate_overdue_cases(today=None) -> int:
    """Overdue cases go to the head of their unit, then (some working days later) to the head of the unit above.

    Each step happens once: the level moves by a conditional update, so a second run, or two workers at
    once, find nothing left to do.
    """
    today = today or timezone.localdate()
    moved = 0
    overdue = Case.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today, escalation_level__lt=2)
    for case in overdue.select_related("unit").order_by("pk").iterator():
        if case.escalation_level == 0:
            target, text = case.unit, _("Overdue: to the head of the unit.")
        else:
            late_by = working_days_between(case.due_date, today)
            above = ancestors(case.unit)
            if late_by < settings.MIZ_ESCALATE_TO_PARENT_AFTER_WORKING_DAYS or not above:
                continue
            target, text = above[0], _("Still overdue: to the head of the unit above.")
        with transaction.atomic():
            claimed = Case.objects.filter(pk=case.pk, escalation_level=case.escalation_level).update(
                escalation_level=case.escalation_level + 1
            )
            if claimed:
                _event(case, CaseEvent.Type.ESCALATED, to_unit=target, text=text)
                moved += 1
    return moved


def close_untouched_answers(now=None) -> int:
    """Answered cases nobody touched for MIZ_AUTO_CLOSE_DAYS close by themselves."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.MIZ_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in Case.objects.filter(status=Status.ANSWERED, updated_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.status != Status.ANSWERED or case.updated_at >= cutoff:
                continue
            moved = _move(case, Status.CLOSED)
            case.closed_at = now
            case.save(update_fields=["status", "closed_at", "updated_at"])
            text = _("Closed automatically: no reply after the answer.")
            _event(case, CaseEvent.Type.CLOSED, text=text, is_public=True, **moved)
            closed += 1
    return closed
