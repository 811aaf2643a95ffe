from django.urls import path

from kotacerdas.services import views

app_name = "services"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("statistik/", views.statistics, name="statistics"),
    path("verifikasi/", views.verify, name="verify_form"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("berkas-draf/<int:upload_id>/", views.draft_file, name="draft_file"),
    path("permohonan/<str:code>/tanda-terima.pdf", views.receipt, name="receipt"),
    path("permohonan/<str:code>/berkas/<int:upload_id>/", views.application_file, name="file"),
    path("permohonan/<str:code>/dokumen/<int:document_id>/", views.document_file, name="document"),
    path("permohonan/<str:code>/dokumen/<int:document_id>/nama/", views.document_visibility,
         name="document_visibility"),
    path("permohonan/<str:code>/perbaiki/", views.revise, name="revise"),
    path("survei/<str:code>/", views.survey, name="survey"),
    path("staf/<str:code>/perbaikan/", views.staff_revision, name="staff_revision"),
    path("staf/<str:code>/tolak/", views.staff_reject, name="staff_reject"),
    path("staf/<str:code>/selesai/", views.staff_finish, name="staff_finish"),
    path("<slug:slug>/", views.service_detail, name="detail"),
    path("<slug:slug>/ajukan/", views.apply, name="apply"),
    path("<slug:slug>/statistik/", views.service_statistics, name="service_statistics"),
]
