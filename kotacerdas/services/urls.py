from django.urls import path

from kotacerdas.services import views

app_name = "services"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("<slug:slug>/", views.service_detail, name="detail"),
]
