from django.contrib.auth import views as auth_views
from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("triage/", views.triage, name="triage"),
    path("referred/", views.referred, name="referred"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/note/", views.note, name="note"),
    path("cases/<int:pk>/answer/", views.answer, name="answer"),
    path("cases/<int:pk>/route/", views.route, name="route"),
    path("cases/<int:pk>/close/", views.close, name="close"),
    path("cases/<int:pk>/refer/", views.refer, name="refer"),
    path("cases/<int:pk>/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/take/", views.take, name="take"),
    path("cases/<int:pk>/ask/", views.request_information, name="ask"),
    path("cases/<int:pk>/approve/", views.approve, name="approve"),
    path("cases/<int:pk>/return/", views.return_answer, name="return"),
    path("cases/<int:pk>/merge/", views.merge, name="merge"),
    path("cases/<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
