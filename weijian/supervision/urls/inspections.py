"""URLs of the inspections pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
