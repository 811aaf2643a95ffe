from django.urls import include, path

from kotacerdas.masterplan import views

app_name = "masterplan"

urlpatterns = [
    path("", views.home, name="home"),
    path("peta-jalan/", views.roadmap, name="roadmap"),
    path("opd/", views.agencies, name="agencies"),
    path("program/<slug:code>/", views.programme, name="programme"),
    path("kelola/", views.mine, name="mine"),
    path("kelola/indikator/<int:indicator_id>/<int:year>/", views.realisation_form, name="realisation"),
    path("kelola/bukti/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("kelola/bukti/<int:evidence_id>/hapus/", views.evidence_delete, name="evidence_delete"),
    path("kelola/verifikasi/", views.review_queue, name="review_queue"),
    path("kelola/verifikasi/<int:realisation_id>/", views.review, name="review"),
    path("kelola/rencana/", views.plan_edit, name="plan_edit"),
    path("kelola/program/", views.programmes_manage, name="programmes_manage"),
    path("kelola/program/baru/", views.programme_edit, name="programme_add"),
    path("kelola/program/<slug:code>/", views.programme_edit, name="programme_edit"),
    path("kelola/program/<slug:code>/indikator/baru/", views.indicator_edit, name="indicator_add"),
    path("kelola/program/<slug:code>/indikator/<int:indicator_id>/", views.indicator_edit,
         name="indicator_edit"),
    path("", include("kotacerdas.masterplan.assessment_urls")),
]
