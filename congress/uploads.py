"""Uploaded files: checking them on the way in and serving them on the way out (SECURITY S16).

On the way in a file is judged by its first bytes and its size, never by its name alone or the
browser's content type, so a renamed HTML page or executable is refused. Files live under
MEDIA_ROOT, which no URL serves: every file goes out through a view that first applies the app's
predicate, then `serve_upload`, which only ever names a type it has recognised by the bytes.
Photos are checked more strictly, by decoding them: `congress.images.validate_photo`.
"""

import os

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from congress.images import sniff_image

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
# A file must start with one of these (a renamed executable or HTML page is refused).
MAGIC = {
    ".pdf": (b"%PDF",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}

PDF_SIGNATURE = b"%PDF-"
# A served file is a document, never a page: no script, no plugin, no form, not even same-origin.
_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def sniff_viewable(head: bytes) -> str | None:
    """The content type of an image or a PDF by its first bytes: the only kinds shown inline."""
    return sniff_image(head) or ("application/pdf" if head.startswith(PDF_SIGNATURE) else None)


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _check(upload, *, max_bytes: int, too_large, sniff, wrong_type):
    if upload.size > max_bytes:
        raise ValidationError(too_large, code="too_large")
    if sniff(_head(upload)) is None:
        raise ValidationError(wrong_type, code="bad_type")
    return upload


def validate_document(upload):
    """A PDF or an image of at most 10 MB."""
    return _check(upload, max_bytes=MAX_DOCUMENT_BYTES, too_large=_("The file is larger than 10 MB."),
                  sniff=sniff_viewable, wrong_type=_("Upload a PDF or an image."))


def validate_upload(upload) -> str:
    """Check an office document or scan by extension, leading bytes and size; return its content type."""
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(_("This file type is not accepted."), code="file_type")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="file_size")
    if not _head(upload, 8).startswith(MAGIC[extension]):
        raise ValidationError(_("The file content does not match its type."), code="file_type")
    return ALLOWED_ATTACHMENT_TYPES[extension]


def _known_type(name: str, head: bytes) -> str | None:
    extension = os.path.splitext(name)[1].lower()
    if extension in MAGIC and head.startswith(MAGIC[extension]):
        return ALLOWED_ATTACHMENT_TYPES[extension]
    return None


def serve_upload(field, *, filename: str | None = None, inline: bool = False, images_only: bool = False):
    """A stored file as a response the browser will not run: the caller has checked permission.

    Only an image or PDF recognised by its bytes may be shown inline (`inline=True`); anything else
    is a download, typed by what its bytes and name agree on, else application/octet-stream — so
    an HTML or SVG file that got in some other way is never rendered. `images_only` refuses (404)
    anything that is not a raster image, for <img> sources.
    """
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    viewable = sniff_image(head) if images_only else sniff_viewable(head)
    if images_only and viewable is None:
        handle.close()
        raise Http404
    name = filename or os.path.basename(field.name)
    response = FileResponse(
        handle, as_attachment=not (inline and viewable), filename=name,
        content_type=viewable or _known_type(field.name, head) or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not (inline and viewable == "application/pdf"):
        # Browsers' PDF viewers do not run in a sandboxed document; an inline PDF keeps the page
        # policy SecurityHeadersMiddleware gives it (no script, no plugin), like the generated PDFs.
        response["Content-Security-Policy"] = _FILE_CSP
    return response
