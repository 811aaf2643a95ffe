from django.urls import path

from kotacerdas.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("dua-langkah/", views.two_factor, name="two_factor"),
    path("keluar/", views.logout_view, name="logout"),
    path("masuk-kode/", views.quick_signin, name="quick_signin"),
    path("masuk-kode/konfirmasi/", views.quick_signin_confirm, name="quick_signin_confirm"),
    path("daftar/", views.register, name="register"),
    path("verifikasi/", views.verify, name="verify"),
    path("lupa-sandi/", views.reset_request, name="reset"),
    path("lupa-sandi/kode/", views.reset_confirm, name="reset_confirm"),
    path("", views.profile, name="profile"),
]
