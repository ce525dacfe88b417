"""Copy the npm-built front-end libraries from node_modules/ into static/vendor/.

Nothing is fetched from a CDN (SECURITY S11: the CSP allows only our own origin), so Bootstrap,
Bootstrap Icons and ECharts are installed with `npm ci` and copied here; the paths match
`congress.checks.VENDOR_FILES`. htmx is not copied: django-htmx ships it as a static file.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# (source under node_modules/, destination under static/vendor/). Source maps are copied along
# with the files that name them, because the manifest storage of `collectstatic` follows every
# `sourceMappingURL` comment and fails on a missing target.
FILES = (
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/css/bootstrap.min.css.map"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/js/bootstrap.bundle.min.js.map"),
    ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/font/bootstrap-icons.min.css"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
)
DIRECTORIES = (("bootstrap-icons/font/fonts", "bootstrap-icons/font/fonts"),)


class Command(BaseCommand):
    help = "Copy Bootstrap, Bootstrap Icons and ECharts from node_modules/ into static/vendor/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--node-modules",
            default=str(settings.BASE_DIR / "node_modules"),
            help="The node_modules directory to copy from (default: the project's).",
        )

    def handle(self, *args, **options):
        source_root = Path(options["node_modules"])
        target_root = settings.BASE_DIR / "static" / "vendor"
        missing = [source for source, _target in FILES + DIRECTORIES if not (source_root / source).exists()]
        if missing:
            raise CommandError(f"Missing in {source_root}: {', '.join(missing)}. Run `npm ci` first.")
        for source, target in FILES:
            destination = target_root / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_root / source, destination)
        for source, target in DIRECTORIES:
            destination = target_root / target
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(source_root / source, destination)
        self.stdout.write(
            self.style.SUCCESS(f"Copied {len(FILES)} files and {len(DIRECTORIES)} folders to {target_root}")
        )
