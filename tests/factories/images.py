"""Real, tiny images for upload tests: the upload checks decode the bytes with Pillow, so a
made-up file header is (rightly) refused."""

import io

from PIL import Image


def image_bytes(format_: str = "JPEG", size=(8, 8), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=format_)
    return buffer.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")
WEBP = image_bytes("WEBP")
