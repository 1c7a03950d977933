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
