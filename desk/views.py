"""The staff back office: thin views over desk.access, desk.services and cases.services."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.views import LoginView as OTPLoginView

from cases import services as case_services
from cases.models import CaseEvent, Status
from cases.views import attachment_response
from cases.workflow import InvalidTransition
from desk import access, second_factor, services
from desk.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ConfirmDeviceForm,
    InboxFilterForm,
    InformationRequestForm,
    MergeForm,
    NoteForm,
    ReferForm,
    ReturnAnswerForm,
    RouteForm,
    StaffLoginForm,
    StaffTokenForm,
)
from directory.scope import scope_of
from directory.services import is_head_over, members_of
from notify import services as notify_services

INBOX_PAGE_SIZE = 25


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_verified():  # (a verified session costs no query here)
            if second_factor.has_second_factor(request.user):
                return redirect_to_login(request.get_full_path())  # a session from before the second factor
            if settings.MIZ_STAFF_REQUIRE_TOTP and access.is_staff_member(request.user):
                return redirect("desk:security")
        if not access.is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(OTPLoginView):
    """Password, and the authenticator's code for those who set one up; only the code for a session that
    signed in before its person set one up."""

    template_name = "desk/login.html"
    otp_authentication_form = StaffLoginForm
    otp_token_form = StaffTokenForm

    @property
    def redirect_authenticated_user(self):
        user = self.request.user
        return user.is_authenticated and (user.is_verified() or not second_factor.has_second_factor(user))


@require_http_methods(["GET", "POST"])
@login_required
def security(request):
    """Set up the second factor: scan the QR code (or type the key) into an app, then give one code."""
    if not access.is_staff_member(request.user):
        raise PermissionDenied
    if second_factor.has_second_factor(request.user):
        if not request.user.is_verified():
            return redirect_to_login(request.get_full_path())
        return render(request, "desk/security.html", {"active": True})
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.confirm(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            messages.success(request, _("Your second factor is set up. Sign-ins will ask for its code."))
            return redirect("desk:inbox")
        form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    device = second_factor.pending_device(request.user)
    context = {
        "form": form,
        "qr_svg": mark_safe(second_factor.qr_svg(device)),  # noqa: S308 (segno's SVG of our own otpauth URL)
        "key": second_factor.grouped_key(device),
        "required": settings.MIZ_STAFF_REQUIRE_TOTP,
    }
    return render(request, "desk/security.html", context)


@require_safe
@staff_required
def inbox(request):
    filters = InboxFilterForm(request.GET or None)
    filters.is_valid()  # a bad field shows its message; the other filters still apply
    query = filters.query()
    cases = services.inbox(request.user, query)
    page = services.keyset_page(
        cases, query.sort, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    services.with_days_left(page.cases)
    kept = request.GET.copy()
    for key in ("after", "before"):
        kept.pop(key, None)
    tab_links = request.GET.copy()
    for key in ("after", "before", "tab"):
        tab_links.pop(key, None)
    return render(
        request,
        "desk/inbox.html",
        {
            "filters": filters,
            "page": page,
            "tab": query.tab,
            "tabs": _tabs(request.user),
            "query": kept.urlencode(),
            "tab_query": tab_links.urlencode(),
            "more_filters_active": any(
                request.GET.get(name) for name in ("kind", "status", "topic", "received_from", "received_to", "sort")
            ),
            "triage_count": _triage_count(request.user),
        },
    )


def _tabs(user):
    labels = {
        "mine": _("Mine"),
        "unit": _("My unit") if not user.has_perm("cases.view_all_cases") else _("All cases"),
        "approval": _("Awaiting approval"),
        "overdue": _("Overdue"),
        "waiting": _("Waiting for the citizen"),
    }
    counts = services.tab_counts(user)
    return [(tab, labels[tab], counts[tab]) for tab in services.TABS]


@require_safe
@staff_required
def referred(request):
    page = Paginator(services.referred_out(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/referred.html", {"page": page})


def _triage_count(user):
    return services.triage_queue(user).count() if scope_of(user).works_at_triage else None


@require_safe
@staff_required
def triage(request):
    page = Paginator(services.triage_queue(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    services.with_days_left(list(page.object_list))
    return render(request, "desk/triage.html", {"page": page})


def _render_case(request, case, status=200, **forms):
    user = request.user
    services.with_days_left([case])
    can_act = access.can_act(user, case)
    is_head = can_act and is_head_over(user, case.unit)
    events = case.events.select_related("actor", "from_unit", "to_unit").prefetch_related("attachments")
    answer_form = forms.get("answer_form")
    replies = services.saved_replies_for(case) if can_act else []
    if answer_form is None:
        chosen = next((reply for reply in replies if str(reply.pk) == request.GET.get("reply")), None)
        answer_form = AnswerForm(initial={"text": services.fill_saved_reply(chosen.text, case)} if chosen else None)
    people = members_of(case.unit) if is_head else None
    context = {
        "case": case,
        "events": events,
        "attachments": case.attachments.all(),
        "can_act": can_act,
        "is_head": is_head,
        "can_refer": can_act and not case.unit.is_triage and case.status in (Status.ROUTED, Status.IN_PROGRESS),
        "saved_replies": replies,
        "note_form": forms.get("note_form") or NoteForm(),
        "answer_form": answer_form,
        "route_form": forms.get("route_form") or RouteForm(),
        "refer_form": forms.get("refer_form") or ReferForm(),
        "assign_form": forms.get("assign_form") or AssignForm(people=people),
        "info_form": forms.get("info_form") or InformationRequestForm(),
        "return_form": forms.get("return_form") or ReturnAnswerForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        # So that a clerk asked "did you tell me?" can answer: what went out to the citizen, and whether it arrived.
        "citizen_messages": notify_services.citizen_messages_of(case),
    }
    return render(request, "desk/case.html", context, status=status)


@require_safe
@staff_required
def case_detail(request, pk):
    return _render_case(request, access.get_visible_case(request.user, pk))


def _case_action(form_class, form_name, perform, done_message, form_kwargs=None):
    """A POST that validates one form and calls one service; errors re-render the case with the typed text."""

    @require_POST
    @staff_required
    def view(request, pk):
        case = access.get_actionable_case(request.user, pk)
        extra = form_kwargs(request, case) if form_kwargs else {}
        form = form_class(request.POST, request.FILES, **extra)
        if form.is_valid():
            try:
                result = perform(case, request.user, form.cleaned_data)
            except (InvalidTransition, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                if not form.fields:
                    # A button alone has no field to show the message beside: say it at the top of the case.
                    messages.error(request, message)
                    return redirect("desk:case", pk=case.pk)
                form.add_error(None, message)
            else:
                messages.success(request, done_message(result))
                case.refresh_from_db(fields=["unit"])
                if access.can_see(request.user, case):
                    return redirect("desk:case", pk=case.pk)
                return redirect("desk:inbox")  # referred away: the case is no longer this person's to see
        return _render_case(request, case, status=400, **{form_name: form})

    return view


class _NoFields(forms.Form):
    """For actions that are only a button."""


note = _case_action(
    NoteForm,
    "note_form",
    lambda case, user, data: case_services.add_note(case, user, data["text"]),
    lambda result: _("The note was added."),
)
answer = _case_action(
    AnswerForm,
    "answer_form",
    lambda case, user, data: case_services.answer_case(case, user, data["text"], data["attachments"]),
    lambda result: (
        _("The answer was sent to the head of the unit for approval.")
        if result.type == CaseEvent.Type.ANSWER_DRAFTED
        else _("The answer was sent to the citizen.")
    ),
)
route = _case_action(
    RouteForm,
    "route_form",
    lambda case, user, data: case_services.route_case(case, user, data["unit"], data["reason"]),
    lambda result: _("The case was sent to the unit."),
)
refer = _case_action(
    ReferForm,
    "refer_form",
    lambda case, user, data: case_services.refer_case(case, user, data["unit"], data["reason"]),
    lambda result: _("The case was referred to the other unit."),
)
assign = _case_action(
    AssignForm,
    "assign_form",
    lambda case, user, data: case_services.assign_case(case, user, data["assignee"]),
    lambda result: _("The case was assigned."),
    form_kwargs=lambda request, case: {"people": members_of(case.unit)},
)
take = _case_action(
    _NoFields,
    "take_form",
    lambda case, user, data: case_services.assign_case(case, user, user),
    lambda result: _("The case is now yours."),
)
request_information = _case_action(
    InformationRequestForm,
    "info_form",
    lambda case, user, data: case_services.request_information(case, user, data["question"]),
    lambda result: _("The question was sent to the citizen; the deadline is paused until they reply."),
)
approve = _case_action(
    _NoFields,
    "approve_form",
    lambda case, user, data: case_services.approve_answer(case, user),
    lambda result: _("The answer was approved and sent to the citizen."),
)
return_answer = _case_action(
    ReturnAnswerForm,
    "return_form",
    lambda case, user, data: case_services.return_answer(case, user, data["reason"]),
    lambda result: _("The answer was returned to the unit."),
)
merge = _case_action(
    MergeForm,
    "merge_form",
    lambda case, user, data: case_services.merge_case(case, user, data["target"]),
    lambda result: _("The case was merged."),
    form_kwargs=lambda request, case: {"user": request.user},
)
close = _case_action(
    CloseForm,
    "close_form",
    lambda case, user, data: case_services.close_case(case, user, data["reason"]),
    lambda result: _("The case was closed."),
)


@require_safe
@staff_required
def attachment(request, pk, attachment_id):
    case = access.get_visible_case(request.user, pk)
    return attachment_response(get_object_or_404(case.attachments, pk=attachment_id))
