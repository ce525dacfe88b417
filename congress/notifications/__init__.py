"""Notifications: the in-app inbox, email and SMS channels, urgent sends and the daily digest.

`services.notify()` is the one entry point for the other apps. It writes inbox rows at once and
leaves channel delivery to Celery after the transaction commits: urgent notifications go out
immediately (`congress.tasks.send_urgent_notification`), everything else waits for the daily
digest (`congress.tasks.send_daily_digests`), so a person gets at most one digest per channel a day.
"""
