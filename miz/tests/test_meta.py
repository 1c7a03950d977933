"""Project-wide checks: migrations, page structure, URL guards, deployment settings, no foreign hosts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.tests.factories import submit

ROOT = Path(__file__).resolve().parents[2]


def test_no_pending_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.fixture
def pages(organization, clerk):
    case = submit(topic_label="درخواست آمار و اطلاعات").case
    citizen = Client()
    citizen.post(reverse("cases:track"), {"code": case.tracking_code, "secret": "09141234567"})
    staff = Client()
    staff.force_login(clerk)
    return [
        (Client(), reverse("cases:home")),
        (Client(), reverse("cases:submit")),
        (Client(), reverse("cases:track")),
        (Client(), reverse("cases:my_cases")),
        (Client(), reverse("desk:login")),
        (citizen, reverse("cases:case", args=[case.public_id])),
        (staff, reverse("desk:inbox")),
        (staff, reverse("desk:triage")),
        (staff, reverse("desk:case", args=[case.pk])),
    ]


def test_every_page_has_exactly_one_h1_and_is_right_to_left(pages):
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert '<html lang="fa" dir="rtl">' in html, url


def test_no_page_loads_anything_from_another_host(pages):
    for client, url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url
    for path in (ROOT / "static" / "css").rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", path.read_text()), path


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


PUBLIC = {"", "submit/", "track/", "my-cases/", "desk/login/"}
# The directory ("about the organization") is public information, every page of it.
PUBLIC_PREFIXES = ("about/",)


def test_every_url_is_either_public_or_guarded(organization):
    """A new URL must be listed as public here, or refuse a visitor who has not signed in or looked a case up."""
    client = Client()
    sample = {
        "<uuid:public_id>": "00000000-0000-4000-8000-000000000000",
        "<int:pk>": "1",
        "<int:attachment_id>": "1",
    }
    checked = 0
    for route, _pattern in _patterns(get_resolver()):
        if route.startswith("admin/") or route in PUBLIC or route.startswith(PUBLIC_PREFIXES):
            continue
        url = "/" + route
        for placeholder, value in sample.items():
            url = url.replace(placeholder, value)
        response = client.get(url)
        if route.startswith("desk/"):
            assert response.status_code in (302, 405), route
            if response.status_code == 302:
                assert response["Location"].startswith("/desk/login/"), route
        elif route.startswith("my-cases/"):
            # Until the browser has typed the code sent to a number: back to the page that asks for one.
            assert response.status_code == 302, route
            assert response["Location"] == "/my-cases/", route
        else:
            assert response.status_code in (404, 405), route
        checked += 1
    assert checked >= 10


def test_the_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miz.settings.prod",
        "SECRET_KEY": "k" * 20 + "-random-enough-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "miz.example.org",
        "MIZ_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "miz.settings.prod", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
