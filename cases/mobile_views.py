"""“My cases by mobile”: number, then the code sent to it by SMS, then the list of the cases sent with it.

The number travels in the session only, never in a URL (URLs end up in logs, histories and Referer headers).
"""

import math

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cases import mobile_access, throttle
from cases.mobile_forms import CodeForm, MobileForm
from cases.views import TRACKED_KEY, _remember
from persian.text import to_persian_digits

# The number a code was sent to, until the code is typed; then the verified number and until when it stays open.
PENDING_KEY = "my_cases_pending"
VERIFIED_KEY = "my_cases_verified"


def _verified_mobile(request) -> str | None:
    """The number this browser proved it holds, while MIZ_OTP_SESSION_SECONDS last; None after."""
    verified = request.session.get(VERIFIED_KEY)
    if not verified:
        return None
    if verified.get("until", 0) <= timezone.now().timestamp():
        del request.session[VERIFIED_KEY]
        return None
    return verified.get("mobile")


@never_cache
@require_http_methods(["GET", "POST"])
def my_cases(request):
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        result = mobile_access.request_code(mobile, throttle.client_ip(request))
        if not result.sent:
            # One message for every limit: nothing tells whether the number, the address or neither has cases.
            minutes = to_persian_digits(math.ceil(settings.MIZ_OTP_WINDOW_SECONDS / 60))
            form.add_error(
                None,
                _("Too many codes were asked for. Please wait %(minutes)s minutes and try again.")
                % {"minutes": minutes},
            )
            return render(request, "cases/my_cases.html", {"form": form}, status=429)
        request.session[PENDING_KEY] = mobile
        return redirect("cases:my_cases_code")
    return render(request, "cases/my_cases.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def my_cases_code(request):
    mobile = request.session.get(PENDING_KEY)
    if not mobile:
        return redirect("cases:my_cases")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mobile_access.verify_code(mobile, form.cleaned_data["code"]):
            # A new session key once the browser has proved something: a key planted before cannot ride on it.
            request.session.cycle_key()
            request.session.pop(PENDING_KEY, None)
            until = int(timezone.now().timestamp()) + settings.MIZ_OTP_SESSION_SECONDS
            request.session[VERIFIED_KEY] = {"mobile": mobile, "until": until}
            return redirect("cases:my_cases_list")
        form.add_error("code", _("This code is wrong or no longer valid. Check the SMS, or ask for a new code."))
    minutes = to_persian_digits(mobile_access.code_minutes())
    return render(request, "cases/my_cases_code.html", {"form": form, "mobile": mobile, "minutes": minutes})


@never_cache
@require_safe
def my_cases_list(request):
    mobile = _verified_mobile(request)
    if mobile is None:
        return redirect("cases:my_cases")
    return render(request, "cases/my_cases_list.html", {"mobile": mobile, "cases": mobile_access.cases_of(mobile)})


@require_safe
def my_cases_case(request, public_id):
    """Opens the citizen's case page for a case of the verified number, as a lookup by tracking code would."""
    mobile = _verified_mobile(request)
    if mobile is None:
        return redirect("cases:my_cases")
    case = mobile_access.case_of(mobile, public_id)
    if case is None:
        raise Http404
    _remember(request, TRACKED_KEY, case.public_id)
    return redirect("cases:case", public_id=case.public_id)
