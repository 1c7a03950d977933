"""With several machines the queue lives in Redis: the same outbox, delivered by an RQ worker.

Runs against the real Redis on 127.0.0.1:6379 (a database of its own, emptied before and after).
"""

import random

import pytest
import redis
from django.db import transaction
from django_tasks import task_backends

from cases.tests.factories import submit
from notify.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_queue(settings):
    url = f"redis://127.0.0.1:6379/{random.randint(1, 15)}"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield connection
    connection.flushdb()


def run_rq_worker_until_empty() -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_the_redis_backend_is_chosen_by_settings_and_its_worker_delivers_the_outbox(
    organization, redis_queue, sms_file
):
    assert type(task_backends["default"]).__name__ == "RQBackend"
    with transaction.atomic():
        case = submit(mobile="+989141234567", unit=organization["stats"]).case
    assert redis_queue.llen("rq:queue:default") == 1  # queued on commit, in Redis
    run_rq_worker_until_empty()
    assert Message.objects.get(case=case, channel="sms").status == "sent"
    assert [record["to"] for record in sms_file.records()] == ["+989141234567"]


def test_a_redis_that_hangs_does_not_hold_a_submission_and_the_sweeper_delivers(
    organization, settings, sms_file, caplog
):
    """A server that takes the connection and never answers, like a Redis that is stuck."""
    import socket
    import time

    from notify import outbox

    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)  # never accepted: connects succeed, reads wait forever
    port = hung.getsockname()[1]
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{port}/0?socket_connect_timeout=1&socket_timeout=1"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    try:
        started = time.monotonic()
        with transaction.atomic():
            case = submit(mobile="+989141234567", unit=organization["stats"]).case
        elapsed = time.monotonic() - started
    finally:
        hung.close()
    assert elapsed < 5  # the socket timeout, not forever
    assert "could not put the delivery" in caplog.text
    message = Message.objects.get(case=case, channel="sms")
    assert message.status == "pending"
    outbox.deliver_due()
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_the_redis_queue_url_of_the_settings_has_timeouts(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "MIZ_TASKS_BACKEND": "django_tasks_rq.RQBackend", "REDIS_URL": "redis://cache.internal:6379/2",
           "DJANGO_SETTINGS_MODULE": "miz.settings.dev", "MIZ_VAR_DIR": str(tmp_path)}  # fmt: skip
    program = (
        "import django; django.setup(); from django.conf import settings; print(settings.RQ_QUEUES['default']['URL'])"
    )
    url = subprocess.run(  # noqa: S603 (our own interpreter and a constant program)
        [sys.executable, "-c", program], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    assert url == "redis://cache.internal:6379/2?socket_connect_timeout=2&socket_timeout=2"
