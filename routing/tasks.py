"""Routing's periodic work, run by the task worker."""

from django_tasks import task

from routing.training import retrain_if_history_changed


@task()
def retrain_routing_model() -> int | None:
    """Retrain from the corpus and confirmed cases; the new version's id, or None when nothing changed."""
    version = retrain_if_history_changed()
    return version.pk if version else None
