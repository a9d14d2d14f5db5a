from django.urls import path  # noqa: F401 (the views add their routes below)

app_name = "reporting"
urlpatterns: list = []
