"""URL patterns of one journey (issue 4): an order's life after it is made (service,
notifications, breaches, variation, renewal, discharge, appeals) and police notices (DVPN, DAPN)
with the order that follows them. Included at /orders/ from safeguard/urls.py."""

from django.urls import path

from safeguard.orders import lifecycle_views as v

urlpatterns = [
    path("<int:pk>/service/", v.service, name="order-service"),
    path(
        "<int:pk>/notifications/change/",
        v.notification_change,
        name="order-notification-change",
    ),
    path(
        "<int:pk>/notifications/<int:nid>/made/",
        v.notification_made,
        name="order-notification-made",
    ),
    path(
        "<int:pk>/notifications/<int:nid>/acknowledge/",
        v.notification_acknowledge,
        name="order-notification-acknowledge",
    ),
    path("<int:pk>/breaches/new/", v.breach_new, name="order-breach-new"),
    path("<int:pk>/breaches/<int:bid>/outcome/", v.breach_outcome, name="order-breach-outcome"),
    path("<int:pk>/court-applications/new/", v.court_application, name="order-court-application"),
    path(
        "<int:pk>/court-applications/<int:aid>/decision/",
        v.court_decision,
        name="order-court-decision",
    ),
    path("<int:pk>/appeals/new/", v.appeal_new, name="order-appeal"),
    path("<int:pk>/appeals/<int:aid>/decision/", v.appeal_decision, name="order-appeal-decision"),
    path("<int:pk>/court-decision/", v.following_decision, name="order-following-decision"),
    path("notices/new/", v.notice_new, name="notice-new"),
    path("<int:pk>/notice/", v.notice_detail, name="notice-detail"),
    path("<int:pk>/notice/countdown/", v.notice_countdown, name="notice-countdown"),
    path("<int:pk>/notice/apply/", v.notice_apply, name="notice-apply"),
]
