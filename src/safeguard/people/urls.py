from django.urls import path

from safeguard.people import views

urlpatterns = [
    path("people/reviews-due/", views.reviews_due, name="reviews-due"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path(
        "people/<int:pk>/protected-details/<int:detail_pk>/reveal/",
        views.reveal,
        name="person-reveal",
    ),
    path("people/<int:pk>/erase/", views.erase, name="person-erase"),
]
