import pytest

from cases.models import Case, RoutingMethod
from directory.models import Topic
from routing import route
from routing.models import RoutingRule, RoutingSettings

STATS_TEXT = "لطفاً سالنامه آماری استان و آمار جمعیت و اشتغال شهرستان‌ها را برای پایان‌نامه‌ام بفرستید."


def unsaved(body, subject="", **fields):
    return Case(subject=subject, body=body, **fields)


def test_the_topic_the_citizen_picked_wins(organization):
    topic = Topic.objects.get(label="گزارش فساد یا رشوه")
    decision = route(unsaved(STATS_TEXT, topic=topic))
    assert decision.unit.code == "inspection"
    assert decision.method == RoutingMethod.TOPIC


def test_a_unit_the_citizen_picked_wins(organization):
    decision = route(unsaved(STATS_TEXT, unit=organization["legal"]))
    assert decision.unit.code == "legal"
    assert decision.method == RoutingMethod.UNIT


def test_a_rule_of_the_organization_beats_the_model(organization):
    RoutingRule.objects.create(phrase="رشوه", unit=organization["inspection"], priority=10)
    decision = route(unsaved("برای تخصیص اعتبار طرح از من رشوه خواستند"))
    assert decision.unit.code == "inspection"
    assert decision.method == RoutingMethod.RULE
    assert "رشوه" in decision.explanation


def test_rules_match_across_arabic_letters_zwnj_and_digits(organization):
    RoutingRule.objects.create(phrase="می‌خواهم شکایت ۱۰۰", unit=organization["legal"])
    assert route(unsaved("من ميخواهم شكايت 100 كنم")).unit.code == "legal"


def test_the_highest_priority_rule_wins(organization):
    RoutingRule.objects.create(phrase="پروژه", unit=organization["monitoring"], priority=5)
    RoutingRule.objects.create(phrase="پروژه", unit=organization["planning"], priority=50)
    assert route(unsaved("پروژه")).unit.code == "planning"


def test_inactive_rules_are_ignored(organization):
    RoutingRule.objects.create(phrase="سالنامه", unit=organization["legal"], is_active=False)
    assert route(unsaved(STATS_TEXT)).unit.code == "stats"


def test_the_model_routes_and_explains(organization):
    decision = route(unsaved(STATS_TEXT))
    assert decision.unit.code == "stats"
    assert decision.method == RoutingMethod.MODEL
    assert decision.model_version is not None
    assert decision.runner_up is not None and decision.runner_up.code != "stats"
    assert any(word in decision.explanation for word in ("آمار", "سالنامه", "جمعیت", "اشتغال"))


def test_below_the_threshold_the_case_goes_to_triage(organization):
    settings = RoutingSettings.current()
    settings.confidence_threshold = 0.999
    settings.save()
    decision = route(unsaved(STATS_TEXT))
    assert decision.unit.code == "triage"
    assert decision.method == RoutingMethod.LOW_CONFIDENCE
    assert decision.runner_up.code == "stats"  # the best guess is kept for the person at triage


@pytest.mark.parametrize(
    "text",
    [
        "",
        "🙏🙏🙏😡",
        "Hello, I want to know about the budget of my city",
        "ب" * 5000,
        "آمار " * 1000,
        # Azerbaijani Turkish in Arabic script
        "سلام، منیم کندیمیزده مکتب تیکینتیسی اوچ ایلدیر دایانیب، نه واخت بیته‌جک؟",
        # Kurdish (Sorani) in Arabic script
        "سڵاو، پرۆژەی قوتابخانەی گوندەکەمان سێ ساڵە ڕاوەستاوە، کەی تەواو دەبێت؟",
    ],
)
def test_bad_or_foreign_input_routes_without_error(organization, text):
    decision = route(unsaved(text))
    assert decision.unit is not None
    assert 0.0 <= decision.confidence <= 1.0


def test_empty_and_emoji_texts_go_to_triage(organization):
    assert route(unsaved("")).unit.code == "triage"
    assert route(unsaved("🙏🙏🙏")).unit.code == "triage"
