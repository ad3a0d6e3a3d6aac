"""The report pages, mounted at the site root by safeguard/urls.py: importing a file
(views/imports.py) at /imports/, and recording, reading and referring reports (views/cases.py)
at /reports/."""

from django.urls import path

from safeguard.reports.views import cases, imports

urlpatterns = [
    path("imports/", imports.import_list, name="import-list"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("reports/", cases.report_list, name="report-list"),
    path("reports/new/", cases.report_new, name="report-new"),
    path("reports/new/check/", cases.report_check, name="report-new-check"),
    path("reports/new/<slug:step>/", cases.report_step, name="report-new-step"),
    path("reports/<int:pk>/", cases.report_detail, name="report-detail"),
    path("reports/<int:pk>/refer/", cases.report_refer, name="report-refer"),
    path("reports/referrals/", cases.referral_list, name="referral-list"),
    path("reports/referrals/<int:pk>/decide/", cases.referral_decide, name="referral-decide"),
]
