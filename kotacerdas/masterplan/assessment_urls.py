"""Kominfo's evaluation, the SPBE self-assessment and the exports (included by urls.py)."""

from django.urls import path

from kotacerdas.masterplan import assessment_views as views

urlpatterns = [
    path("spbe/", views.spbe, name="spbe"),
    path("evaluasi/", views.evaluation, name="evaluation"),
    path("unduh/masterplan.xlsx", views.export_xlsx, name="export_xlsx"),
    path("unduh/masterplan.pdf", views.export_pdf, name="export_pdf"),
    path("kelola/spbe/", views.spbe_manage, name="spbe_manage"),
    path("kelola/spbe/<int:year>/", views.spbe_edit, name="spbe_edit"),
    path("kelola/spbe/<int:year>/final/", views.spbe_finalise, name="spbe_finalise"),
    path("kelola/spbe/<int:year>/buka/", views.spbe_reopen, name="spbe_reopen"),
    path("kelola/evaluasi/", views.evaluation_manage, name="evaluation_manage"),
    path("kelola/evaluasi/<int:year>/<int:stage>/", views.evaluation_edit, name="evaluation_edit"),
    path("kelola/evaluasi/<int:year>/<int:stage>/final/", views.evaluation_finalise,
         name="evaluation_finalise"),
    path("kelola/evaluasi/<int:year>/<int:stage>/buka/", views.evaluation_reopen,
         name="evaluation_reopen"),
]
