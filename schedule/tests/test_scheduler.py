import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schedule.models import ScheduledTask
from schedule.services import enqueue_due

HEARTBEAT = "schedule.tests.tasks.heartbeat"


@pytest.fixture
def every_hour(settings):
    settings.MIZ_PERIODIC_TASKS = {HEARTBEAT: 3600}


def queued_heartbeats():
    return DBTaskResult.objects.filter(task_path=HEARTBEAT)


def test_a_due_task_is_queued_once_per_interval(db, every_hour):
    start = timezone.now()
    assert enqueue_due(start) == [HEARTBEAT]
    assert enqueue_due(start + datetime.timedelta(minutes=59)) == []
    assert queued_heartbeats().count() == 1
    assert enqueue_due(start + datetime.timedelta(hours=1)) == [HEARTBEAT]
    assert queued_heartbeats().count() == 2
    assert ScheduledTask.objects.get(task_path=HEARTBEAT).last_enqueued_at == start + datetime.timedelta(hours=1)


def test_the_worker_runs_what_the_scheduler_queued(transactional_db, every_hour, capsys):
    call_command("run_scheduler", "--once")
    assert f"enqueued {HEARTBEAT}" in capsys.readouterr().out
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    result = queued_heartbeats().get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == "beat"


def test_checking_twice_at_the_same_moment_queues_one_run(db, every_hour):
    moment = timezone.now()
    assert enqueue_due(moment) + enqueue_due(moment) == [HEARTBEAT]


def test_the_routing_retrain_task_is_scheduled_by_default(settings):
    assert "routing.tasks.retrain_routing_model" in settings.MIZ_PERIODIC_TASKS
