"""The promise of the outbox, end to end: mail server and SMS gateway down, 500 cases submitted through the page.

Every submission succeeds, no slower than with both up, and touches neither; a worker during the outage records
its failed attempts; once both are back, every notification arrives exactly once.
"""

import statistics
import time
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.models import Case
from notify import outbox
from notify.models import Attempt, Message
from notify.tests.fake_gateways import FakeKavenegar

pytestmark = pytest.mark.django_db(transaction=True)

CASES_DURING_OUTAGE = 500
CASES_BEFORE = 50


def submit_through_the_page(client: Client, number: int) -> float:
    started = time.perf_counter()
    response = client.post(
        "/submit/",
        {
            "form_token": str(uuid.uuid4()),
            "unit": "stats",
            "kind": "request",
            "subject": f"درخواست آمار شماره {number}",
            "body": "لطفاً آمار جمعیت شهرستان را اعلام کنید.",
            "mobile": f"0914{number:07d}",
            "email": f"citizen{number}@example.com",
            "notify_by": "both",
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    return elapsed


@pytest.fixture
def gateway(settings):
    gateway = FakeKavenegar().start()
    settings.SMS_BACKEND = "notify.sms.kavenegar.KavenegarBackend"
    settings.SMS_API_KEY, settings.SMS_BASE_URL, settings.SMS_TIMEOUT = gateway.api_key, gateway.url, 2
    settings.SMS_SENDER = gateway.lines[0]
    yield gateway
    gateway.stop()


def test_an_outage_loses_nothing_delays_nothing_and_every_notification_arrives_once(
    organization, clerk, gateway, smtp_server
):
    clerk.email = "clerk@example.com"
    clerk.save(update_fields=["email"])
    client = Client()

    # With both up: the time a submission takes, and the messages of those cases delivered.
    with_both_up = [submit_through_the_page(client, n) for n in range(CASES_BEFORE)]
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert Message.objects.exclude(status="sent").count() == 0
    delivered_before = Message.objects.count()

    smtp_server.stop()
    gateway.stop()
    during_outage = [
        submit_through_the_page(client, n) for n in range(CASES_BEFORE, CASES_BEFORE + CASES_DURING_OUTAGE)
    ]

    assert Case.objects.count() == CASES_BEFORE + CASES_DURING_OUTAGE
    queued = Message.objects.filter(status="pending")
    # Per case: the citizen's SMS and e-mail, and the clerk's e-mail.
    assert queued.count() == 3 * CASES_DURING_OUTAGE
    # No submission tried the network: attempts are the worker's alone, and it has not run yet.
    assert Attempt.objects.count() == delivered_before
    # "As fast as with them up": the median submission is no slower (a generous margin for a shared machine;
    # a submission that waited on a refused or hanging connection would stand out by far more).
    assert statistics.median(during_outage) <= 2 * statistics.median(with_both_up) + 0.05

    # The worker runs during the outage: every message fails once, is recorded, and waits for its retry.
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert queued.count() == 3 * CASES_DURING_OUTAGE
    # (A slow run may already retry a few whose back-off ran out meanwhile: at least one attempt each.)
    assert not queued.filter(attempts=0).exists()
    failed_attempts = Attempt.objects.filter(ok=False)
    assert failed_attempts.count() >= 3 * CASES_DURING_OUTAGE
    assert not failed_attempts.filter(permanent=True).exists()
    assert not Attempt.objects.filter(ok=True, message__in=queued).exists()

    # Both come back on the same addresses. The retries come due; the sweeper runs twice (and a duplicate
    # delivery task for every message too), and nothing is sent twice.
    gateway.start()
    smtp_server.start()
    later = timezone.now() + timezone.timedelta(hours=2)
    assert outbox.deliver_due(later, limit=10_000) == 3 * CASES_DURING_OUTAGE
    assert outbox.deliver_due(later, limit=10_000) == 0
    for message_id in Message.objects.values_list("pk", flat=True):
        assert outbox.deliver(message_id, later) is None

    assert Message.objects.exclude(status="sent").count() == 0
    all_cases = CASES_BEFORE + CASES_DURING_OUTAGE
    sms_keys = [delivery["localid"] for delivery in gateway.deliveries]
    assert len(sms_keys) == len(set(sms_keys)) == all_cases
    message_ids = [received.message["Message-ID"] for received in smtp_server.received]
    assert len(message_ids) == len(set(message_ids)) == 2 * all_cases
    for number in (0, CASES_BEFORE, all_cases - 1):
        assert len(smtp_server.messages_to(f"citizen{number}@example.com")) == 1
    assert len(smtp_server.messages_to("clerk@example.com")) == all_cases
