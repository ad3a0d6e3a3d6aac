from django.urls import path

from safeguard.oversight import views

urlpatterns = [
    path("", views.dashboard, name="oversight-dashboard"),
    path("data.json", views.dashboard_data, name="oversight-dashboard-data"),
    path("export/", views.export, name="oversight-export"),
    path("definitions/", views.definitions, name="oversight-definitions"),
    path("national/", views.league, name="oversight-league"),
    path("national/data.json", views.league_data, name="oversight-league-data"),
    path(
        "national/export.<str:fmt>",
        views.league_export,
        name="oversight-league-export",
    ),
]
