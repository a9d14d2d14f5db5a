from django.urls import path

from weijian.accounts import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/remove/", views.otp_remove, name="otp_remove"),
    path("me/", views.profile, name="profile"),
    path("users/", manage_views.user_list, name="user_list"),
    path("users/new/", manage_views.user_create, name="user_create"),
    path("users/<int:pk>/", manage_views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", manage_views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/unlock/", manage_views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/phone/", manage_views.user_reveal_phone, name="user_reveal_phone"),
    path("security/", manage_views.security_policy, name="security_policy"),
]
