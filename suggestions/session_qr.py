"""The QR code on the session's projector screen, as inline SVG.

Drawn from reportlab's QR encoder (already a dependency for the printed cards), as one path of
dark modules with presentation attributes only: the page's Content-Security-Policy forbids
inline style attributes, and no image library or CDN is involved. The code carries only the
session's portal URL, which opens nothing without a login.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reportlab.graphics.barcode import qrencoder

QUIET_ZONE = 4  # modules of white border the QR standard asks for


def qr_svg(url: str, *, label: str = "") -> SafeString:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    count = code.getModuleCount()
    side = count + 2 * QUIET_ZONE
    path = "".join(
        f"M{column + QUIET_ZONE} {row + QUIET_ZONE}h1v1h-1z"
        for row in range(count)
        for column in range(count)
        if code.isDark(row, column)
    )
    return mark_safe(  # noqa: S308 -- built from numbers and an escaped label only
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" '
        f'aria-label="{escape(label)}" shape-rendering="crispEdges" class="session-qr">'
        f'<rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )
