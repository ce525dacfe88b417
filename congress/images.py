"""Photos people upload (SECURITY S16): checked by what the bytes are, decoded by Pillow, never by
the file name or the browser's content type, at most 5 MB. They are served back only through a view
that has checked permission, by `congress.uploads.serve_upload(..., images_only=True)`.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Pillow's format name → the content type served; the formats phone cameras produce and browsers show.
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_image(head: bytes) -> str | None:
    """The content type of an image by its first bytes (JPEG, PNG, WebP), or None: the cheap check
    for serving a file that was fully checked on upload."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_content_type(upload) -> str | None:
    """What Pillow finds the upload to be (JPEG, PNG or WebP, decodable), or None."""
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            image.verify()
            found = CONTENT_TYPES.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        found = None
    upload.seek(0)
    return found


def validate_photo(upload) -> str:
    """Refuse anything but a JPEG, PNG or WebP photo of at most 5 MB, with a message in the user's
    language; rename the upload to a random name with the extension of what it is. Returns its
    content type."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."), code="too_large")
    content_type = image_content_type(upload)
    if content_type is None:
        raise ValidationError(_("Upload a JPEG, PNG or WebP photo."), code="not_an_image")
    upload.name = uuid.uuid4().hex + EXTENSIONS[content_type]
    return content_type

