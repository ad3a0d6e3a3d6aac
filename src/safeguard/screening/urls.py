from django.urls import path

from safeguard.screening import views

urlpatterns = [
    path("", views.queue, name="screening-queue"),
    path("candidates/<int:pk>/", views.candidate, name="screening-candidate"),
    path("candidates/<int:pk>/apply/", views.start_application, name="screening-apply"),
    path("identities/<str:key>/", views.identity, name="screening-identity"),
    path("links/<int:pk>/", views.link, name="screening-link"),
    path("perpetrators/", views.perpetrators, name="screening-perpetrators"),
    path("perpetrators/<int:pk>/", views.perpetrator, name="screening-perpetrator"),
]
