"""URL patterns of one journey (issue 4); included from safeguard/urls.py at /reports/."""

from django.urls import path

from safeguard.reports import case_views as views

urlpatterns: list = [
    path("", views.report_list, name="report-list"),
    path("new/", views.report_new, name="report-new"),
    path("new/check/", views.report_check, name="report-new-check"),
    path("new/<slug:step>/", views.report_step, name="report-new-step"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/refer/", views.report_refer, name="report-refer"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/<int:pk>/decide/", views.referral_decide, name="referral-decide"),
]
