from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/", include("desk.urls")),
    path("about/", include("directory.urls")),
    path("notifications/", include("notify.urls")),
    path("", include("cases.urls")),
]
