from django.urls import path

from cases import mobile_views, views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/done/<uuid:public_id>/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/case/<uuid:public_id>/", views.case_page, name="case"),
    path("track/case/<uuid:public_id>/message/", views.case_message, name="message"),
    path("track/case/<uuid:public_id>/rating/", views.case_rating, name="rating"),
    path("track/case/<uuid:public_id>/accept/", views.case_accept, name="accept"),
    path("track/case/<uuid:public_id>/objection/", views.case_objection, name="objection"),
    path("track/case/<uuid:public_id>/files/<int:attachment_id>/", views.case_attachment, name="attachment"),
    path("my-cases/", mobile_views.my_cases, name="my_cases"),
    path("my-cases/code/", mobile_views.my_cases_code, name="my_cases_code"),
    path("my-cases/list/", mobile_views.my_cases_list, name="my_cases_list"),
    path("my-cases/case/<uuid:public_id>/", mobile_views.my_cases_case, name="my_cases_case"),
]
