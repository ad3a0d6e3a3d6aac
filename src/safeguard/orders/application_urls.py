"""URL patterns of one journey (issue 4): the coordinator's work queue and application builder,
the legal adviser's review, and the hearing; included at /orders/ from safeguard/urls.py."""

from django.urls import path

from safeguard.orders import application_views as views

urlpatterns = [
    path("work-queue/", views.work_queue, name="application-work-queue"),
    path("legal-review/", views.review_queue, name="legal-review-queue"),
    path("<int:pk>/application/", views.builder, name="application-builder"),
    path(
        "<int:pk>/application/tests/<int:number>/",
        views.test_evidence,
        name="application-test",
    ),
    path("<int:pk>/application/chronology/", views.chronology, name="application-chronology"),
    path(
        "<int:pk>/application/victim-views/",
        views.victim_views,
        name="application-victim-views",
    ),
    path("<int:pk>/application/conditions/", views.conditions, name="application-conditions"),
    path(
        "<int:pk>/application/conditions/add/",
        views.condition_add,
        name="application-condition-add",
    ),
    path("<int:pk>/application/interim/", views.interim, name="application-interim"),
    path("<int:pk>/application/court/", views.court, name="application-court"),
    path("<int:pk>/application/check/", views.check_answers, name="application-check"),
    path("<int:pk>/legal-review/", views.review, name="legal-review"),
    path("<int:pk>/hearing/", views.hearing, name="application-hearing"),
]
