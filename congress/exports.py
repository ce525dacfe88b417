"""Helpers every app's Excel exports share: formula-safe cells and a workbook in memory.

A text cell that a spreadsheet would read as a formula (starting with = + - @, or a tab or a
carriage return) is prefixed with a quote, so a citizen's "=HYPERLINK(...)" stays text (SECURITY
S15). The exports themselves check their permission and log a security event ("export").
"""

import io

from openpyxl import Workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell value a spreadsheet shows as text, never evaluates (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook_bytes(title: str, headers, rows) -> bytes:
    """A one-sheet workbook: `headers` then `rows`, every cell made formula-safe."""
    return sheets_bytes([(title, headers, rows)])


def sheets_bytes(sheets) -> bytes:
    """A workbook of several sheets, each given as (title, headers, rows), every cell formula-safe."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([safe_cell(str(header)) for header in headers])
        for row in rows:
            sheet.append([safe_cell("" if value is None else value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
