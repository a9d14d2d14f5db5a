"""URLs of the inspector pool, the expert pool and the inspection item list."""

from django.urls import URLPattern, path

from weijian.supervision.views import items, pools

urlpatterns: list[URLPattern] = [
    # The inspector pool (执法人员名录库)
    path("inspectors/", pools.inspector_list, name="inspector_list"),
    path("inspectors/export/", pools.inspector_export, name="inspector_export"),
    path("inspectors/new/", pools.inspector_create, name="inspector_create"),
    path("inspectors/<int:pk>/", pools.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:pk>/edit/", pools.inspector_edit, name="inspector_edit"),
    path("inspectors/<int:pk>/status/", pools.inspector_status, name="inspector_status"),
    path("inspectors/<int:pk>/delete/", pools.inspector_delete, name="inspector_delete"),
    path("inspectors/<int:pk>/account/", pools.inspector_link_user, name="inspector_link_user"),
    path(
        "inspectors/<int:pk>/account/unlink/",
        pools.inspector_unlink_user,
        name="inspector_unlink_user",
    ),
    path("inspectors/<int:pk>/employments/", pools.employment_add, name="employment_add"),
    path("employments/<int:pk>/remove/", pools.employment_remove, name="employment_remove"),
    path("inspectors/<int:pk>/relatives/", pools.relative_add, name="relative_add"),
    path("relatives/<int:pk>/remove/", pools.relative_remove, name="relative_remove"),
    path(
        "inspectors/institution-options/",
        pools.institution_options,
        name="inspector_institution_options",
    ),
    # The expert pool (专家库)
    path("experts/", pools.expert_list, name="expert_list"),
    path("experts/export/", pools.expert_export, name="expert_export"),
    path("experts/new/", pools.expert_create, name="expert_create"),
    path("experts/<int:pk>/", pools.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/status/", pools.expert_status, name="expert_status"),
    path("experts/<int:pk>/phone/", pools.expert_reveal_phone, name="expert_reveal_phone"),
    # The inspection item list (抽查事项清单)
    path("items/", items.item_list, name="item_list"),
    path("items/export/", items.item_export, name="item_export"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/active/", items.item_active, name="item_active"),
    path("items/<int:pk>/delete/", items.item_delete, name="item_delete"),
    path("items/<int:pk>/checkpoints/", items.checkpoint_add, name="checkpoint_add"),
    path("checkpoints/<int:pk>/edit/", items.checkpoint_edit, name="checkpoint_edit"),
    path("checkpoints/<int:pk>/delete/", items.checkpoint_delete, name="checkpoint_delete"),
    path("checkpoints/<int:pk>/move/", items.checkpoint_move, name="checkpoint_move"),
]
