"""The inbox: a paginated list of one's own notifications, mark one read, mark all read.

The same views serve the staff console and the deputy portal; only the layout differs. Marking is
a POST; an htmx request gets the updated row (or list) as a fragment, a plain one a redirect.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress import access, permissions
from congress.models import Notification
from congress.notifications import selectors, services

PAGE_SIZE = 20


def _list_context(request, interface: str) -> dict:
    unread_only = request.GET.get("show") == "unread"
    paginator = Paginator(selectors.inbox(request.user, unread_only=unread_only), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "interface": interface,
        "page_obj": page_obj,
        "notifications": list(page_obj.object_list),
        "unread_only": unread_only,
        "unread_total": selectors.unread_count(request.user),
    }


def _inbox(interface: str):
    @require_GET
    def view(request):
        context = _list_context(request, interface)
        if request.htmx and not request.htmx.boosted:
            return render(request, f"{interface}/notifications/_list.html", context)
        return render(request, f"{interface}/notifications/list.html", context)

    return view


def _read(interface: str):
    @require_POST
    def view(request, pk: int):
        try:
            notification = services.notification_mark_read(actor=request.user, notification_id=pk)
        except Notification.DoesNotExist:
            # Another person's notification looks exactly like a missing one.
            raise Http404 from None
        if request.htmx:
            return render(
                request,
                f"{interface}/notifications/_notification.html",
                {"interface": interface, "notification": notification},
            )
        # "Open" marks read and follows the link, but only to a page of this site.
        if "open" in request.POST and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(notification.url or reverse(f"{interface}:notifications"))
        return redirect(f"{interface}:notifications")

    return view


def _read_all(interface: str):
    @require_POST
    def view(request):
        count = services.notifications_mark_all_read(actor=request.user)
        if request.htmx:
            return render(request, f"{interface}/notifications/_list.html", _list_context(request, interface))
        if count:
            messages.success(request, _("All notifications are marked read."))
        return redirect(f"{interface}:notifications")

    return view


def _patterns(interface: str, predicate):
    guard = access.require(predicate)
    return [
        path("notifications/", guard(_inbox(interface)), name="notifications"),
        path("notifications/<int:pk>/read/", guard(_read(interface)), name="notification_read"),
        path("notifications/read-all/", guard(_read_all(interface)), name="notifications_read_all"),
    ]


console_patterns = _patterns("console", permissions.can_use_console)
portal_patterns = _patterns("portal", permissions.can_use_portal)
