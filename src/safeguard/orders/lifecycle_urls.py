"""URL patterns of one journey (issue 4); included from safeguard/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
