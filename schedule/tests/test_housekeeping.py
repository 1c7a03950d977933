"""Every periodic task of the settings exists and runs through the task backend."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

pytestmark = pytest.mark.django_db


def test_every_periodic_task_in_the_settings_is_a_task():
    from django_tasks.base import Task

    for path in settings.MIZ_PERIODIC_TASKS:
        assert isinstance(import_string(path), Task), path


def test_expired_sessions_are_cleared_and_live_ones_kept():
    from cases.tasks import clear_expired_sessions

    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    clear_expired_sessions.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
