"""A task for the scheduler's tests: it only says it ran."""

from django_tasks import task


@task()
def heartbeat() -> str:
    return "beat"
