from django.urls import path

from kotacerdas.cases import views

app_name = "cases"

urlpatterns = [
    path("lacak/", views.track, name="track"),
    path("perkara-saya/", views.my_cases, name="mine"),
    path("perkara-saya/<str:code>/", views.my_case, name="my_case"),
    path("staf/", views.inbox, name="inbox"),
    path("staf/perkara/<str:code>/", views.staff_case, name="staff_case"),
    path("staf/perkara/<str:code>/status/", views.staff_transition, name="staff_transition"),
    path("staf/perkara/<str:code>/komentar/", views.staff_comment, name="staff_comment"),
    path("staf/perkara/<str:code>/disposisi/", views.staff_handover, name="staff_handover"),
    path("staf/perkara/<str:code>/tugaskan/", views.staff_assign, name="staff_assign"),
]
