"""The staff back office: thin views over desk.access, desk.services and cases.services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases import services as case_services
from cases.views import attachment_response
from cases.workflow import InvalidTransition
from desk import access, services
from desk.forms import AnswerForm, CloseForm, InboxFilterForm, NoteForm, RouteForm
from directory.models import Unit

INBOX_PAGE_SIZE = 25


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "desk/login.html"
    redirect_authenticated_user = True


@require_safe
@staff_required
def inbox(request):
    filters = InboxFilterForm(request.GET or None)
    status = kind = ""
    if filters.is_valid():
        status, kind = filters.cleaned_data["status"], filters.cleaned_data["kind"]
    page = Paginator(services.inbox(request.user, status=status, kind=kind), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/inbox.html",
        {"filters": filters, "page": page, "query": query.urlencode(), "triage_count": _triage_count(request.user)},
    )


def _triage_count(user):
    return (
        services.triage_queue(user).count() if user.memberships.filter(unit__code=Unit.TRIAGE_CODE).exists() else None
    )


@require_safe
@staff_required
def triage(request):
    page = Paginator(services.triage_queue(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/triage.html", {"page": page})


def _render_case(request, case, status=200, **forms):
    can_act = access.can_act(request.user, case)
    events = case.events.select_related("actor", "from_unit", "to_unit").prefetch_related("attachments")
    context = {
        "case": case,
        "events": events,
        "attachments": case.attachments.all(),
        "can_act": can_act,
        "note_form": forms.get("note_form") or NoteForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "route_form": forms.get("route_form") or RouteForm(),
        "close_form": forms.get("close_form") or CloseForm(),
    }
    return render(request, "desk/case.html", context, status=status)


@require_safe
@staff_required
def case_detail(request, pk):
    return _render_case(request, access.get_visible_case(request.user, pk))


def _case_action(form_class, form_name, perform, done_message):
    """A POST that validates one form and calls one service; errors re-render the case with the typed text."""

    @require_POST
    @staff_required
    def view(request, pk):
        case = access.get_actionable_case(request.user, pk)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                perform(case, request.user, form.cleaned_data)
            except (InvalidTransition, ValidationError) as error:
                form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, done_message())
                return redirect("desk:case", pk=case.pk)
        return _render_case(request, case, status=400, **{form_name: form})

    return view


note = _case_action(
    NoteForm,
    "note_form",
    lambda case, user, data: case_services.add_note(case, user, data["text"]),
    lambda: _("The note was added."),
)
answer = _case_action(
    AnswerForm,
    "answer_form",
    lambda case, user, data: case_services.answer_case(case, user, data["text"], data["attachments"]),
    lambda: _("The answer was sent to the citizen."),
)
route = _case_action(
    RouteForm,
    "route_form",
    lambda case, user, data: case_services.route_case(case, user, data["unit"], data["reason"]),
    lambda: _("The case was sent to the unit."),
)
close = _case_action(
    CloseForm,
    "close_form",
    lambda case, user, data: case_services.close_case(case, user, data["reason"]),
    lambda: _("The case was closed."),
)


@require_safe
@staff_required
def attachment(request, pk, attachment_id):
    case = access.get_visible_case(request.user, pk)
    return attachment_response(get_object_or_404(case.attachments, pk=attachment_id))
