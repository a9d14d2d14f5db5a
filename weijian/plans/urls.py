from django.urls import path

from weijian.plans import edit_views, export_views, import_views, units_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/export/", export_views.plan_export, name="plan_export"),
    # Editing (edit_views): the plan, its tasks, their units and targets.
    path("<int:pk>/edit/", edit_views.plan_edit, name="plan_edit"),
    path("<int:pk>/tasks/new/", edit_views.task_create, name="task_create"),
    path("<int:pk>/units/link/", edit_views.assignment_link_name, name="assignment_link_name"),
    path("tasks/<int:pk>/edit/", edit_views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", edit_views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/children/new/", edit_views.task_create_child, name="task_create_child"),
    path("tasks/<int:pk>/units/new/", edit_views.assignment_add, name="assignment_add"),
    path("tasks/<int:pk>/targets/new/", edit_views.target_add, name="target_add"),
    path("units/<int:pk>/edit/", edit_views.assignment_edit, name="assignment_edit"),
    path("units/<int:pk>/delete/", edit_views.assignment_remove, name="assignment_remove"),
    path("targets/<int:pk>/edit/", edit_views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", edit_views.target_remove, name="target_remove"),
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("documents/", views.document_list, name="document_list"),
    path("import/", import_views.plan_import, name="plan_import"),
    path("import/<str:token>/", import_views.plan_import_preview, name="plan_import_preview"),
    path("import/<str:token>/cancel/", import_views.plan_import_cancel, name="plan_import_cancel"),
    # Unit names (units_views): aliases of organizations and collective units.
    path("units/aliases/", units_views.alias_list, name="alias_list"),
    path("units/aliases/export/", units_views.alias_export, name="alias_export"),
    path("units/aliases/new/", units_views.alias_create, name="alias_create"),
    path("units/aliases/<int:pk>/edit/", units_views.alias_edit, name="alias_edit"),
    path("units/aliases/<int:pk>/delete/", units_views.alias_delete, name="alias_delete"),
    path("units/collectives/", units_views.collective_list, name="collective_list"),
    path("units/collectives/new/", units_views.collective_create, name="collective_create"),
    path("units/collectives/<int:pk>/edit/", units_views.collective_edit, name="collective_edit"),
    path(
        "units/collectives/<int:pk>/delete/",
        units_views.collective_delete,
        name="collective_delete",
    ),
]
