"""The notification work the task worker runs: delivery per message, and the periodic jobs of MIZ_PERIODIC_TASKS."""

from django_tasks import task

from notify import outbox, periodic


@task()
def deliver_messages(message_ids: list[int]) -> int:
    """Queued on commit by the change that wrote the messages; a message already sent or claimed is skipped."""
    return sum(outbox.deliver(message_id) == "sent" for message_id in message_ids)


@task()
def deliver_due_messages() -> int:
    return outbox.deliver_due()


@task()
def remind_before_closing() -> int:
    return periodic.remind_before_closing()


@task()
def send_daily_digests() -> int:
    return periodic.send_daily_digests()


@task()
def prune_outbox() -> int:
    return periodic.prune_outbox()
