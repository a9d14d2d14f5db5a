from django.urls import path

from weijian.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("documents/", views.document_list, name="document_list"),
]
