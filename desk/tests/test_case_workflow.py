"""The desk's actions as services: referral, assignment, information requests, approval, merge, objection."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent, RoutingMethod, Status
from cases.tests.factories import submit
from cases.workflow import InvalidTransition
from desk.workdays import add_working_days
from directory.models import StaffMembership
from routing.training import history_examples

STATS_TOPIC = "درخواست آمار و اطلاعات"


@pytest.fixture
def stats_case(organization):
    return submit(topic_label=STATS_TOPIC).case


@pytest.fixture
def stats_head(organization, new_staff):
    return new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)


def types(case):
    return list(case.events.values_list("type", flat=True))


def test_a_referral_moves_the_case_records_why_and_teaches_routing(stats_case, clerk, organization):
    event = services.refer_case(stats_case, clerk, organization["planning"], "درباره آمایش است، نه آمار")
    stats_case.refresh_from_db()
    assert stats_case.unit == organization["planning"]
    assert stats_case.status == Status.ROUTED
    assert stats_case.routing_method == RoutingMethod.MANUAL
    assert (event.type, event.from_unit, event.to_unit) == (
        CaseEvent.Type.REFERRED,
        organization["stats"],
        organization["planning"],
    )
    assert not event.is_public  # the reason is for staff
    assert dict(history_examples())[f"{stats_case.subject}\n{stats_case.body}"] == "planning"
    assert not Case.objects.visible_to(clerk).filter(pk=stats_case.pk).exists()


def test_a_referral_needs_a_reason_and_another_active_unit(stats_case, clerk, organization):
    with pytest.raises(ValidationError):
        services.refer_case(stats_case, clerk, organization["planning"], "  ")
    with pytest.raises(ValidationError):
        services.refer_case(stats_case, clerk, organization["stats"], "همین واحد")
    organization["legal"].is_active = False
    organization["legal"].save()
    with pytest.raises(ValidationError):
        services.refer_case(stats_case, clerk, organization["legal"], "واحد بازنشسته")
    assert Case.objects.get(pk=stats_case.pk).unit == organization["stats"]


def test_a_head_assigns_staff_may_take_a_case_for_themselves_only(
    stats_case, clerk, stats_head, organization, new_staff
):
    colleague = new_staff("clerk-stats-2", organization["stats"])
    with pytest.raises(PermissionDenied):
        services.assign_case(stats_case, clerk, colleague)
    services.assign_case(stats_case, clerk, clerk)
    services.assign_case(stats_case, stats_head, colleague)
    assert Case.objects.get(pk=stats_case.pk).assignee == colleague
    outsider_staff = new_staff("clerk-legal-x", organization["legal"])
    with pytest.raises(ValidationError):
        services.assign_case(stats_case, stats_head, outsider_staff)
    assert types(stats_case).count(CaseEvent.Type.ASSIGNED) == 2


def test_waiting_for_the_citizen_pauses_the_deadline_and_their_reply_resumes_it(stats_case, clerk, monkeypatch):
    asked_on = datetime.date(2026, 11, 29)  # a Sunday
    monkeypatch.setattr(timezone, "localdate", lambda *args: asked_on)
    due = stats_case.due_date
    services.request_information(stats_case, clerk, "لطفاً شهرستان را مشخص کنید.")
    stats_case.refresh_from_db()
    assert stats_case.status == Status.WAITING_CITIZEN
    assert not stats_case.is_overdue  # paused
    replied_on = datetime.date(2026, 12, 3)  # Thursday: Mon, Tue, Wed, Thu = 4 working days later
    monkeypatch.setattr(timezone, "localdate", lambda *args: replied_on)
    services.add_citizen_message(stats_case, "شهرستان ارومیه")
    stats_case.refresh_from_db()
    assert stats_case.status == Status.IN_PROGRESS
    assert stats_case.due_date == add_working_days(due, 4)
    assert stats_case.waiting_since is None
    assert stats_case.has_unread_reply
    services.add_note(stats_case, clerk, "دیدم")
    assert not Case.objects.get(pk=stats_case.pk).has_unread_reply


def test_an_answer_in_a_unit_that_requires_approval_waits_for_the_head(stats_case, clerk, stats_head, organization):
    organization["stats"].requires_answer_approval = True
    organization["stats"].save()
    draft = services.answer_case(stats_case, clerk, "پاسخ پیش‌نویس")
    stats_case.refresh_from_db()
    assert (draft.type, draft.is_public, stats_case.status) == (
        CaseEvent.Type.ANSWER_DRAFTED,
        False,
        Status.AWAITING_APPROVAL,
    )
    assert stats_case.answered_at is None
    with pytest.raises(PermissionDenied):
        services.approve_answer(stats_case, clerk)
    services.return_answer(stats_case, stats_head, "آمار سال ۱۴۰۴ را هم بیاورید")
    assert Case.objects.get(pk=stats_case.pk).status == Status.IN_PROGRESS
    services.answer_case(stats_case, clerk, "پاسخ کامل‌تر")
    answer = services.approve_answer(stats_case, stats_head)
    stats_case.refresh_from_db()
    assert (answer.type, answer.is_public, answer.text) == (CaseEvent.Type.ANSWER, True, "پاسخ کامل‌تر")
    assert stats_case.status == Status.ANSWERED
    # The head's own answer needs no approval.
    other = submit(topic_label=STATS_TOPIC).case
    assert services.answer_case(other, stats_head, "پاسخ رئیس").type == CaseEvent.Type.ANSWER


def test_merging_closes_the_duplicate_and_its_citizen_reads_the_answer_given_there(stats_case, clerk):
    duplicate = submit(topic_label=STATS_TOPIC, mobile="+989121111111").case
    services.merge_case(duplicate, clerk, stats_case)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.MERGED, stats_case)
    assert services.answers_of_merge_target(duplicate) == []
    services.answer_case(stats_case, clerk, "پاسخ هر دو")
    assert [event.text for event in services.answers_of_merge_target(duplicate)] == ["پاسخ هر دو"]
    with pytest.raises(InvalidTransition):
        services.add_citizen_message(duplicate, "هنوز هستم")
    with pytest.raises(ValidationError):
        services.merge_case(stats_case, clerk, stats_case)
    assert duplicate.display_code in stats_case.events.filter(type=CaseEvent.Type.NOTE).last().text


def test_accepting_the_answer_closes_the_case(stats_case, clerk):
    services.answer_case(stats_case, clerk, "پاسخ")
    services.accept_answer(Case.objects.get(pk=stats_case.pk))
    stats_case.refresh_from_db()
    assert stats_case.status == Status.CLOSED
    assert stats_case.accepted_at is not None
    with pytest.raises(InvalidTransition):
        services.object_to_answer(stats_case, "دیر شد")


def test_an_objection_reopens_escalates_to_the_head_with_its_own_deadline(stats_case, clerk, stats_head, settings):
    services.answer_case(stats_case, clerk, "پاسخ")
    services.object_to_answer(Case.objects.get(pk=stats_case.pk), "پاسخ ناقص است")
    stats_case.refresh_from_db()
    assert stats_case.status == Status.IN_PROGRESS
    assert stats_case.objected_at is not None
    assert stats_case.assignee == stats_head
    assert stats_case.escalation_level == 1
    assert stats_case.due_date == add_working_days(timezone.localdate(), settings.MIZ_OBJECTION_WORKING_DAYS)
    assert types(stats_case)[-2:] == [CaseEvent.Type.OBJECTED, CaseEvent.Type.ESCALATED]
    # Answered again: one objection per case.
    services.answer_case(stats_case, stats_head, "پاسخ کامل")
    stats_case.refresh_from_db()
    assert not stats_case.can_be_objected
    with pytest.raises(InvalidTransition):
        services.object_to_answer(stats_case, "باز هم")


def test_the_objection_window_closes(stats_case, clerk, settings):
    services.answer_case(stats_case, clerk, "پاسخ")
    long_ago = timezone.now() - datetime.timedelta(days=settings.MIZ_OBJECTION_DAYS + 1)
    Case.objects.filter(pk=stats_case.pk).update(answered_at=long_ago)
    stats_case.refresh_from_db()
    assert not stats_case.can_be_objected
    with pytest.raises(InvalidTransition):
        services.object_to_answer(stats_case, "دیر")


def test_escalation_goes_to_the_head_then_to_the_unit_above_once_each(organization, clerk, settings):
    case = submit(topic_label="پروژه‌های نیمه‌تمام").case  # monitoring, under budget
    late = case.due_date + datetime.timedelta(days=1)
    assert services.escalate_overdue_cases(case.due_date) == 0  # due today is not overdue
    assert services.escalate_overdue_cases(late) == 1
    assert services.escalate_overdue_cases(late) == 0  # running twice does not escalate twice
    case.refresh_from_db()
    assert case.escalation_level == 1
    much_later = add_working_days(case.due_date, settings.MIZ_ESCALATE_TO_PARENT_AFTER_WORKING_DAYS)
    assert services.escalate_overdue_cases(much_later) == 1
    assert services.escalate_overdue_cases(much_later + datetime.timedelta(days=30)) == 0
    escalations = case.events.filter(type=CaseEvent.Type.ESCALATED).order_by("pk")
    assert [event.to_unit.code for event in escalations] == ["monitoring", "budget"]


def test_a_case_waiting_for_the_citizen_is_not_escalated(stats_case, clerk):
    services.request_information(stats_case, clerk, "مدرک بفرستید")
    assert services.escalate_overdue_cases(stats_case.due_date + datetime.timedelta(days=60)) == 0


def test_answered_cases_nobody_touches_close_by_themselves(stats_case, clerk, settings):
    services.answer_case(stats_case, clerk, "پاسخ")
    now = timezone.now()
    assert services.close_untouched_answers(now) == 0
    later = now + datetime.timedelta(days=settings.MIZ_AUTO_CLOSE_DAYS, minutes=1)
    assert services.close_untouched_answers(later) == 1
    assert services.close_untouched_answers(later) == 0
    assert Case.objects.get(pk=stats_case.pk).status == Status.CLOSED


def test_a_case_cannot_be_merged_into_another_units_case(stats_case, clerk, organization):
    legal_case = submit(unit=organization["legal"], mobile="+989121111111").case
    with pytest.raises(PermissionDenied):
        services.merge_case(stats_case, clerk, legal_case)
    assert Case.objects.get(pk=stats_case.pk).status == Status.ROUTED
