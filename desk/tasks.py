"""The desk's periodic work, run by the task worker on the schedule of settings.MIZ_PERIODIC_TASKS."""

from django_tasks import task

from cases import services


@task()
def escalate_overdue_cases() -> int:
    return services.escalate_overdue_cases()


@task()
def close_untouched_answers() -> int:
    return services.close_untouched_answers()
