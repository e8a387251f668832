from django.urls import path, re_path

from .views import question_list
from . import views

urlpatterns = [
    path("questions/", question_list),
    re_path(r"^questions/(?P<pk>[0-9]+)/$", views.question_detail),
]
