"""Template context shared by every layout: the navigation the user's roles allow."""


def navigation(request):
    return {}
