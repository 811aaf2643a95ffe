from django.urls import path

from kotacerdas.information import news_views, views

app_name = "information"

urlpatterns = [
    path("", views.home, name="home"),
    path("ppid/", views.ppid, name="ppid"),
    path("ppid/ajukan/", views.request_new, name="request_new"),
    path("ppid/register/", views.register, name="register"),
    path("ppid/daftar-informasi/", views.dip, name="dip"),
    path("ppid/laporan/", views.report, name="report"),
    path("ppid/<str:code>/keberatan/", views.objection_new, name="objection_new"),
    path("ppid/<str:code>/berkas/<int:file_id>/", views.answer_file, name="answer_file"),
    path("staf/ppid/<str:code>/perpanjang/", views.staff_extend, name="staff_extend"),
    path("staf/ppid/<str:code>/putus/", views.staff_decide, name="staff_decide"),
    path("staf/ppid/<str:code>/keberatan/", views.staff_objection, name="staff_objection"),
]

# News, announcements, documents and each OPD's page (news_views).
urlpatterns += [
    path("berita/", news_views.news_list, name="news_list"),
    path("berita/feed/", news_views.NewsFeed(), name="news_feed"),
    path("berita/<slug:slug>/", news_views.news_detail, name="news_detail"),
    path("berita/<slug:slug>/gambar/", news_views.news_image, name="news_image"),
    path("dokumen/", news_views.document_list, name="document_list"),
    path("dokumen/<int:document_id>/", news_views.document_detail, name="document_detail"),
    path("dokumen/<int:document_id>/unduh/", news_views.document_download, name="document_download"),
    path("opd/<slug:code>/", news_views.agency_page, name="agency"),
    path("staf/berita/", news_views.staff_news, name="staff_news"),
    path("staf/berita/baru/", news_views.staff_news_edit, name="staff_news_new"),
    path("staf/berita/<int:news_id>/", news_views.staff_news_edit, name="staff_news_edit"),
    path("staf/dokumen/baru/", news_views.staff_document_new, name="staff_document_new"),
    path("staf/dokumen/<int:document_id>/", news_views.staff_document_edit, name="staff_document_edit"),
]
