from django.urls import path

from kotacerdas.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.public_map, name="map"),
    path("peta.geojson", views.points, name="points"),
    path("feed.atom", views.ReportFeed(), name="feed"),
    path("baru/", views.choose_category, name="choose"),
    path("baru/<slug:category>/", views.new_report, name="new"),
    path("sekitar/", views.nearby, name="nearby"),
    path("foto/<int:photo_id>/", views.photo, name="photo"),
    path("langganan/", views.subscriptions, name="subscriptions"),
    path("statistik/", views.statistics, name="statistics"),
    path("staf/<str:code>/verifikasi/", views.staff_verify, name="staff_verify"),
    path("staf/<str:code>/jawab/", views.staff_answer, name="staff_answer"),
    path("staf/<str:code>/tutup/", views.staff_close, name="staff_close"),
    path("staf/<str:code>/tolak/", views.staff_reject, name="staff_reject"),
    path("staf/<str:code>/moderasi/", views.staff_moderate, name="staff_moderate"),
    path("<str:code>/", views.report_page, name="report"),
    path("<str:code>/dukung/", views.support, name="support"),
    path("<str:code>/ikuti/", views.follow, name="follow"),
    path("<str:code>/<str:action>/", views.reporter_action, name="reporter_action"),
]
