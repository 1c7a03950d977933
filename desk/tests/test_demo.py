from django.contrib.auth.models import User
from django.core.management import call_command

from cases.models import Case, Status
from desk.demo import DEMO_CASES, load_demo
from directory.models import Position, Unit

UNIT_CODES = {
    "budget", "planning", "monitoring", "technical", "hr", "egov",
    "stats", "legal", "inspection", "admin", "pr", "triage",
}  # fmt: skip


def test_the_default_organization_has_every_unit_with_a_sample_head(db):
    call_command("load_default_organization", verbosity=0)
    assert set(Unit.objects.values_list("code", flat=True)) == UNIT_CODES
    for unit in Unit.objects.all():
        head = Position.objects.get(unit=unit, is_head=True)
        assert head.is_sample
    assert Unit.objects.get(code="planning").parent.code == "budget"


def test_loading_twice_keeps_the_data_and_the_admins_edits(db, monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("load_default_organization", verbosity=0)
    first = load_demo()
    Unit.objects.filter(code="stats").update(name="آمار (ویرایش شده)")
    call_command("load_default_organization", verbosity=0)
    second = load_demo()
    assert first.cases_created == len(DEMO_CASES) and second.cases_created == 0
    assert Case.objects.count() == len(DEMO_CASES)
    assert Unit.objects.get(code="stats").name == "آمار (ویرایش شده)"
    assert set(second.usernames) == {f"{role}-{code}" for code in UNIT_CODES for role in ("staff", "head")} | {
        "manager",
        "sysadmin",
    }


def test_demo_accounts_sign_in_with_the_demo_password_and_cases_vary(db, monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("load_default_organization", verbosity=0)
    load_demo()
    for username in ("staff-triage", "head-stats", "manager", "sysadmin"):
        assert User.objects.get(username=username).check_password("a-demo-password-for-tests")
    assert User.objects.get(username="sysadmin").is_superuser
    assert User.objects.get(username="manager").has_perm("cases.view_all_cases")
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED} <= statuses


def test_without_demo_password_one_is_generated_kept_and_printed(db, monkeypatch, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_default_organization", verbosity=0)
    call_command("load_demo")
    password = (tmp_path / "demo_password").read_text().strip()
    assert len(password) >= 10
    assert password in capsys.readouterr().out
    call_command("load_demo")
    assert password in capsys.readouterr().out
    assert User.objects.get(username="staff-stats").check_password(password)
