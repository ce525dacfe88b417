"""URL patterns of this app, one list per interface; congress/urls.py mounts them."""

console_patterns = []
portal_patterns = []
public_patterns = []
api_patterns = []
