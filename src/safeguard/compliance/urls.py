from django.urls import path

from safeguard.compliance import views

urlpatterns = [
    path("", views.deadlines, name="deadlines"),
    path("reminders/read/", views.reminders_read, name="reminders-read"),
    path("reviews/<int:pk>/", views.review, name="review-decide"),
]
