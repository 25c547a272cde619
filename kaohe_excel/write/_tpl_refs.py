"""Cell references inside formulas, for the template engine.

A formula is cut once into literal text and `Ref` pieces; rendering it again for
another row only maps the row numbers of the pieces, so a loop row's formula costs
a few string joins per output row. Only row numbers ever change: columns are never
inserted by the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A name character is A-Z a-z 0-9 _ . or U+00A1..U+FFFF. Written as what it is not: a class
# with a large range is compiled by walking every code point of it (about 5 ms at import),
# its complement here has only small ranges (tests/test_code_cache.py checks they agree).
_NAME_CHAR = r"[^\x00-\x2d\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\xa0\U00010000-\U0010ffff]"
_IDENT = re.compile(r"[^\x00-\x2d\x2f\x3a-\x40\x5b\x5d-\x5e\x60\x7b-\xa0\U00010000-\U0010ffff]")  # name char or \
_REF = re.compile(
    r"(?P<sheet>'(?:[^']|'')+'!|" + _NAME_CHAR + r"+!)?"
    r"(?:"
    r"(?P<c1>\$?[A-Za-z]{1,3})(?P<r1>\$?[0-9]{1,7})(?::(?P<c2>\$?[A-Za-z]{1,3})(?P<r2>\$?[0-9]{1,7}))?"
    r"|(?P<rr1>\$?[0-9]{1,7}):(?P<rr2>\$?[0-9]{1,7})"
    r"|(?P<cc1>\$?[A-Za-z]{1,3}):(?P<cc2>\$?[A-Za-z]{1,3})"
    r")"
    r"(?![^\x00-\x20\x22-\x27\x29-\x2d\x2f\x3a-\x40\x5c-\x5e\x60\x7b-\xa0\U00010000-\U0010ffff])"  # name char ( ! [
)
_ERR = re.compile(r"#(?:REF!|N/A|DIV/0!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)")
MAX_ROW = 1048576


def col_to_num(col: str) -> int:
    n = 0
    for ch in col.upper():
        n = n * 26 + ord(ch) - 64
    return n


def num_to_col(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def split_cell(ref: str) -> tuple[int, int]:
    """'$B$12' -> (row 12, col 2)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?([0-9]+)", ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_to_num(m.group(1))


def unquote_sheet(tok: str) -> str:
    """"'My sheet'!" -> "My sheet"."""
    tok = tok[:-1] if tok.endswith("!") else tok
    if tok.startswith("'") and tok.endswith("'"):
        return tok[1:-1].replace("''", "'")
    return tok


def quote_sheet(name: str) -> str:
    """'Sheet1' -> 'Sheet1!'; anything not a plain ASCII identifier is quoted (always valid)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and not re.fullmatch(
        r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*|TRUE|FALSE", name, re.I
    ):
        return name + "!"
    return "'" + name.replace("'", "''") + "'!"


@dataclass(slots=True)
class Ref:
    """One reference: a cell, an area, whole rows or whole columns."""

    sheet: str | None  # unquoted sheet name, None when the formula's own sheet
    kind: str  # "cell" | "area" | "rows" | "cols" | "raw"
    c1: str = ""  # column text with its '$' (cell/area/cols)
    c2: str = ""
    r1: int = 0
    r2: int = 0
    abs1: bool = False  # row absolute ($5)
    abs2: bool = False
    raw: str = ""  # the original text

    def text(self, sheet_tok: str | None, r1: int, r2: int) -> str:
        p = sheet_tok or ""
        d1 = "$" if self.abs1 else ""
        d2 = "$" if self.abs2 else ""
        if self.kind == "cell":
            return f"{p}{self.c1}{d1}{r1}"
        if self.kind == "area":
            return f"{p}{self.c1}{d1}{r1}:{self.c2}{d2}{r2}"
        if self.kind == "rows":
            return f"{p}{d1}{r1}:{d2}{r2}"
        return p + self.raw_body()

    def raw_body(self) -> str:
        return self.raw.split("!")[-1] if self.sheet is not None else self.raw


def parse_formula(text: str) -> list:
    """Cut a formula (without its leading '=') into str and Ref pieces."""
    parts: list = []
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            buf.append(text[i : j + 1])
            i = j + 1
            continue
        if ch == "[":
            depth, j = 0, i
            while j < n:
                if text[j] == "[":
                    depth += 1
                elif text[j] == "]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            # an external workbook ref [1]Sheet!A1: keep it whole, with what follows
            m = _REF.match(text, j + 1)
            end = m.end() if m and m.group("sheet") else j + 1
            buf.append(text[i:end])
            i = end
            continue
        if ch == "#":
            m = _ERR.match(text, i)
            if m:
                buf.append(m.group(0))
                i = m.end()
                continue
        if ch == "'" or _IDENT.match(ch) or ch == "$":
            prev = text[i - 1] if i else ""
            if not (prev and (_IDENT.match(prev) or prev in "'$")):
                m = _REF.match(text, i)
                if m:
                    if buf:
                        parts.append("".join(buf))
                        buf = []
                    parts.append(_make_ref(m))
                    i = m.end()
                    continue
        buf.append(ch)
        i += 1
    if buf:
        parts.append("".join(buf))
    return parts


def _make_ref(m: re.Match) -> Ref:
    g = m.group
    sheet = unquote_sheet(g("sheet")) if g("sheet") else None
    if g("c1"):
        r1 = g("r1")
        if g("c2"):
            r2 = g("r2")
            return Ref(sheet, "area", g("c1"), g("c2"), int(r1.lstrip("$")), int(r2.lstrip("$")),
                       r1.startswith("$"), r2.startswith("$"), m.group(0))
        return Ref(sheet, "cell", g("c1"), "", int(r1.lstrip("$")), int(r1.lstrip("$")),
                   r1.startswith("$"), r1.startswith("$"), m.group(0))
    if g("rr1"):
        a, b = g("rr1"), g("rr2")
        return Ref(sheet, "rows", "", "", int(a.lstrip("$")), int(b.lstrip("$")),
                   a.startswith("$"), b.startswith("$"), m.group(0))
    return Ref(sheet, "cols", g("cc1"), g("cc2"), 0, 0, False, False, m.group(0))


def translate(text: str, dr: int, dc: int) -> str:
    """A formula (without '=') as it reads moved dr rows and dc columns: relative references
    shift, absolute ones ($A$1) stay (a shared formula's text for each of its cells)."""
    def col(c: str) -> str:
        return c if c.startswith("$") else num_to_col(max(col_to_num(c) + dc, 1))

    out = []
    for p in parse_formula(text):
        if isinstance(p, str) or p.kind == "raw":
            out.append(p if isinstance(p, str) else p.raw)
            continue
        tok = p.raw[:p.raw.rindex("!") + 1] if p.sheet is not None else ""
        r1 = p.r1 if p.abs1 else max(p.r1 + dr, 1)
        r2 = p.r2 if p.abs2 else max(p.r2 + dr, 1)
        d1, d2 = ("$" if p.abs1 else ""), ("$" if p.abs2 else "")
        if p.kind == "cell":
            out.append(f"{tok}{col(p.c1)}{d1}{r1}")
        elif p.kind == "area":
            out.append(f"{tok}{col(p.c1)}{d1}{r1}:{col(p.c2)}{d2}{r2}")
        elif p.kind == "rows":
            out.append(f"{tok}{d1}{r1}:{d2}{r2}")
        else:
            out.append(f"{tok}{col(p.c1)}:{col(p.c2)}")
    return "".join(out)


def parse_range(text: str) -> tuple[int, int, int, int]:
    """'B5:D7' or 'B5' (no sheet, no $ needed) -> (r1, c1, r2, c2)."""
    text = text.replace("$", "")
    if ":" in text:
        a, b = text.split(":", 1)
    else:
        a = b = text
    ra, ca = split_cell(a)
    rb, cb = split_cell(b)
    return min(ra, rb), min(ca, cb), max(ra, rb), max(ca, cb)


def range_text(r1: int, c1: int, r2: int, c2: int) -> str:
    a = f"{num_to_col(c1)}{r1}"
    if r1 == r2 and c1 == c2:
        return a
    return f"{a}:{num_to_col(c2)}{r2}"
