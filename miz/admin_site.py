"""The admin site: the desk's sign-in (with the second factor) in front of it, and no session that skipped it."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MizAdminSite(admin.AdminSite):
    site_header = _("Miz administration")
    site_title = _("Miz")
    index_title = _("Service desk administration")

    def has_permission(self, request):
        from desk.second_factor import has_second_factor

        user = request.user
        verified = not user.is_authenticated or user.is_verified() or not has_second_factor(user)
        return super().has_permission(request) and verified

    def login(self, request, extra_context=None):
        """One sign-in page for everyone: the desk's, which asks for the second factor."""
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("desk:login"))
