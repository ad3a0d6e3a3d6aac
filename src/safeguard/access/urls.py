from django.urls import path

from safeguard.access import views

urlpatterns = [
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", views.two_factor_set_up, name="two-factor-set-up"),
    path("sign-in/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("sign-out/", views.LogoutView.as_view(), name="logout"),
]
