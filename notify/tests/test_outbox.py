"""The outbox: written with the change, delivered once, retried with back-off, failed for good visibly."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.tests.factories import submit
from notify import outbox
from notify.models import Attempt, Message
from notify.outbox import Outgoing, queue
from notify.tests.fake_gateways import FakeKavenegar

pytestmark = pytest.mark.django_db

MOBILE = "+989141234567"


def otp_message(key="k1", **fields) -> Outgoing:
    return Outgoing("one_time_code", "sms", MOBILE, key, {"otp": "123456", "minutes": "۵"}, **fields)


def test_a_message_is_written_in_the_transaction_of_its_change_and_vanishes_with_it(organization):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(mobile=MOBILE)
        assert Message.objects.filter(recipient=MOBILE).exists()
        raise RuntimeError("the change fails after the message was queued")
    assert not Message.objects.exists()


def test_delivery_is_put_on_the_task_queue_when_the_change_commits(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(mobile=MOBILE)
    message = Message.objects.get(case=result.case, channel="sms")
    task = DBTaskResult.objects.get()
    assert task.task_path == "notify.tasks.deliver_messages"
    assert task.args_kwargs["args"] == [[message.pk]]


def test_a_key_already_in_the_outbox_is_not_queued_again(db):
    assert len(queue([otp_message()])) == 1
    assert queue([otp_message()]) == []
    assert Message.objects.count() == 1


def test_a_delivered_message_records_its_attempt_and_is_not_sent_again(db, sms_file):
    [message] = queue([otp_message()])
    assert outbox.deliver(message.pk) == Message.Status.SENT
    assert outbox.deliver(message.pk) is None  # already sent: nothing to claim
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    [attempt] = message.attempt_log.all()
    assert attempt.ok and attempt.number == 1 and "appended" in attempt.detail
    assert [r["idempotency_key"] for r in sms_file.records()] == [str(message.delivery_id)]


def test_a_message_claimed_by_one_worker_is_not_sent_by_another_until_its_lease_runs_out(db, sms_file):
    [message] = queue([otp_message()])
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(status="sending", lease_until=now + outbox.LEASE, attempts=1)
    assert outbox.deliver(message.pk, now) is None
    assert outbox.deliver_due(now) == 0
    # The first worker died: once its lease has run out, the message is taken over (same key, attempt 2).
    later = now + outbox.LEASE + datetime.timedelta(seconds=1)
    assert outbox.deliver(message.pk, later) == Message.Status.SENT
    assert Message.objects.get(pk=message.pk).attempts == 2


def test_an_unreachable_gateway_means_a_retry_later_with_the_answer_recorded(db, settings):
    gateway = FakeKavenegar().start()
    gateway.stop()  # refused connections from now on
    settings.SMS_BACKEND = "notify.sms.kavenegar.KavenegarBackend"
    settings.SMS_API_KEY, settings.SMS_BASE_URL, settings.SMS_TIMEOUT = gateway.api_key, gateway.url, 2
    [message] = queue([otp_message()])
    before = timezone.now()
    assert outbox.deliver(message.pk) == Message.Status.PENDING
    message.refresh_from_db()
    delay = (message.next_attempt_at - before).total_seconds()
    base = settings.MIZ_NOTIFY_RETRY_BASE_SECONDS
    assert base / 2 <= delay <= base + 5
    [attempt] = message.attempt_log.all()
    assert not attempt.ok and not attempt.permanent and attempt.status_code is None and attempt.detail
    assert message.last_error == attempt.detail


@pytest.mark.parametrize("attempt", [1, 2, 3, 5, 8, 20])
def test_the_back_off_doubles_and_stops_at_its_cap(settings, attempt):
    settings.MIZ_NOTIFY_RETRY_BASE_SECONDS, settings.MIZ_NOTIFY_RETRY_CAP_SECONDS = 30, 600
    full = min(600, 30 * 2 ** (attempt - 1))
    for _ in range(50):
        assert full / 2 <= outbox.retry_delay(attempt).total_seconds() <= full


def test_a_permanent_refusal_fails_at_once_with_its_reason(db, settings, fake_kavenegar):
    settings.SMS_BACKEND = "notify.sms.kavenegar.KavenegarBackend"
    settings.SMS_API_KEY, settings.SMS_BASE_URL = fake_kavenegar.api_key, fake_kavenegar.url
    fake_kavenegar.answer_next(411)  # Kavenegar: the receptor is invalid
    [message] = queue([otp_message()])
    assert outbox.deliver(message.pk) == Message.Status.FAILED
    message.refresh_from_db()
    assert message.attempt_log.get().permanent and "411" in message.last_error


def test_after_the_last_attempt_a_message_fails_for_good(db, settings, fake_kavenegar):
    settings.MIZ_NOTIFY_MAX_ATTEMPTS = 3
    settings.SMS_BACKEND = "notify.sms.kavenegar.KavenegarBackend"
    settings.SMS_API_KEY, settings.SMS_BASE_URL = fake_kavenegar.api_key, fake_kavenegar.url
    for _ in range(3):
        fake_kavenegar.http_error_next(503)
    [message] = queue([otp_message()])
    now = timezone.now()
    statuses = []
    for _ in range(3):
        now += datetime.timedelta(days=1)  # past any back-off
        statuses.append(outbox.deliver(message.pk, now))
    assert statuses == ["pending", "pending", "failed"]
    message.refresh_from_db()
    assert message.last_error.startswith("gave up after 3 attempts: ") and "503" in message.last_error
    assert fake_kavenegar.deliveries == []
    assert list(message.attempt_log.values_list("number", flat=True)) == [1, 2, 3]


def test_a_code_that_expired_while_the_gateway_was_down_is_not_sent(db, sms_file):
    [message] = queue([otp_message(expires_at=timezone.now() + datetime.timedelta(minutes=5))])
    assert outbox.deliver(message.pk, timezone.now() + datetime.timedelta(minutes=6)) == Message.Status.SKIPPED
    assert sms_file.records() == []
    assert not Attempt.objects.exists()


def test_an_administrator_retries_a_failed_message_by_hand_and_it_gets_a_fresh_round(
    db, administrator, client, sms_file
):
    [message] = queue([otp_message()])
    Message.objects.filter(pk=message.pk).update(status="failed", attempts=10, last_error="gave up")
    client.force_login(administrator)
    page = client.get("/admin/notify/message/?status__exact=failed")
    assert page.status_code == 200 and "gave up" in page.content.decode()
    response = client.post("/admin/notify/message/", {"action": "retry", "_selected_action": [message.pk]}, follow=True)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "pending" and message.round_start == 10
    assert outbox.deliver(message.pk) == "sent"
    assert message.attempt_log.get().number == 11


def test_the_outbox_admin_shows_each_attempt_and_changes_nothing(db, administrator, client, sms_file):
    [message] = queue([otp_message()])
    outbox.deliver(message.pk)
    client.force_login(administrator)
    page = client.get(f"/admin/notify/message/{message.pk}/change/").content.decode()
    assert "appended to sms.jsonl" in page
    assert 'name="_save"' not in page


def test_a_retry_after_a_gateway_timeout_does_not_send_the_sms_twice(db, settings, fake_kavenegar):
    """The gateway took the message but answered too late; the retry, in a new worker process, says the same id."""
    from notify import channels

    settings.SMS_BACKEND = "notify.sms.kavenegar.KavenegarBackend"
    settings.SMS_API_KEY, settings.SMS_BASE_URL, settings.SMS_TIMEOUT = fake_kavenegar.api_key, fake_kavenegar.url, 1
    fake_kavenegar.time_out_next(delay=2, deliver=True)
    [message] = queue([otp_message()])
    assert outbox.deliver(message.pk) == Message.Status.PENDING
    channels.sms_backend.cache_clear()  # another process: nothing remembered in memory
    assert outbox.deliver(message.pk, timezone.now() + datetime.timedelta(hours=1)) == Message.Status.SENT
    assert len(fake_kavenegar.deliveries) == 1
    assert list(Message.objects.get(pk=message.pk).attempt_log.values_list("ok", flat=True)) == [False, True]


@pytest.mark.parametrize("later", [0, 10])
def test_a_one_time_code_leaves_no_readable_copy_once_sent_or_expired(db, sms_file, later):
    [message] = queue([otp_message(expires_at=timezone.now() + datetime.timedelta(minutes=5))])
    assert "123456" in message.__class__.objects.get(pk=message.pk).text  # needed until it goes out
    outbox.deliver(message.pk, timezone.now() + datetime.timedelta(minutes=later))
    message.refresh_from_db()
    assert message.status in ("sent", "skipped")
    assert "123456" not in message.text and message.text == outbox.WIPED_TEXT
