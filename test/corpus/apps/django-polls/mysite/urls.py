"""The Django tutorial's project urlconf: an app included under a prefix, an API module included by object."""
from django.urls import include, path

from polls import api_urls, views

urlpatterns = [
    path("polls/", include("polls.urls")),
    path("api/v1/", include(api_urls)),
    path("", views.home),
]
