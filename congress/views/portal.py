"""The deputy portal's own pages: home and "me". The apps add my suggestions, duty record, shifts."""

from django.shortcuts import render
from django.urls import path

from congress import access, permissions

portal_only = access.require(permissions.can_use_portal)


@portal_only
def home(request):
    return render(request, "portal/congress/home.html")


@portal_only
def me(request):
    grants = list(permissions.grants(request.user))
    return render(request, "portal/congress/me.html", {"grants": grants})


urlpatterns = [
    path("", home, name="home"),
    path("me/", me, name="me"),
]
