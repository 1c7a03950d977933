from django.contrib.auth import views as auth_views
from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("triage/", views.triage, name="triage"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/note/", views.note, name="note"),
    path("cases/<int:pk>/answer/", views.answer, name="answer"),
    path("cases/<int:pk>/route/", views.route, name="route"),
    path("cases/<int:pk>/close/", views.close, name="close"),
    path("cases/<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
