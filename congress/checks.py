"""System checks: warn when the npm-built vendor assets have not been copied into static/."""

from django.conf import settings
from django.core.checks import Warning, register

VENDOR_FILES = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/font/bootstrap-icons.min.css",
    "vendor/echarts/echarts.min.js",
)


@register()
def vendor_assets_present(app_configs, **kwargs):
    static_dir = settings.BASE_DIR / "static"
    missing = [name for name in VENDOR_FILES if not (static_dir / name).exists()]
    if not missing:
        return []
    return [
        Warning(
            f"Front-end vendor files are missing: {', '.join(missing)}",
            hint="Run `npm ci && python manage.py vendor_assets` (make assets does both).",
            id="congress.W001",
        )
    ]
