"""Benchmarks of the notification outbox, in-process. Not tests: figures for README.md.

1. What the outbox adds to a submission: submit_case() with no message at all, with the three staff e-mails only
   (notify_by="none") and with the citizen's SMS and e-mail too (notify_by="both"); and POST /submit/.
2. How fast a worker delivers (outbox.deliver_due): SMS to the file backend, SMS to the fake Kavenegar gateway on
   loopback, e-mail to a real SMTP server on loopback.
3. What an outage costs a worker: deliver_due() while the gateway (or the mail server) refuses connections.

Usage: .venv/bin/python bench/notify.py [--submissions 300] [--messages 1000] [--outage 200]
The database is a throw-away SQLite file, or BENCH_DATABASE_URL (e.g. a fresh PostgreSQL database).
The JSON report is printed and written to bench/results/notify-<database>.json.
"""

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# First on the path, so that `import notify` finds the app and not this file.
sys.path.insert(0, str(ROOT))

# (After the path is set.) The throw-away database every bench uses.
from bench.run import setup

STAFF_EMAILS = ("bench-staff-1@example.com", "bench-staff-2@example.com", "bench-staff-3@example.com")


def summary(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
        "n": len(samples),
    }


def timed_together(variants: dict, repeat: int) -> dict:
    """Each variant `repeat` times, taking turns, so that a noisy neighbour slows them all alike.

    A variant is (prepare, run): prepare() is not timed (it switches the staff's e-mail on or off).
    """
    for prepare, run in variants.values():
        for _ in range(min(10, repeat)):
            prepare()
            run()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, (prepare, run) in variants.items():
            prepare()
            start = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: summary(values) for name, values in samples.items()}


def make_staff(unit, count: int) -> list:
    """Staff of the unit, like conftest.make_staff; their e-mail is switched by StaffEmailSwitch."""
    from django.contrib.auth.models import User

    from directory.models import StaffMembership

    users = []
    for number in range(count):
        user = User.objects.create_user(username=f"bench-staff-{number + 1}")
        StaffMembership.objects.create(user=user, unit=unit, role=StaffMembership.Role.STAFF)
        users.append(user)
    return users


class StaffEmailSwitch:
    """Switches the staff's e-mail only when the wanted state differs from the current one."""

    def __init__(self, users) -> None:
        self.users = users
        self.on: bool | None = None

    def want(self, on: bool):
        def prepare():
            if self.on is on:
                return
            from django.contrib.auth.models import User

            for user, address in zip(self.users, STAFF_EMAILS, strict=True):
                User.objects.filter(pk=user.pk).update(email=address if on else "")
            self.on = on

        return prepare


def bench_submissions(unit, users, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.services import Submission, submit_case
    from notify.models import Message

    switch = StaffEmailSwitch(users)
    counter = iter(range(10**9))

    def service(notify_by: str):
        def run():
            number = next(counter)
            submit_case(
                Submission(
                    kind="request",
                    subject=f"درخواست آمار شماره {number}",
                    body="لطفاً آمار جمعیت شهرستان را اعلام کنید. " * 5,
                    unit=unit,
                    mobile=f"+98914{number:07d}",
                    email=f"citizen{number}@example.com",
                    notify_by=notify_by,
                ),
                form_token=uuid.uuid4(),
            )

        return run

    client = Client()

    def page(notify_by: str):
        def run():
            number = next(counter)
            response = client.post(
                "/submit/",
                {
                    "form_token": str(uuid.uuid4()),
                    "unit": "stats",
                    "kind": "request",
                    "subject": f"درخواست آمار شماره {number}",
                    "body": "لطفاً آمار جمعیت شهرستان را اعلام کنید. " * 5,
                    "mobile": f"0914{number:07d}",
                    "email": f"citizen{number}@example.com",
                    "notify_by": notify_by,
                },
            )
            assert response.status_code == 302, response.content.decode()[:2000]

        return run

    service_variants = {
        "submit_case, no message (notify_by=none, staff without e-mail)": (switch.want(False), service("none")),
        "submit_case, 3 staff e-mails (notify_by=none)": (switch.want(True), service("none")),
        "submit_case, 3 staff e-mails + citizen SMS + e-mail (notify_by=both)": (switch.want(True), service("both")),
    }
    page_variants = {
        "POST /submit/, no message (notify_by=none, staff without e-mail)": (switch.want(False), page("none")),
        "POST /submit/, 3 staff e-mails + citizen SMS + e-mail (notify_by=both)": (switch.want(True), page("both")),
    }

    # What each variant writes and how many queries it runs (once each, outside the timing).
    shape = {}
    for name, (prepare, run) in {**service_variants, **page_variants}.items():
        prepare()
        before = Message.objects.count()
        with CaptureQueriesContext(connection) as queries:
            run()
        shape[name] = {"messages_queued": Message.objects.count() - before, "queries": len(queries)}

    results = timed_together(service_variants, repeat)
    results.update(timed_together(page_variants, repeat))
    for name in results:
        results[name].update(shape[name])
    return results


def queue_messages(case, channel: str, count: int, tag: str) -> None:
    """count rendered messages of one case in the outbox, through outbox.queue() as the services do it."""
    from django.db import transaction

    from notify import events, outbox
    from notify.models import Channel

    context = events.case_context(case)
    items = []
    for number in range(count):
        recipient = f"+98914{number:07d}" if channel == Channel.SMS else f"citizen{number}@example.com"
        items.append(outbox.Outgoing("case_received", channel, recipient, f"bench-{tag}-{number}", context, case=case))
    with transaction.atomic():
        outbox.queue(items)


def drain(count: int, batches: int = 10) -> dict:
    """deliver_due() over the whole outbox in `batches` calls; the rate overall and per call."""
    from django.utils import timezone

    from notify import outbox
    from notify.models import Attempt, Message

    assert Message.objects.filter(status=Message.Status.PENDING).count() == count
    size = max(1, count // batches)
    now = timezone.now()
    rates = []
    sent = 0
    done = 0
    started = time.perf_counter()
    while done < count:
        limit = min(size, count - done)
        batch_started = time.perf_counter()
        sent += outbox.deliver_due(now, limit=limit)
        rates.append(round(limit / (time.perf_counter() - batch_started), 1))
        done += limit
    elapsed = time.perf_counter() - started
    attempts = Attempt.objects.count()
    assert attempts == count, (attempts, count)
    return {
        "messages": count,
        "sent": sent,
        "failed_attempts_recorded": Attempt.objects.filter(ok=False).count(),
        "seconds": round(elapsed, 3),
        "messages_per_second": round(count / elapsed, 1),
        "ms_per_message": round(elapsed * 1000 / count, 3),
        "per_call_messages_per_second": rates,
    }


def fresh_outbox() -> None:
    from notify.models import Message

    Message.objects.all().delete()  # and their attempts


def bench_delivery(case, workdir: str, count: int, outage: int) -> dict:
    from django.test import override_settings

    from notify.models import Channel, Message
    from notify.tests.fake_gateways import FakeKavenegar
    from notify.tests.smtp_server import SmtpServer

    results = {}

    sms_file = Path(workdir) / "sms.jsonl"
    fresh_outbox()
    queue_messages(case, Channel.SMS, count, "file")
    with override_settings(SMS_BACKEND="notify.sms.file.FileBackend", SMS_FILE_PATH=str(sms_file)):
        figures = drain(count)
    assert figures["sent"] == count
    assert len(sms_file.read_text(encoding="utf-8").splitlines()) == count
    results["SMS, file backend"] = figures

    gateway = FakeKavenegar().start()
    kavenegar = {
        "SMS_BACKEND": "notify.sms.kavenegar.KavenegarBackend",
        "SMS_API_KEY": gateway.api_key,
        "SMS_BASE_URL": gateway.url,
        "SMS_SENDER": gateway.lines[0],
        "SMS_TIMEOUT": 2,
    }
    try:
        fresh_outbox()
        queue_messages(case, Channel.SMS, count, "kavenegar")
        with override_settings(**kavenegar):
            figures = drain(count)
        assert figures["sent"] == count
        assert len(gateway.deliveries) == count
        results["SMS, fake Kavenegar on loopback (HTTP)"] = figures
    finally:
        gateway.stop()

    # The loopback mail server runs in this process: its per-connection INFO lines (about 14 per e-mail) are
    # not the worker's cost, so they are kept out of the figure.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SmtpServer().start()
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": server.port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 5,
    }
    try:
        fresh_outbox()
        queue_messages(case, Channel.EMAIL, count, "smtp")
        with override_settings(**smtp):
            figures = drain(count)
        assert figures["sent"] == count
        assert len(server.received) == count
        results["e-mail, SMTP server on loopback"] = figures
    finally:
        server.stop()

    # The outages: the same addresses, nothing listening (connection refused).
    fresh_outbox()
    queue_messages(case, Channel.SMS, outage, "sms-down")
    with override_settings(**kavenegar):
        figures = drain(outage)
    assert figures["sent"] == 0 and figures["failed_attempts_recorded"] == outage
    assert Message.objects.filter(status=Message.Status.PENDING).count() == outage  # each waits for its retry
    results["outage: SMS gateway refuses connections"] = figures

    fresh_outbox()
    queue_messages(case, Channel.EMAIL, outage, "smtp-down")
    with override_settings(**smtp):
        figures = drain(outage)
    assert figures["sent"] == 0 and figures["failed_attempts_recorded"] == outage
    results["outage: SMTP server refuses connections"] = figures
    fresh_outbox()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=300, help="submissions per variant")
    parser.add_argument("--messages", type=int, default=1000, help="messages per delivery run")
    parser.add_argument("--outage", type=int, default=200, help="messages per outage run")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL")
    workdir = setup(database_url)

    from django.conf import settings
    from django.db import connection

    from cases.services import Submission, submit_case
    from directory.models import Unit

    unit = Unit.objects.get(code="stats")
    users = make_staff(unit, len(STAFF_EMAILS))
    submissions = bench_submissions(unit, users, args.submissions)
    case = submit_case(
        Submission(kind="request", subject="آمار", body="متن", unit=unit, mobile="+989141234567", notify_by="none")
    ).case
    delivery = bench_delivery(case, workdir, args.messages, args.outage)

    report = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "submissions": submissions,
        "delivery": delivery,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print()
    print(f"database: {report['database']}, {report['machine']}")
    print(f"{'submission':72} {'median ms':>10} {'p95 ms':>8} {'msgs':>5} {'queries':>7} {'n':>5}")
    for name, figures in submissions.items():
        print(
            f"{name:72} {figures['median_ms']:>10} {figures['p95_ms']:>8} {figures['messages_queued']:>5}"
            f" {figures['queries']:>7} {figures['n']:>5}"
        )
    print(f"{'delivery (deliver_due)':72} {'msg/s':>10} {'ms/msg':>8} {'n':>5}")
    for name, figures in delivery.items():
        print(f"{name:72} {figures['messages_per_second']:>10} {figures['ms_per_message']:>8} {figures['messages']:>5}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"notify-{connection.vendor}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
