"""How clerks' workbooks look, for fixtures: thin borders, wrapped centred text."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Side

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def box(ws, top, left, bottom, right):
    """Borders and wrapped text over a block of cells, as the office's tables have them."""
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):
        for c in row:
            c.border = BOX
            c.alignment = WRAP


def put_rows(ws, first_row: int, rows) -> int:
    """Write rows from `first_row` (blank values left empty); the last row written."""
    r = first_row - 1
    for row in rows:
        r += 1
        for i, v in enumerate(row, 1):
            if v is not None and v != "":
                ws.cell(r, i, v)
    return r
