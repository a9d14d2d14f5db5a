"""URLs of the sampling pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
