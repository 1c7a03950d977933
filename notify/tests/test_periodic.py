"""The reminder before an answered case closes by itself, and the heads' daily digest: each sent once."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.tests.factories import submit
from conftest import make_staff
from notify import periodic
from notify.models import Message

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


@pytest.fixture
def answered_case(organization):
    case = submit(mobile="+989141234567", unit=organization["stats"]).case
    services.answer_case(case, make_staff("head-stats", organization["stats"], "head"), "پاسخ")
    return Case.objects.get(pk=case.pk)


def test_a_citizen_is_reminded_once_a_few_days_before_the_answer_closes_by_itself(answered_case, settings):
    settings.MIZ_AUTO_CLOSE_DAYS, settings.MIZ_CLOSE_REMINDER_DAYS = 14, 3
    answered = answered_case.updated_at
    assert periodic.remind_before_closing(answered + datetime.timedelta(days=10)) == 0  # too early
    assert periodic.remind_before_closing(answered + datetime.timedelta(days=11, hours=1)) == 1
    assert periodic.remind_before_closing(answered + datetime.timedelta(days=12)) == 0  # once
    reminder = Message.objects.get(template="close_reminder")
    close_on = timezone.localdate(answered + datetime.timedelta(days=14))
    from persian.jalali import format_date

    assert format_date(close_on) in reminder.text and answered_case.display_code in reminder.text


def test_no_reminder_for_a_case_that_is_no_longer_answered(answered_case, settings):
    services.accept_answer(answered_case)
    later = answered_case.updated_at + datetime.timedelta(days=12)
    assert periodic.remind_before_closing(later) == 0


@pytest.fixture
def heads(organization):
    budget_head = make_staff("head-budget-mail", organization["budget"], "head")
    budget_head.email = "budget@example.com"
    budget_head.save(update_fields=["email"])
    stats_head = make_staff("head-stats-mail", organization["stats"], "head")
    stats_head.email = "stats@example.com"
    stats_head.save(update_fields=["email"])
    return budget_head, stats_head


def at_tehran(hour: int) -> datetime.datetime:
    today = timezone.localdate()
    return datetime.datetime(today.year, today.month, today.day, hour, 5, tzinfo=TEHRAN)


@pytest.mark.usefixtures("heads")
def test_each_head_gets_one_digest_a_day_after_the_digest_hour_with_the_work_below_them(organization):
    submit(unit=organization["planning"])  # below budget
    overdue = submit(unit=organization["planning"]).case
    Case.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    assert periodic.send_daily_digests(at_tehran(7)) == 0  # before the hour
    assert periodic.send_daily_digests(at_tehran(9)) == 1  # stats has nothing open: no mail for its head
    assert periodic.send_daily_digests(at_tehran(15)) == 0  # once a day
    digest = Message.objects.get(template="daily_digest")
    assert digest.recipient == "budget@example.com" and digest.channel == "email"
    assert organization["planning"].name in digest.html
    assert "۲ باز، ۱ دیرکرد" in digest.text  # 2 open, 1 overdue
    assert organization["stats"].name not in digest.text


def test_old_sent_messages_are_pruned_but_failed_ones_stay(organization, settings):
    from notify.models import Attempt
    from notify.outbox import deliver_due

    settings.MIZ_NOTIFY_KEEP_DAYS = 30
    submit(mobile="+989141234567", unit=organization["stats"])
    submit(mobile="+989141234568", unit=organization["stats"])
    deliver_due()
    Message.objects.filter(recipient="+989141234568").update(status="failed")
    now = timezone.now()
    assert periodic.prune_outbox(now + datetime.timedelta(days=29)) == 0
    assert periodic.prune_outbox(now + datetime.timedelta(days=31)) == 1
    assert list(Message.objects.values_list("recipient", flat=True)) == ["+989141234568"]
    assert Attempt.objects.filter(message__recipient="+989141234567").count() == 0
