"""A written report shown on the page as it prints: the workbook read back, not rebuilt.

    sheet_view(path) -> SheetView   first visible sheet: cells, merges, header rows, colours

Why read the file back instead of rendering the report context a second time: the page
must show what the clerk downloads and prints (a workspace's own template included),
and after a server restart the month's 一览表 is still the file on disk. Values come from
python-calamine (the cached results of the written formulas, as Excel shows them); the
colours come from the sheet's own conditional-formatting rules, evaluated here for the
forms the shipped templates use (`TRIM(I5)="红"`, `AND(H5<>"",ISNUMBER(--H5),--H5<=2)`,
cellIs comparisons), so a rank the template colours by place is coloured by the same rule
and the same thresholds as in Excel. A rule of another form is left uncoloured, never guessed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_MAX_PART = 20 * 1024 * 1024
_MAX_CELLS = 200_000


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    fill: str = ""  # '#RRGGBB' from a conditional format
    color: str = ""
    number: bool = False


@dataclass
class SheetView:
    name: str
    rows: list[list[Cell | None]] = field(default_factory=list)  # None: covered by a merge
    header_rows: int = 0  # the print-title rows (repeated on each printed page)
    widths: list[float] = field(default_factory=list)  # Excel column widths (characters)
    width: int = 0  # columns


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref)
    return int(m.group(2)) - 1, _col(m.group(1))


def _text(v) -> tuple[str, bool]:
    if v is None:
        return "", False
    if isinstance(v, bool):
        return ("TRUE" if v else "FALSE"), False
    if isinstance(v, float):
        return (str(int(v)) if v.is_integer() else f"{v:.10g}"), True
    if isinstance(v, int):
        return str(v), True
    return str(v), False


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > _MAX_PART:
        raise ValueError(f"{name} too large")
    return zf.read(name)


def _parts(path: Path, sheet_name: str):
    """(sheet XML root, styles root, print-title rows) of the sheet named `sheet_name`."""
    from defusedxml import ElementTree as ET

    with zipfile.ZipFile(path) as zf:
        wb = ET.fromstring(_read(zf, "xl/workbook.xml"))
        rels = ET.fromstring(_read(zf, "xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
        sheets = wb.findall("m:sheets/m:sheet", _NS)
        index, rid = next(((i, s.get(f"{{{_NS['r']}}}id")) for i, s in enumerate(sheets)
                           if s.get("name") == sheet_name), (0, sheets[0].get(f"{{{_NS['r']}}}id")))
        target = targets[rid]
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        sheet = ET.fromstring(_read(zf, part))
        styles = ET.fromstring(_read(zf, "xl/styles.xml")) if "xl/styles.xml" in zf.namelist() else None
        titles = 0
        for dn in wb.findall("m:definedNames/m:definedName", _NS):
            if dn.get("name") == "_xlnm.Print_Titles" and dn.get("localSheetId") == str(index):
                m = re.search(r"\$(\d+):\$(\d+)", dn.text or "")
                if m:
                    titles = int(m.group(2))
    return sheet, styles, titles


def _dxfs(styles) -> list[tuple[str, str]]:
    """(fill, font colour) of each differential format, as '#RRGGBB' or ''."""
    out = []
    if styles is None:
        return out
    for dxf in styles.findall("m:dxfs/m:dxf", _NS):
        fill = ""
        for tag in ("m:fill/m:patternFill/m:bgColor", "m:fill/m:patternFill/m:fgColor"):
            el = dxf.find(tag, _NS)
            if el is not None and el.get("rgb"):
                fill = "#" + el.get("rgb")[-6:]
                break
        font = dxf.find("m:font/m:color", _NS)
        out.append((fill, "#" + font.get("rgb")[-6:] if font is not None and font.get("rgb") else ""))
    return out


_CMP = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "<>": lambda a, b: a != b,
        "<": lambda a, b: a < b, ">": lambda a, b: a > b, "=": lambda a, b: a == b}
_REF = r"(\$?[A-Z]{1,3}\$?\d+)"


def _number(text: str):
    try:
        return float(text.strip())
    except (ValueError, AttributeError):
        return None


def _term(term: str, value_of) -> bool | None:
    """One condition of the forms our templates write; None when the form is not known."""
    term = term.strip()
    m = re.fullmatch(rf'(?:TRIM\()?{_REF}\)?\s*(=|<>)\s*"([^"]*)"', term)
    if m:
        text = value_of(m.group(1))
        text = text.strip() if term.startswith("TRIM(") else text
        return (text == m.group(3)) == (m.group(2) == "=")
    m = re.fullmatch(rf"ISNUMBER\((?:--)?{_REF}\)", term)
    if m:
        return _number(value_of(m.group(1))) is not None
    m = re.fullmatch(rf"(?:--)?{_REF}\s*(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d+)?)", term)
    if m:
        x = _number(value_of(m.group(1)))
        return x is not None and _CMP[m.group(2)](x, float(m.group(3)))
    return None


def _condition(formula: str, value_of) -> bool | None:
    f = formula.strip().lstrip("=")
    m = re.fullmatch(r"AND\((.*)\)", f)
    terms = _split_args(m.group(1)) if m else [f]
    results = [_term(t, value_of) for t in terms]
    if any(r is None for r in results):
        return None
    return all(results)


def _split_args(text: str) -> list[str]:
    out, depth, cur, quoted = [], 0, "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur]


def _shift(ref: str, dr: int, dc: int) -> tuple[int, int]:
    m = re.fullmatch(r"(\$?)([A-Z]{1,3})(\$?)(\d+)", ref)
    col = _col(m.group(2)) + (0 if m.group(1) else dc)
    row = int(m.group(4)) - 1 + (0 if m.group(3) else dr)
    return row, col


def _colours(sheet, dxfs, grid: list[list[str]]) -> dict[tuple[int, int], tuple[str, str]]:
    out: dict[tuple[int, int], tuple[str, str]] = {}

    def at(r: int, c: int) -> str:
        return grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else ""

    for cf in sheet.findall("m:conditionalFormatting", _NS):
        areas = []
        for part in (cf.get("sqref") or "").split():
            a, _, b = part.partition(":")
            r1, c1 = _ref(a)
            r2, c2 = _ref(b or a)
            areas.append((r1, c1, r2, c2))
        if not areas:
            continue
        top, left = areas[0][0], areas[0][1]
        rules = sorted(cf.findall("m:cfRule", _NS), key=lambda e: int(e.get("priority") or 0))
        for r1, c1, r2, c2 in areas:
            for r in range(r1, min(r2, len(grid) - 1) + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) in out:
                        continue
                    for rule in rules:
                        dxf = int(rule.get("dxfId", -1))
                        if not 0 <= dxf < len(dxfs):
                            continue
                        formulas = [f.text or "" for f in rule.findall("m:formula", _NS)]
                        hit = None
                        if rule.get("type") == "expression" and formulas:
                            def value_of(ref, dr=r - top, dc=c - left):
                                return at(*_shift(ref, dr, dc))
                            hit = _condition(formulas[0], value_of)
                        elif rule.get("type") == "cellIs" and formulas:
                            hit = _cell_is(rule.get("operator"), at(r, c), formulas)
                        if hit:
                            out[(r, c)] = dxfs[dxf]
                            break
    return out


def _cell_is(op: str | None, value: str, formulas: list[str]) -> bool | None:
    args = []
    for f in formulas:
        f = f.strip()
        if re.fullmatch(r'"[^"]*"', f):
            args.append(f[1:-1])
        elif _number(f) is not None:
            args.append(_number(f))
        else:
            return None
    x = _number(value) if all(isinstance(a, float) for a in args) else value
    if x is None or x == "":
        return False
    ops = {"equal": "=", "notEqual": "<>", "greaterThan": ">", "lessThan": "<", "greaterThanOrEqual": ">=",
           "lessThanOrEqual": "<="}
    if op in ops:
        return _CMP[ops[op]](x, args[0])
    if op in ("between", "notBetween") and len(args) == 2:
        inside = min(args) <= x <= max(args)
        return inside if op == "between" else not inside
    return None


def sheet_view(path: Path) -> SheetView:
    """The first visible sheet of the workbook at `path` (a report kaohe wrote)."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    meta = next((s for s in wb.sheets_metadata if str(s.visible).lower().endswith("visible")
                 and "hidden" not in str(s.visible).lower()), wb.sheets_metadata[0])
    sheet = wb.get_sheet_by_name(meta.name)
    values = sheet.to_python(skip_empty_area=False)
    width = max((len(r) for r in values), default=0)
    if len(values) * max(width, 1) > _MAX_CELLS:
        values = values[:_MAX_CELLS // max(width, 1)]
    grid = [[_text(v)[0] for v in row] + [""] * (width - len(row)) for row in values]
    xml, styles, titles = _parts(path, meta.name)
    colours = _colours(xml, _dxfs(styles), grid)
    view = SheetView(meta.name, header_rows=titles, width=width)
    widths = [8.43] * width
    for col in xml.findall("m:cols/m:col", _NS):
        for i in range(int(col.get("min", 1)) - 1, min(int(col.get("max", 1)), width)):
            widths[i] = float(col.get("width") or 8.43)
    view.widths = widths
    covered: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or []):
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1))
    for r, row in enumerate(values):
        line: list[Cell | None] = []
        for c in range(width):
            if (r, c) in covered:
                line.append(None)
                continue
            text, number = _text(row[c] if c < len(row) else None)
            rs, cs = spans.get((r, c), (1, 1))
            fill, color = colours.get((r, c), ("", ""))
            line.append(Cell(text, cs, rs, fill, color, number))
        view.rows.append(line)
    return view


__all__ = ["sheet_view", "SheetView", "Cell"]
