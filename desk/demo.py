"""The demo: staff accounts for every unit and a dozen cases in various states. Used by `make run`."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Case
from desk.models import SavedReply
from directory.models import StaffMembership, Topic, Unit

MANAGERS_GROUP = "managers"

# (kind, topic label or None, subject, body, mobile or None for anonymous, what staff do next)
DEMO_CASES = [
    (
        "request",
        "تخصیص و پرداخت اعتبار طرح‌ها",
        "پرداخت اعتبار طرح آبرسانی روستای قره‌باغ",
        "سلام. اعتبار مصوب طرح آبرسانی روستای ما از سال گذشته تخصیص نیافته است. لطفاً وضعیت را اعلام کنید.",
        "09141234567",
        "answer",
    ),
    (
        "complaint",
        "پروژه‌های نیمه‌تمام",
        "مدرسه نیمه‌تمام محله ما",
        "ساخت مدرسه دوازده کلاسه محله ما سه سال است متوقف مانده و بچه‌ها در کانکس درس می‌خوانند.",
        "09141234568",
        "note",
    ),
    (
        "suggestion",
        None,
        "پیشنهاد برای سامانه نوبت‌دهی",
        "پیشنهاد می‌کنم برای مراجعه حضوری به سازمان، نوبت‌دهی اینترنتی راه‌اندازی شود.",
        "09141234569",
        None,
    ),
    (
        "criticism",
        "خدمات الکترونیکی دستگاه‌ها",
        "کند بودن سامانه یکی از ادارات",
        "سامانه خدمات الکترونیکی یکی از ادارات شهرستان هفته‌هاست از دسترس خارج است.",
        "09141234570",
        "answer_rate",
    ),
    (
        "opinion",
        "برنامه توسعه استان و شهرستان",
        "نظر درباره سند توسعه شهرستان",
        "به نظر من در سند توسعه شهرستان به گردشگری کمتر از حد لازم توجه شده است.",
        "09141234571",
        None,
    ),
    (
        "appreciation",
        "تقدیر و تشکر",
        "تشکر از کارشناس دفتر آمار",
        "از همکاری صمیمانه کارشناس مدیریت آمار در تهیه داده‌های پایان‌نامه‌ام سپاسگزارم.",
        "09141234572",
        "answer_close",
    ),
    (
        "request",
        "درخواست آمار و اطلاعات",
        "آمار اشتغال شهرستان‌ها",
        "برای یک پژوهش دانشگاهی به آمار اشتغال شهرستان‌های استان در پنج سال اخیر نیاز دارم.",
        "09141234573",
        "answer_message",
    ),
    (
        "complaint",
        None,
        "رفتار نامناسب در یک اداره",
        "هنگام مراجعه برای پیگیری پرونده با رفتار نامناسب یکی از کارکنان روبه‌رو شدم.",
        None,
        "overdue",
    ),
    (
        "request",
        "آزمون استخدامی و تبدیل وضعیت",
        "تبدیل وضعیت نیروهای قراردادی",
        "وضعیت تبدیل وضعیت نیروهای قراردادی دستگاه‌های استان چه زمانی مشخص می‌شود؟",
        "09141234574",
        "ask",
    ),
    (
        "complaint",
        "تشخیص صلاحیت و رتبه‌بندی پیمانکاران",
        "تأخیر در صدور گواهینامه صلاحیت",
        "پرونده تشخیص صلاحیت شرکت ما دو ماه است بدون پاسخ مانده است.",
        "09141234575",
        "note",
    ),
    (
        "request",
        None,
        "یک سؤال",
        "سلام وقت بخیر، یه سوال داشتم. با کی باید صحبت کنم؟",
        "09141234576",
        "route",
    ),
    ("opinion", None, "نظر", "سلام. ممنون 🙏", "09141234578", None),
    (
        "suggestion",
        "فرصت‌های سرمایه‌گذاری",
        "معرفی فرصت‌های سرمایه‌گذاری به سرمایه‌گذاران خارج از استان",
        "پیشنهاد می‌شود فهرست فرصت‌های سرمایه‌گذاری استان به زبان انگلیسی و ترکی نیز منتشر شود.",
        "09141234577",
        "draft",
    ),
]


DEMO_REPLY = (
    "{name}، با سلام.\nپرونده شما با کد رهگیری {code} در {unit} در حال بررسی است و پاسخ آن تا {due_date} "
    "اعلام می‌شود.\nبا سپاس"
)


@dataclass
class DemoResult:
    password: str
    password_generated: bool
    usernames: list[str]
    cases_created: int


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD, or a generated one kept under var/ so that later runs print the same."""
    from miz.env import env_str

    given = env_str("DEMO_PASSWORD")
    if given:
        return given, False
    path = settings.VAR_DIR / "demo_password"
    if path.exists():
        return path.read_text().strip(), True
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(9)
    path.write_text(password)
    path.chmod(0o600)
    return password, True


def _user(username: str, password: str, reset_password: bool, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created or reset_password:
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def load_demo() -> DemoResult:
    password, generated = demo_password()
    reset = not generated
    usernames = []
    managers, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
    managers.permissions.add(Permission.objects.get(codename="view_all_cases", content_type__app_label="cases"))
    for unit in Unit.objects.order_by("order"):
        for role in (StaffMembership.Role.STAFF, StaffMembership.Role.HEAD):
            username = f"{role}-{unit.code}"
            title = "مدیر" if role == StaffMembership.Role.HEAD else "کارشناس"
            user = _user(username, password, reset, first_name=f"{title} {unit.name}"[:150])
            StaffMembership.objects.get_or_create(user=user, unit=unit, defaults={"role": role})
            usernames.append(username)
    manager = _user("manager", password, reset, first_name="مدیر سازمان")
    manager.groups.add(managers)
    _user("sysadmin", password, reset, is_staff=True, is_superuser=True, first_name="مدیر سامانه")
    usernames += ["manager", "sysadmin"]
    for unit in Unit.objects.exclude(code=Unit.TRIAGE_CODE):
        SavedReply.objects.get_or_create(
            unit=unit,
            title="پاسخ: در دست بررسی",
            defaults={"text": DEMO_REPLY},
        )
    created = 0 if Case.objects.exists() else _create_demo_cases()
    return DemoResult(password, generated, usernames, created)


def _create_demo_cases() -> int:
    for kind, topic_label, subject, body, mobile, action in DEMO_CASES:
        topic = Topic.objects.filter(label=topic_label).first() if topic_label else None
        result = services.submit_case(
            services.Submission(
                kind=kind,
                subject=subject,
                body=body,
                topic=topic,
                is_anonymous=mobile is None,
                name="" if mobile is None else "شهروند نمونه",
                mobile=(mobile and "+98" + mobile[1:]) or "",
            )
        )
        case = result.case
        staff = User.objects.get(username=f"staff-{case.unit.code}")
        if action == "note":
            services.add_note(case, staff, "در حال بررسی با واحد مربوط.")
        elif action == "route" and case.unit.is_triage:
            services.route_case(case, staff, Unit.objects.get(code="admin"), "مربوط به امور اداری است.")
        elif action == "ask":
            services.request_information(case, staff, "لطفاً نام دستگاه اجرایی محل خدمت خود را بنویسید.")
        elif action == "draft":
            Unit.objects.filter(pk=case.unit_id).update(requires_answer_approval=True)
            case.unit.requires_answer_approval = True
            services.answer_case(case, staff, "با سلام. پیشنهاد شما دریافت شد و در دستور کار قرار گرفت.")
        elif action == "overdue":
            head = User.objects.get(username=f"head-{case.unit.code}")
            services.assign_case(case, head, staff)
            Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
            services.escalate_overdue_cases()
        elif action and action.startswith("answer"):
            services.answer_case(case, staff, "با سلام. موضوع بررسی شد و اقدام لازم انجام گرفت. با سپاس.")
            if action == "answer_rate":
                services.rate_case(case, 4, "پاسخ روشن بود.")
            elif action == "answer_close":
                services.close_case(case, staff)
            elif action == "answer_message":
                services.add_citizen_message(case, "سپاس. آیا داده‌ها به صورت فایل اکسل هم موجود است؟")
    return len(DEMO_CASES)
