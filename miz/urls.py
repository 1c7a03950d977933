from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Miz administration")
admin.site.site_title = _("Miz")
admin.site.index_title = _("Service desk administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/", include("desk.urls")),
    path("about/", include("directory.urls")),
    path("notifications/", include("notify.urls")),
    path("", include("cases.urls")),
]
