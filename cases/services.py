"""Everything that creates or changes a case. Each function is atomic and writes its timeline event."""

import functools
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

import routing
from cases import workflow
from cases.models import Attachment, Case, CaseEvent, RoutingMethod, Status
from cases.tracking import is_valid_code, new_code
from cases.uploads import CheckedFile
from desk.workdays import due_date_for
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
    return CaseEvent.objects.create(case=case, type=type, **fields)


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
    )
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


def _move(case: Case, to_status: str) -> str:
    from_status = case.status
    workflow.check_move(from_status, to_status)
    case.status = to_status
    return from_status


@transaction.atomic
def add_citizen_message(case: Case, text: str, files: list[CheckedFile] = ()) -> CaseEvent:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.accepts_citizen_messages:
        raise workflow.InvalidTransition(case.status, Status.IN_PROGRESS)
    fields = {}
    if case.status == Status.ANSWERED:
        fields = {"from_status": _move(case, Status.IN_PROGRESS), "to_status": Status.IN_PROGRESS}
        case.save(update_fields=["status", "updated_at"])
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


@transaction.atomic
def route_case(case: Case, actor, unit, reason: str = "") -> CaseEvent:
    """A person at triage sends a case to the unit that should answer it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    from_unit = case.unit
    from_status = _move(case, Status.ROUTED)
    case.unit = unit
    case.routing_method = RoutingMethod.MANUAL
    case.save(update_fields=["status", "unit", "routing_method", "updated_at"])
    event = _event(
        case,
        CaseEvent.Type.ROUTED,
        actor=actor,
        from_unit=from_unit,
        to_unit=unit,
        from_status=from_status,
        to_status=Status.ROUTED,
        is_public=True,
    )
    if reason:
        _event(case, CaseEvent.Type.NOTE, actor=actor, text=reason)
    return event


@transaction.atomic
def add_note(case: Case, actor, text: str) -> CaseEvent:
    """An internal note; the first touch by a person puts a routed case in progress."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    fields = {}
    if case.status in (Status.SUBMITTED, Status.ROUTED):
        fields = {"from_status": _move(case, Status.IN_PROGRESS), "to_status": Status.IN_PROGRESS}
        case.save(update_fields=["status", "updated_at"])
    return _event(case, CaseEvent.Type.NOTE, actor=actor, text=text, **fields)


@transaction.atomic
def answer_case(case: Case, actor, text: str, files: list[CheckedFile] = ()) -> CaseEvent:
    case = Case.objects.select_for_update().get(pk=case.pk)
    from_status = _move(case, Status.ANSWERED)
    case.answered_at = timezone.now()
    case.save(update_fields=["status", "answered_at", "updated_at"])
    event = _event(
        case,
        CaseEvent.Type.ANSWER,
        actor=actor,
        text=text,
        from_status=from_status,
        to_status=Status.ANSWERED,
        is_public=True,
    )
    _store_attachments(case, event, list(files))
    return event


@transaction.atomic
def close_case(case: Case, actor, reason: str = "") -> CaseEvent:
    case = Case.objects.select_for_update().get(pk=case.pk)
    from_status = _move(case, Status.CLOSED)
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    return _event(
        case,
        CaseEvent.Type.CLOSED,
        actor=actor,
        text=reason,
        from_status=from_status,
        to_status=Status.CLOSED,
        is_public=True,
    )
