"""The order pages: home, search, the list and one order (views/pages.py); the coordinator's
work queue, the application builder, legal review and hearing (views/application.py); an order's
life after it is made (views/lifecycle.py); police notices and the order that follows them
(views/notices.py)."""

from django.urls import path

from safeguard.orders.views import application, lifecycle, notices, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.search, name="search"),
    path("orders/", pages.order_list, name="order-list"),
    path("orders/<int:pk>/", pages.order_detail, name="order-detail"),
    path("orders/<int:pk>/advocates/", pages.order_advocates, name="order-advocates"),
    path(
        "orders/<int:pk>/advocates/remove/",
        pages.order_advocate_remove,
        name="order-advocate-remove",
    ),
    # The application builder, the legal review and the hearing.
    path("orders/work-queue/", application.work_queue, name="application-work-queue"),
    path("orders/legal-review/", application.review_queue, name="legal-review-queue"),
    path("orders/<int:pk>/application/", application.builder, name="application-builder"),
    path(
        "orders/<int:pk>/application/tests/<int:number>/",
        application.test_evidence,
        name="application-test",
    ),
    path(
        "orders/<int:pk>/application/chronology/",
        application.chronology,
        name="application-chronology",
    ),
    path(
        "orders/<int:pk>/application/victim-views/",
        application.victim_views,
        name="application-victim-views",
    ),
    path(
        "orders/<int:pk>/application/conditions/",
        application.conditions,
        name="application-conditions",
    ),
    path(
        "orders/<int:pk>/application/conditions/add/",
        application.condition_add,
        name="application-condition-add",
    ),
    path("orders/<int:pk>/application/interim/", application.interim, name="application-interim"),
    path("orders/<int:pk>/application/court/", application.court, name="application-court"),
    path("orders/<int:pk>/application/check/", application.check_answers, name="application-check"),
    path("orders/<int:pk>/legal-review/", application.review, name="legal-review"),
    path("orders/<int:pk>/hearing/", application.hearing, name="application-hearing"),
    # After the order is made: service, notifications, breaches, applications, appeals.
    path("orders/<int:pk>/service/", lifecycle.service, name="order-service"),
    path(
        "orders/<int:pk>/notifications/change/",
        lifecycle.notification_change,
        name="order-notification-change",
    ),
    path(
        "orders/<int:pk>/notifications/<int:nid>/made/",
        lifecycle.notification_made,
        name="order-notification-made",
    ),
    path(
        "orders/<int:pk>/notifications/<int:nid>/acknowledge/",
        lifecycle.notification_acknowledge,
        name="order-notification-acknowledge",
    ),
    path("orders/<int:pk>/breaches/new/", lifecycle.breach_new, name="order-breach-new"),
    path(
        "orders/<int:pk>/breaches/<int:bid>/outcome/",
        lifecycle.breach_outcome,
        name="order-breach-outcome",
    ),
    path(
        "orders/<int:pk>/court-applications/new/",
        lifecycle.court_application,
        name="order-court-application",
    ),
    path(
        "orders/<int:pk>/court-applications/<int:aid>/decision/",
        lifecycle.court_decision,
        name="order-court-decision",
    ),
    path("orders/<int:pk>/appeals/new/", lifecycle.appeal_new, name="order-appeal"),
    path(
        "orders/<int:pk>/appeals/<int:aid>/decision/",
        lifecycle.appeal_decision,
        name="order-appeal-decision",
    ),
    path(
        "orders/<int:pk>/court-decision/",
        notices.following_decision,
        name="order-following-decision",
    ),
    # Police notices (DVPN, DAPN) and the order that follows them.
    path("orders/notices/new/", notices.notice_new, name="notice-new"),
    path("orders/<int:pk>/notice/", notices.notice_detail, name="notice-detail"),
    path("orders/<int:pk>/notice/countdown/", notices.notice_countdown, name="notice-countdown"),
    path("orders/<int:pk>/notice/apply/", notices.notice_apply, name="notice-apply"),
]
