"""The citizen side's housekeeping, run by the task worker on the schedule of settings.MIZ_PERIODIC_TASKS."""

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task

from cases import mobile_access


@task()
def forget_old_one_time_codes() -> int:
    return mobile_access.forget_old_codes()


@task()
def clear_expired_sessions() -> None:
    """Citizens' sessions (which cases a browser may open) pile up otherwise: what `manage.py clearsessions` does."""
    import_string(f"{settings.SESSION_ENGINE}.SessionStore").clear_expired()
