"""Benchmarks of the hot paths, in-process through Django's test client. Not tests: figures for README.md.

Usage: .venv/bin/python bench/run.py [--cases 10000] [--repeat 200]
The database is a throw-away SQLite file, or BENCH_DATABASE_URL (e.g. a fresh PostgreSQL database).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None):
    workdir = tempfile.mkdtemp(prefix="miz-bench-")
    os.environ["MIZ_VAR_DIR"] = workdir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "miz.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    # Measure the lookup itself, not the limiter's refusal.
    settings.MIZ_LOOKUP_LIMIT_PER_CODE = settings.MIZ_LOOKUP_LIMIT_PER_IP = 10**9
    call_command("migrate", verbosity=0)
    call_command("load_default_organization", verbosity=0)
    return workdir


def timed(fn, repeat: int) -> dict:
    for _ in range(min(10, repeat)):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "n": repeat,
    }


def fill(count: int):
    """Many cases in the statistics unit, written in bulk (the service is measured separately)."""
    from django.utils import timezone

    from cases.models import Case, CaseEvent, RoutingMethod, Status
    from cases.tracking import check_digit
    from directory.models import Unit

    unit = Unit.objects.get(code="stats")
    now = timezone.now()
    batch = []
    for number in range(count):
        payload = f"{100000000 + number:09d}"
        batch.append(
            Case(
                tracking_code=payload + check_digit(payload),
                kind="request",
                status=Status.ROUTED,
                unit=unit,
                routing_method=RoutingMethod.TOPIC,
                subject=f"درخواست آمار شماره {number}",
                body="متن نمونه " * 20,
                submitter_mobile="+989141234567",
                due_date=now.date() + timedelta(days=10),
                created_at=now - timedelta(minutes=number),
            )
        )
    Case.objects.bulk_create(batch, batch_size=2000)
    CaseEvent.objects.bulk_create(
        (CaseEvent(case=case, type="submitted", by_citizen=True, is_public=True) for case in Case.objects.all()),
        batch_size=2000,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL")
    setup(database_url)

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cases.services import Submission, submit_case
    from directory.models import StaffMembership, Topic, Unit

    topic = Topic.objects.get(label="درخواست آمار و اطلاعات")
    results = {}
    results["submit_case (service, with routing and deadline)"] = timed(
        lambda: submit_case(
            Submission(kind="request", subject="آمار", body="متن " * 50, topic=topic, mobile="+989141234567"),
            form_token=uuid.uuid4(),
        ),
        args.repeat,
    )
    fill(args.cases)
    case = submit_case(Submission(kind="request", subject="آمار", body="متن", topic=topic, mobile="+989141234567")).case

    citizen = Client()
    results["POST /track/ (lookup)"] = timed(
        lambda: citizen.post(reverse("cases:track"), {"code": case.tracking_code, "secret": "09141234567"}),
        args.repeat,
    )
    results["GET /track/case/ (citizen case page)"] = timed(
        lambda: citizen.get(reverse("cases:case", args=[case.public_id])), args.repeat
    )
    clerk = User.objects.create_user("bench-clerk")
    StaffMembership.objects.create(user=clerk, unit=Unit.objects.get(code="stats"))
    staff = Client()
    staff.force_login(clerk)
    results[f"GET /desk/ (inbox, first page of {args.cases} cases)"] = timed(
        lambda: staff.get(reverse("desk:inbox")), args.repeat
    )
    results["GET /desk/cases/<id>/ (staff case page)"] = timed(
        lambda: staff.get(reverse("desk:case", args=[case.pk])), args.repeat
    )
    results["GET / (home)"] = timed(lambda: Client().get("/"), args.repeat)
    results["GET /submit/ (form)"] = timed(lambda: Client().get("/submit/"), args.repeat)

    report = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "results": results,
    }
    print(f"database: {report['database']}, {report['machine']}")
    print(f"{'what':60} {'median ms':>10} {'p95 ms':>10} {'n':>6}")
    for name, figures in results.items():
        print(f"{name:60} {figures['median_ms']:>10} {figures['p95_ms']:>10} {figures['n']:>6}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"latest-{connection.vendor}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
