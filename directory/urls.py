from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.about, name="about"),
    path("chart/", views.chart, name="chart"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/vcard/", views.vcard, name="vcard"),
    path("people/<int:pk>/email/", views.position_email, name="position_email"),
    path("units/<slug:code>/", views.unit_page, name="unit"),
    path("units/<slug:code>/email/", views.unit_email, name="unit_email"),
    path("photos/<str:name>", views.photo, name="photo"),
]
