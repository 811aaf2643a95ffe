from django.urls import path

from kotacerdas.events import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("saya/", views.mine, name="mine"),
    path("sertifikat/", views.certificate_verify, name="certificate_verify_form"),
    path("sertifikat/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("hadir/<str:code>/", views.check_in, name="check_in"),
    path("staf/<slug:slug>/", views.staff_event, name="staff_event"),
    path("staf/<slug:slug>/kehadiran.csv", views.attendance_csv, name="attendance_csv"),
    path("<slug:slug>/", views.event, name="event"),
    path("<slug:slug>/daftar/", views.register, name="register"),
    path("<slug:slug>/batal/", views.cancel, name="cancel"),
    path("<slug:slug>/materi/<int:material_id>/", views.material, name="material"),
    path("<slug:slug>/sertifikat/", views.certificate, name="certificate"),
]
