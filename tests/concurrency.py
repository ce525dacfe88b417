"""Running calls at the same moment on separate database connections (PostgreSQL-only tests)."""

import threading

from django.db import connection


def at_once(*calls) -> list:
    """Start every call together, each in its own thread and connection; returns their results,
    or the exception a call raised, in the order the calls finished."""
    barrier, results = threading.Barrier(len(calls)), []

    def run(call):
        barrier.wait()
        try:
            results.append(call())
        except Exception as error:  # noqa: BLE001  (the caller asserts on it)
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
