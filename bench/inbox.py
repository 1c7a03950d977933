"""The desk's inbox at a million cases: first pages, deep pages (keyset vs OFFSET), tab counts and search.

Usage:
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/miz_bench_inbox \\
        .venv/bin/python bench/inbox.py [--cases 1000000] [--repeat 50] [--only WORDS] [--tag NAME]

Needs PostgreSQL 13 or later (gen_random_uuid() is core from 13); SQLite is refused, since the point is how
PostgreSQL's planner and indexes behave at this size. Give the bench a database of its own: it is migrated,
filled and kept, so a rerun with the same or fewer --cases reuses the rows already there (loading 1,000,000
takes about two minutes on two cores; measuring takes about twenty, most of it the OFFSET comparisons).
--only measures just what names one of the given words ("overdue,search"); --tag names the output files.

What it does:
1. Loads the cases with a few `INSERT … SELECT … FROM generate_series` statements. The values come from
   hashes of the row number, so every load is the same: kinds and units skewed (the biggest unit holds about
   20 %), five years of arrivals, about 5 % of cases still open (including those waiting for the citizen),
   about 2 % overdue. Subjects and bodies are short Persian texts, search_text is their persian.text.search_key
   form, tracking codes carry a valid Verhoeff check digit. The secondary indexes are dropped and rebuilt
   around a big load, in the same transaction. Then VACUUM ANALYZE.
2. Makes three personas with the ORM: a clerk of the biggest unit, the head of the budget deputy (who sees its
   three sub-units too) and an organization manager (view_all_cases through a group).
3. Times, in-process, the real service functions of desk.services (median and p95 after a warm-up), forgetting
   the persona's cached scope and permissions before every run as a fresh request would:
   the first page of three lists, a page ~90 % deep by keyset cursor and the same page by OFFSET,
   tab_counts(), search (a common, a rare and an absent word) and the whole GET /desk/ view.
4. Prints a markdown table; writes it with EXPLAIN (ANALYZE, BUFFERS) of every measured query to var/bench/.
"""

import argparse
import datetime
import io
import json
import logging
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "bench"

# --- What the cases look like ------------------------------------------------------------------------------
# (unit code, share of cases): skewed, the biggest unit has a fifth of everything.
UNIT_SHARES = [
    ("egov", 20),
    ("hr", 14),
    ("monitoring", 12),
    ("technical", 10),
    ("planning", 8),
    ("stats", 8),
    ("budget", 6),
    ("admin", 6),
    ("legal", 5),
    ("inspection", 4),
    ("triage", 4),
    ("pr", 3),
]
HEADED_DEPUTY = "budget"  # as conftest's unit_head: above planning, monitoring and technical
KIND_SHARES = [
    ("complaint", 38),
    ("request", 34),
    ("criticism", 10),
    ("suggestion", 8),
    ("opinion", 6),
    ("appreciation", 4),
]
# Status by age: recent cases are mostly open; old open ones are forgotten (overdue) or waiting for the citizen.
# The answer is due 14 days after arrival, so every open case older than that is overdue.
STATUS_BY_AGE = [
    (
        14,
        [
            ("routed", 30),
            ("in_progress", 40),
            ("awaiting_approval", 8),
            ("waiting_citizen", 8),
            ("answered", 12),
            ("closed", 2),
        ],
    ),
    (
        90,
        [
            ("routed", 5),
            ("in_progress", 12),
            ("awaiting_approval", 3),
            ("waiting_citizen", 5),
            ("answered", 43),
            ("closed", 30),
            ("merged", 2),
        ],
    ),
    (
        None,
        [
            ("routed", 0.2),
            ("in_progress", 0.8),
            ("awaiting_approval", 0.2),
            ("waiting_citizen", 2),
            ("answered", 18),
            ("closed", 76.8),
            ("merged", 2),
        ],
    ),
]
YEARS = 5
DUE_AFTER_DAYS = 14
SUBJECTS = [
    "شکایت از تأخیر در پرداخت اعتبار",
    "درخواست آمار جمعیت شهرستان",
    "پیگیری پروژه نیمه‌تمام مدرسه",
    "اعتراض به نتیجه آزمون استخدامی",
    "درخواست تبدیل وضعیت کارکنان قراردادی",
    "انتقاد از کندی سامانه خدمات الکترونیکی",
    "پیشنهاد برای بهبود خدمات دفتر پیشخوان",
    "تشکر از پاسخگویی کارشناس",
    "شکایت از پیمانکار جاده روستایی",
    "درخواست سالنامه آماری استان",
    "گزارش تخلف در برگزاری مناقصه",
    "پرسش درباره حقوق و مزایای کارکنان",
]
BODIES = [
    "با سلام، خواهشمندم وضعیت پرونده اینجانب در شهرستان {county} بررسی شود. چند بار مراجعه کرده‌ام و پاسخی نگرفته‌ام.",
    "پروژه ساخت مدرسه در شهرستان {county} بیش از سه سال است متوقف مانده و کارگاه رها شده است.",
    "سامانه ثبت‌نام از صبح کار نمی‌کند و کارمندان دفتر {county} می‌گویند مشکل از سامانه استان است.",
    "لطفاً آمار اشتغال و جمعیت شهرستان {county} را برای پایان‌نامه در اختیار اینجانب قرار دهید.",
    "حقوق دو ماه گذشته کارکنان قراردادی در {county} هنوز پرداخت نشده و کسی پاسخگو نیست.",
    "از کارشناس محترم دفتر {county} که با حوصله راهنمایی کردند صمیمانه تشکر می‌کنم.",
    "پیمانکار جاده روستایی {county} کار را نیمه‌کاره رها کرده و آسفالت کیفیت لازم را ندارد.",
    "پیشنهاد می‌کنم برای مراجعان شهرستان {county} امکان پیگیری تلفنی پرونده فراهم شود.",
]
# Counties of the province, by how often citizens write from them.
COUNTIES = [
    ("تبریز", 35),
    ("مراغه", 8),
    ("مرند", 7),
    ("میانه", 6),
    ("اهر", 5),
    ("بناب", 5),
    ("سراب", 4),
    ("شبستر", 4),
    ("آذرشهر", 3.5),
    ("عجب‌شیر", 3),
    ("هشترود", 3),
    ("ملکان", 3),
    ("بستان‌آباد", 2.5),
    ("اسکو", 2.5),
    ("جلفا", 2),
    ("کلیبر", 2),
    ("هریس", 1.5),
    ("ورزقان", 1.5),
    ("چاراویماق", 1),
    ("خداآفرین", 0.5),
]
NAMES = ["علی رضایی", "مریم احمدی", "حسین محمدی", "زهرا حسینی", "رضا کریمی", "فاطمه موسوی", "مهدی نوری", "سارا قاسمی"]
# Searches: a word in a third of the cases, one in 1 of 200, one in none (a search that finds nothing reads it all).
SEARCHES = [("common", "تبریز"), ("rare", "خداآفرین"), ("absent", "زلزله")]
LOAD_CHUNK = 250_000
DEEP = 0.9  # how far into a list the deep page is

# --- Setup ---------------------------------------------------------------------------------------------------


def setup(database_url: str):
    os.environ["MIZ_VAR_DIR"] = tempfile.mkdtemp(prefix="miz-bench-inbox-")
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "miz.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/inbox.py measures PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    settings.ALLOWED_HOSTS = ["testserver"]
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in of the view's test client
    call_command("migrate", verbosity=0)
    call_command("load_default_organization", verbosity=0, stdout=io.StringIO())


# --- Loading -------------------------------------------------------------------------------------------------


def _uniform(seed: int) -> str:
    """A number in [0, 1) from a hash of the row number: the same on every load, independent per seed."""
    return f"((hashint8extended(n, {seed}) & 2147483647)::float8 / 2147483648.0)"


def _pick(uniform: str, choices: list[tuple[str, float]]) -> str:
    """SQL CASE choosing one of the (SQL literal, weight) pairs by a uniform number."""
    total = sum(weight for _, weight in choices)
    limit, arms = 0.0, []
    for value, weight in choices[:-1]:
        limit += weight / total
        arms.append(f"WHEN {uniform} < {limit:.6f} THEN {value}")
    return f"CASE {' '.join(arms)} ELSE {choices[-1][0]} END"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _verhoeff_tables() -> tuple[list[int], list[int], list[int]]:
    """The check digit of a 9-digit payload in three lookups of three digits each.

    Verhoeff walks the digits from the right with a running state 0–9: the first table maps the appended 0 and
    the last three digits to a state, the second (state, middle three) to a state, the third (state, first
    three) straight to the check digit. Flat, 1-based in SQL: index = state * 1000 + digits + 1.
    """
    from cases.tracking import _D, _INV, _P

    def walk(state: int, digits: int, first_position: int) -> int:
        for offset in range(3):
            digit = digits // 10**offset % 10
            state = _D[state][_P[(first_position + offset) % 8][digit]]
        return state

    low = [walk(_D[0][_P[0][0]], digits, 1) for digits in range(1000)]
    middle = [walk(state, digits, 4) for state in range(10) for digits in range(1000)]
    high = [_INV[walk(state, digits, 7)] for state in range(10) for digits in range(1000)]
    return low, middle, high


def load_sql(unit_ids: dict[str, int]) -> str:
    """One INSERT … SELECT of the rows numbered %(first)s to %(last)s."""
    age = f"({_uniform(1)} * {YEARS * 365.25})"
    unit = _pick(_uniform(2), [(str(unit_ids[code]), share) for code, share in UNIT_SHARES])
    kind = _pick(_uniform(3), [(_literal(kind), share) for kind, share in KIND_SHARES])
    bands = []
    for days, shares in STATUS_BY_AGE:
        choice = _pick(_uniform(4), [(_literal(status), share) for status, share in shares])
        bands.append(f"WHEN age < {days} THEN {choice}" if days else f"ELSE {choice}")
    status = f"CASE {' '.join(bands)} END"
    county = _pick(_uniform(5), [(str(index), share) for index, (_, share) in enumerate(COUNTIES)])
    open_statuses = "('routed', 'in_progress', 'awaiting_approval')"
    still_open = "('submitted', 'routed', 'in_progress', 'awaiting_approval')"  # overdue ones were escalated
    # Arrays are 1-based; the texts arrive as parameters. No %-operator here: % marks the parameters.
    return f"""
        INSERT INTO cases_case (
            tracking_code, public_id, kind, status, routing_method, routing_confidence, routing_explanation,
            subject, body, search_text, is_anonymous, submitter_name, submitter_mobile, submitter_email,
            submitter_national_id, submitter_type, pin_hash, due_date, created_at, updated_at, answered_at,
            closed_at, satisfaction, satisfaction_comment, rated_at, unit_id, escalation_level, has_unread_reply,
            notify_by
        )
        SELECT
            payload::text || (%(high)s::int[])[
                (%(middle)s::int[])[(%(low)s::int[])[mod(payload, 1000) + 1] * 1000 + mod(payload / 1000, 1000) + 1]
                * 1000 + payload / 1000000 + 1
            ],
            gen_random_uuid(), kind, status, 'model', round((0.55 + 0.45 * r_answer)::numeric, 3), '',
            (%(subjects)s::text[])[subject + 1] || ' ' || n,
            (%(bodies)s::text[])[body + 1],
            (%(subject_keys)s::text[])[subject + 1] || ' ' || n || ' ' || (%(body_keys)s::text[])[body + 1],
            false, (%(names)s::text[])[name + 1], '+98914' || lpad(mod(n * 7919, 10000000)::text, 7, '0'),
            '', '', 'citizen', '',
            (created_at AT TIME ZONE 'Asia/Tehran')::date + {DUE_AFTER_DAYS},
            created_at, coalesce(closed_at, answered_at, created_at), answered_at, closed_at,
            CASE WHEN status = 'closed' AND r_rating < 0.35 THEN 1 + floor(r_rating / 0.35 * 5)::int END, '',
            CASE WHEN status = 'closed' AND r_rating < 0.35 THEN closed_at END,
            unit_id, CASE WHEN status IN {still_open} AND age >= {DUE_AFTER_DAYS} THEN 1 ELSE 0 END, false, 'sms'
        FROM (
            SELECT *,
                CASE WHEN status IN ('answered', 'closed')
                    THEN created_at + (1 + 12 * r_answer) * interval '1 day' END AS answered_at,
                CASE WHEN status = 'closed' THEN created_at + (8 + 12 * r_answer) * interval '1 day' END AS closed_at
            FROM (
                SELECT n, age, payload, r_answer, r_rating, subject, name, kind,
                    body_template * {len(COUNTIES)} + county AS body,
                    now() - age * interval '1 day' AS created_at,
                    unit_id,
                    -- At the triage desk an open case is one not yet routed.
                    CASE WHEN unit_id = {unit_ids["triage"]} AND status IN {open_statuses}
                        THEN 'submitted' ELSE status END AS status
                FROM (
                    SELECT n, age, payload, r_answer, r_rating, subject, name, body_template, county, kind,
                        {unit} AS unit_id,
                        {status} AS status
                    FROM (
                        SELECT n, {age} AS age,
                            100000000 + mod(n * 282475249, 900000000) AS payload,  -- a permutation: unique
                            {_uniform(6)} AS r_answer, {_uniform(7)} AS r_rating,
                            floor({_uniform(8)} * {len(SUBJECTS)})::int AS subject,
                            floor({_uniform(9)} * {len(BODIES)})::int AS body_template,
                            floor({_uniform(10)} * {len(NAMES)})::int AS name,
                            {county} AS county,
                            {kind} AS kind
                        FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
                    ) AS drawn
                ) AS placed
            ) AS dated
        ) AS answered
    """  # noqa: S608 -- built from this module's constants; the only outside values are parameters


def load(count: int) -> float | None:
    """Add cases until the table holds `count`; the seconds it took, or None when nothing was needed."""
    from django.db import connection, transaction

    from directory.models import Unit
    from persian.text import search_key

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        have = cursor.fetchone()[0]
    if have >= count:
        return None
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    low, middle, high = _verhoeff_tables()
    bodies = [template.format(county=county) for template in BODIES for county, _ in COUNTIES]
    params = {
        "low": low,
        "middle": middle,
        "high": high,
        "subjects": SUBJECTS,
        "subject_keys": [search_key(subject) for subject in SUBJECTS],
        "bodies": bodies,
        "body_keys": [search_key(body) for body in bodies],
        "names": NAMES,
    }
    sql = load_sql(unit_ids)
    started = time.perf_counter()
    # Building the secondary indexes once at the end is about twice as fast as updating them row by row. In one
    # transaction, so that a failed load leaves the table (and its indexes) as they were.
    rebuild = count - have > have
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key checks pending when indexes are built
        secondary = []
        if rebuild:
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = 'cases_case'::regclass AND NOT indisunique AND NOT indisprimary"
            )
            secondary = cursor.fetchall()
            for name, _ in secondary:
                cursor.execute(f"DROP INDEX {name}")
        # Row numbers continue after the rows already there (those of an earlier, smaller load).
        for first in range(have + 1, count + 1, LOAD_CHUNK):
            last = min(first + LOAD_CHUNK - 1, count)
            cursor.execute(sql, {**params, "first": first, "last": last})
            print(f"  loaded rows {first:,}–{last:,} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        for _, definition in secondary:
            cursor.execute(definition)
        if secondary:
            print(f"  rebuilt {len(secondary)} indexes ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return time.perf_counter() - started


def vacuum_analyze() -> float:
    """What autovacuum would have done by now: statistics, and a visibility map for index-only scans."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
    return time.perf_counter() - started


def check_sample():
    """The loaded rows are what the application would have written: valid codes, matching search_text."""
    from django.db.models import Max
    from django.utils import timezone

    from cases.models import Case
    from cases.tracking import is_valid_code
    from persian.text import search_key

    last = Case.objects.aggregate(last=Max("pk"))["last"]
    sample = Case.objects.filter(pk__in=range(1, last + 1, max(1, last // 200)))
    for case in sample:
        assert is_valid_code(case.tracking_code), case.tracking_code
        assert case.search_text == search_key(f"{case.subject}\n{case.body}"), case.pk
        assert case.due_date == timezone.localdate(case.created_at) + datetime.timedelta(days=DUE_AFTER_DAYS)


def describe_data() -> str:
    from django.db.models import Count, Max, Min, Q
    from django.utils import timezone

    from cases.models import OPEN_STATUSES, Case, Status

    figures = Case.objects.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        waiting=Count("pk", filter=Q(status=Status.WAITING_CITIZEN)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())),
        first=Min("created_at"),
        last=Max("created_at"),
    )
    biggest = Case.objects.values("unit__code").annotate(n=Count("pk")).order_by("-n").first()
    total = figures["total"]
    return (
        f"{total:,} cases from {figures['first']:%Y-%m-%d} to {figures['last']:%Y-%m-%d}; "
        f"open {figures['open'] / total:.1%}, waiting for the citizen {figures['waiting'] / total:.1%}, "
        f"overdue {figures['overdue'] / total:.1%}; biggest unit {biggest['unit__code']} "
        f"({biggest['n'] / total:.1%})"
    )


# --- Personas ------------------------------------------------------------------------------------------------


def personas() -> tuple[dict, bool]:
    """A clerk of the biggest unit, the head of a deputy, an organization manager; made once, found on reruns.

    Also whether cases were just assigned to the clerk (a fifth of the unit's, newly loaded ones included).
    """
    from django.contrib.auth.models import Group, Permission, User
    from django.db.models import Count
    from django.db.models.functions import Mod

    from cases.models import Case
    from directory.models import StaffMembership, Unit

    biggest = Unit.objects.annotate(n=Count("cases")).order_by("-n").first()
    clerk, made = User.objects.get_or_create(username="bench-clerk")
    if made:
        StaffMembership.objects.create(user=clerk, unit=biggest, role=StaffMembership.Role.STAFF)
    # One of about five clerks of the unit: a fifth of its cases were assigned to this one ("Mine").
    assigned = (
        Case.objects.alias(bucket=Mod("pk", 5))
        .filter(unit=biggest, bucket=0, assignee__isnull=True)
        .update(assignee=clerk)
    )
    head, made = User.objects.get_or_create(username="bench-head")
    if made:
        StaffMembership.objects.create(
            user=head, unit=Unit.objects.get(code=HEADED_DEPUTY), role=StaffMembership.Role.HEAD
        )
    manager, made = User.objects.get_or_create(username="bench-manager")
    if made:
        group, _ = Group.objects.get_or_create(name="bench-managers")
        group.permissions.add(Permission.objects.get(codename="view_all_cases"))
        manager.groups.add(group)
    people = {
        f"clerk ({biggest.code})": clerk,
        f"head ({HEADED_DEPUTY} deputy)": head,
        "manager (view_all_cases)": manager,
    }
    return people, assigned > 0


def fresh(user):
    """The user as a new request sees it: scope and permissions not yet worked out."""
    for cached in ("_miz_scope", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)
    return user


# --- Measuring -----------------------------------------------------------------------------------------------


@dataclass
class Result:
    persona: str
    what: str
    median_ms: float
    p95_ms: float
    rows: int
    plans: list[str]


def timed(fn, repeat: int) -> tuple[float, float]:
    for _ in range(min(3, repeat)):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return round(statistics.median(samples), 2), round(samples[max(0, int(len(samples) * 0.95) - 1)], 2)


def explain(fn) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of every query over cases_case that one run of fn makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    plans = []
    for query in captured.captured_queries:
        if '"cases_case"' not in query["sql"] or not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append(query["sql"] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans


def highlights(plan: str) -> str:
    """The access paths and the execution time of a plan, on one line."""
    paths = re.findall(
        r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?"
        r"(?: using| on) \w+)",
        plan,
    )
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    jit = re.search(r"Timing: Generation [\d.]+ ms.*Total ([\d.]+) ms", plan)
    return f"{', '.join(dict.fromkeys(paths))}; executed in {execution.group(1) if execution else '?'} ms" + (
        f" (of which JIT {jit.group(1)} ms)" if jit else ""
    )


def measure(persona: str, user, repeat: int, only: list[str]) -> list[Result]:
    from django.test import Client
    from django.urls import reverse

    from desk.services import _ORDER, PAGE_SIZE, InboxQuery, encode_cursor, inbox, keyset_page, tab_counts

    results = []

    def run(what: str, fn, rows: int):
        if only and not any(word in what for word in only):
            return
        median, p95 = timed(fn, repeat)
        results.append(Result(persona, what, median, p95, rows, explain(fn)))
        print(f"  {persona:28} {what:44} {median:>9} {p95:>9}", file=sys.stderr)

    lists = [("unit", "arrival"), ("unit", "due"), ("overdue", "arrival")]
    for tab, sort in lists:
        query = InboxQuery(tab=tab, sort=sort)
        total = inbox(fresh(user), query).count()
        run(f"first page: {tab}, by {sort}", lambda q=query: keyset_page(inbox(fresh(user), q), q.sort), total)

        # The cursor of the row just before the deep page, picked once with OFFSET (not timed).
        column, descending, *_ = _ORDER[sort]
        order = [f"-{column}", "-pk"] if descending else [column, "pk"]
        offset = int(total * DEEP)
        if offset < 1:
            continue
        before = inbox(fresh(user), query).order_by(*order)[offset - 1]
        cursor = encode_cursor(getattr(before, column), before.pk, sort)
        deep_keyset = keyset_page(inbox(fresh(user), query), sort, after=cursor)
        deep_offset = list(inbox(fresh(user), query).order_by(*order)[offset : offset + PAGE_SIZE])
        assert [case.pk for case in deep_keyset.cases] == [case.pk for case in deep_offset], (tab, sort)
        where = f"{tab}, by {sort}, row {offset:,}"
        run(
            f"deep page, keyset: {where}",
            lambda q=query, c=cursor: keyset_page(inbox(fresh(user), q), q.sort, after=c),
            total,
        )
        run(
            f"deep page, OFFSET: {where}",
            lambda q=query, o=order, s=offset: list(inbox(fresh(user), q).order_by(*o)[s : s + PAGE_SIZE]),
            total,
        )

    visible = inbox(fresh(user)).count()
    run("tab_counts()", lambda: tab_counts(fresh(user)), visible)
    for label, word in SEARCHES:
        query = InboxQuery(text=word)
        matches = inbox(fresh(user), query).count()
        run(f"search, {label} word, first page", lambda q=query: keyset_page(inbox(fresh(user), q), q.sort), matches)

    client = Client()
    client.force_login(user)
    url = reverse("desk:inbox")
    run("GET /desk/ (whole view: page, counts, render)", lambda: client.get(url), visible)
    first = keyset_page(inbox(fresh(user)), "arrival")
    second = f"{url}?{urlencode({'after': first.next_cursor})}"
    run("GET /desk/?after=… (whole view, page 2)", lambda: client.get(second), visible)
    return results


# --- Report --------------------------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    lines = ["| persona | what | median ms | p95 ms | rows visible |", "|---|---|---:|---:|---:|"]
    lines += [f"| {r.persona} | {r.what} | {r.median_ms} | {r.p95_ms} | {r.rows:,} |" for r in results]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--only", default="", help="measure only what names one of these comma-separated words")
    parser.add_argument("--tag", default="", help="added to the names of the files written to var/bench/")
    parser.add_argument("--slowest", type=int, default=5, help="print the plans of this many slowest to stderr")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if not database_url:
        sys.exit("Set BENCH_DATABASE_URL to a PostgreSQL database of the bench's own (see the docstring).")
    setup(database_url)
    from django.db import connection

    print(f"Loading up to {args.cases:,} cases …", file=sys.stderr)
    seconds = load(args.cases)
    people, assigned = personas()
    if seconds is not None or assigned:
        vacuumed = vacuum_analyze()
        print(f"  VACUUM ANALYZE: {vacuumed:.0f} s", file=sys.stderr)
    loaded = (
        f"loaded in {seconds:.0f} s (+ {vacuumed:.0f} s VACUUM ANALYZE)"
        if seconds is not None
        else "reused the cases already there"
    )
    check_sample()
    data = describe_data()
    print(f"{data} ({loaded})", file=sys.stderr)

    only = [word.strip() for word in args.only.split(",") if word.strip()]
    results = []
    for persona, user in people.items():
        results += measure(persona, user, args.repeat, only)

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('cases_case'))")
        size = cursor.fetchone()[0]
    heading = (
        f"{version}, {platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{data}; table with indexes {size}; {loaded}; median and p95 of {args.repeat} runs after a warm-up."
    )
    report = f"{heading}\n\n{table(results)}\n"
    print(report)

    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"inbox-{args.cases}{'-' + args.tag if args.tag else ''}"
    Path(f"{stem}.md").write_text(report)
    Path(f"{stem}.json").write_text(
        json.dumps(
            {"heading": heading, "results": [{**r.__dict__, "plans": None} for r in results]},
            ensure_ascii=False,
            indent=2,
        )
    )
    Path(f"{stem}-explain.txt").write_text(
        "".join(
            f"=== {r.persona} | {r.what} | median {r.median_ms} ms\n{plan}\n\n" for r in results for plan in r.plans
        )
    )
    print(f"\nAccess paths (all plans in {stem}-explain.txt):", file=sys.stderr)
    for r in results:
        for plan in r.plans:
            print(f"  {r.persona} | {r.what}: {highlights(plan)}", file=sys.stderr)
    for r in sorted(results, key=lambda r: r.median_ms, reverse=True)[: args.slowest]:
        for plan in r.plans:
            print(f"\n=== slowest: {r.persona} | {r.what} | median {r.median_ms} ms\n{plan}", file=sys.stderr)


if __name__ == "__main__":
    main()
