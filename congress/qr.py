"""QR codes drawn by reportlab's own widget: as a drawing for PDFs, or as inline SVG for a page.

No image library and no external service: the code is computed here and served by the platform.
"""

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def qr_drawing(text: str, side: float) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def qr_svg(text: str, side: float = 200) -> str:
    """The SVG element alone (no XML declaration), ready to be placed in a template."""
    svg = renderSVG.drawToString(qr_drawing(text, side))
    return svg[svg.index("<svg") :]
