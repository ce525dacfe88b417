"""The public site's front page; the station directory and deputy look-up come with their apps."""

from django.shortcuts import render
from django.urls import path

from congress import access


@access.public
def home(request):
    return render(request, "public/congress/home.html")


urlpatterns = [
    path("", home, name="home"),
]
