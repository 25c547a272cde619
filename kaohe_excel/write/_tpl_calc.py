"""Engine stage 3b: the value of a template's own formula (=SUM(C7:C15), =IF(N(C9)>0,D9/C9,"")),
worked out from the cells its sheet has already written and kept in the cell beside the formula.

Excel and WPS calculate every formula when they open a report (fullCalcOnLoad); a reader that
does not calculate (a phone's preview of a file sent on, python-calamine, pandas) shows only the
value kept in the file, and a 合计 without one reads blank. Only a small part of Excel's language
is worked out here, the part report totals use: numbers, text, TRUE/FALSE, references to cells
of the same sheet above the formula (or left of it in its row), ranges of them, + - * / ^ & and
the comparisons, and SUM, N, IF, IFERROR, ROUND, ABS, MIN, MAX, AVERAGE, COUNT, AND, OR, NOT.
Anything else (another sheet, a name, another function, a cell below, an error) keeps no value,
as before. Nothing here runs: the formula is read as data, its size bounded.
"""

from __future__ import annotations

import html
import math
import re
from decimal import ROUND_HALF_UP, Decimal

MAX_FORMULA = 2_000  # characters of a formula worked out (a report total is a few dozen)
MAX_CELLS = 100_000  # cells one formula may read through its ranges

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<range>\$?[A-Z]{1,3}\$?\d{1,7}:\$?[A-Z]{1,3}\$?\d{1,7})
  | (?P<ref>\$?[A-Z]{1,3}\$?\d{1,7})(?![A-Za-z0-9_(!.])
  | (?P<func>[A-Z][A-Z0-9.]*)\s*\(
  | (?P<bool>TRUE|FALSE)(?![A-Za-z0-9_(])
  | (?P<op><=|>=|<>|[-+*/^&=<>(),%])
)""", re.X)


_EXCEL_ERRORS = ("#DIV/0!", "#VALUE!", "#NUM!", "#ERROR")  # what IFERROR catches (anything else: not worked out)


class NotWorkedOut(Exception):
    """The formula is outside what is worked out here, or gives an Excel error: no kept value."""


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d{1,7})", ref)
    return int(m.group(2)), _col(m.group(1))


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None or m.end() == at:
            if text[at:].strip() == "":
                break
            raise NotWorkedOut(text[at:at + 10])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        at = m.end()
    return out


class _Range:
    def __init__(self, cells: list):
        self.cells = cells


class _Calc:
    """One formula of cell (row, col), over `known` ((row, col) -> number, text or bool; a
    cell not in it is blank)."""

    def __init__(self, known: dict, row: int, col: int):
        self.known, self.row, self.col = known, row, col
        self.read = 0

    def value_at(self, r: int, c: int):
        if r > self.row or (r == self.row and c >= self.col):
            raise NotWorkedOut("a cell not written yet")
        self.read += 1
        if self.read > MAX_CELLS:
            raise NotWorkedOut("too many cells")
        v = self.known.get((r, c))
        if isinstance(v, _ExcelError):
            raise NotWorkedOut("#ERROR")
        return v

    def run(self, text: str):
        if len(text) > MAX_FORMULA:
            raise NotWorkedOut("too long")
        self.toks, self.at = _tokens(text.lstrip("=")), 0
        v = self.compare()
        if self.at != len(self.toks):
            raise NotWorkedOut("left over")
        return self.scalar(v)

    # -- the grammar, Excel's precedence: comparisons < & < + - < * / < ^ < unary - < %
    def peek(self):
        return self.toks[self.at] if self.at < len(self.toks) else (None, None)

    def take(self, op: str) -> bool:
        return self.take_one((op,)) is not None

    def take_one(self, ops: tuple) -> str | None:
        """The next token when it is one of these operators (taken), else None."""
        kind, text = self.peek()
        if kind == "op" and text in ops:
            self.at += 1
            return text
        return None

    def compare(self):
        a = self.concat()
        while (op := self.take_one(("=", "<>", "<", ">", "<=", ">="))) is not None:
            a = _compare(op, self.scalar(a), self.scalar(self.concat()))
        return a

    def concat(self):
        a = self.additive()
        while self.take("&"):
            a = _text(self.scalar(a)) + _text(self.scalar(self.additive()))
        return a

    def additive(self):
        a = self.term()
        while (op := self.take_one(("+", "-"))) is not None:
            x, y = _num(self.scalar(a)), _num(self.scalar(self.term()))
            a = x + y if op == "+" else x - y
        return a

    def term(self):
        a = self.power()
        while (op := self.take_one(("*", "/"))) is not None:
            x, y = _num(self.scalar(a)), _num(self.scalar(self.power()))
            if op == "/" and y == 0:
                raise NotWorkedOut("#DIV/0!")
            a = x * y if op == "*" else x / y
        return a

    def power(self):
        a = self.unary()
        while self.take("^"):
            x, y = _num(self.scalar(a)), _num(self.scalar(self.unary()))
            try:
                a = float(x) ** y
            except (OverflowError, ZeroDivisionError, ValueError):
                raise NotWorkedOut("#NUM!") from None
            if isinstance(a, complex):
                raise NotWorkedOut("#NUM!")
        return a

    def unary(self):
        if self.take("-"):
            return -_num(self.scalar(self.unary()))
        if self.take("+"):
            return self.unary()
        a = self.primary()
        while self.take("%"):
            a = _num(self.scalar(a)) / 100
        return a

    def primary(self):
        kind, text = self.peek()
        self.at += 1
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "bool":
            return text == "TRUE"
        if kind == "ref":
            return self.value_at(*_cell(text))
        if kind == "range":
            (r1, c1), (r2, c2) = (_cell(x) for x in text.split(":"))
            if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_CELLS:
                raise NotWorkedOut("too many cells")
            return _Range([self.value_at(r, c) for r in range(min(r1, r2), max(r1, r2) + 1)
                           for c in range(min(c1, c2), max(c1, c2) + 1)])
        if kind == "func":
            return self.call(text)
        if (kind, text) == ("op", "("):
            v = self.compare()
            if not self.take(")"):
                raise NotWorkedOut("(")
            return v
        raise NotWorkedOut(str(text))

    def args(self) -> list:
        """The arguments, as their values; IF's and IFERROR's are worked out by `call` itself."""
        out = []
        if self.take(")"):
            return out
        while True:
            out.append(self.compare())
            if self.take(")"):
                return out
            if not self.take(","):
                raise NotWorkedOut(",")

    def call(self, name: str):
        if name == "IF":
            return self._if()
        if name == "IFERROR":
            start, failed = self.at, False
            try:
                got = self.scalar(self.compare())
            except NotWorkedOut as e:
                if str(e) not in _EXCEL_ERRORS:
                    raise
                self.at, failed = start, True
                self._skip_argument()
            if not self.take(","):
                raise NotWorkedOut(",")
            if failed:
                got = self.scalar(self.compare())
            else:
                self._skip_argument()
            if not self.take(")"):
                raise NotWorkedOut(")")
            return got
        args = self.args()
        if name in ("SUM", "MIN", "MAX", "AVERAGE", "COUNT"):
            nums = [x for a in args for x in _numbers_of(a)]
            if name == "SUM":
                return math.fsum(nums)
            if name == "COUNT":
                return float(len(nums))
            if name == "AVERAGE":
                if not nums:
                    raise NotWorkedOut("#DIV/0!")
                return math.fsum(nums) / len(nums)
            return (min(nums) if name == "MIN" else max(nums)) if nums else 0.0
        if name == "N" and len(args) == 1:
            v = self.scalar(args[0])
            return float(v) if isinstance(v, (int, float)) else 0.0
        if name == "ROUND" and len(args) == 2:
            x, d = _num(self.scalar(args[0])), int(_num(self.scalar(args[1])))
            q = Decimal(1).scaleb(-d)
            return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))
        if name == "ABS" and len(args) == 1:
            return abs(_num(self.scalar(args[0])))
        if name in ("AND", "OR") and args:
            vals = [_truth(self.scalar(a)) for a in args]
            return all(vals) if name == "AND" else any(vals)
        if name == "NOT" and len(args) == 1:
            return not _truth(self.scalar(args[0]))
        raise NotWorkedOut(name)

    def _if(self):
        cond = _truth(self.scalar(self.compare()))
        if not self.take(","):
            raise NotWorkedOut(",")
        if cond:
            got = self.compare()
            if self.take(","):
                self._skip_argument()
        else:
            self._skip_argument()
            got = self.compare() if self.take(",") else False
        if not self.take(")"):
            raise NotWorkedOut(")")
        return got

    def _skip_argument(self) -> None:
        """Past one argument without working it out (the branch IF does not take)."""
        depth = 0
        while self.at < len(self.toks):
            kind, text = self.toks[self.at]
            if kind == "func" or (kind, text) == ("op", "("):
                depth += 1
            elif (kind, text) == ("op", ")"):
                if depth == 0:
                    return
                depth -= 1
            elif (kind, text) == ("op", ",") and depth == 0:
                return
            self.at += 1
        raise NotWorkedOut("end")

    def scalar(self, v):
        if isinstance(v, _Range):
            if len(v.cells) != 1:
                raise NotWorkedOut("#VALUE!")
            return v.cells[0]
        return v


def _numbers_of(v) -> list[float]:
    """The numbers SUM takes: every number of a range (text and blanks left out), a value given."""
    if isinstance(v, _Range):
        return [float(x) for x in v.cells if isinstance(x, (int, float)) and not isinstance(x, bool)]
    if v is None:
        return []
    return [_num(v)]


def _num(v) -> float:
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).strip())
    except ValueError:
        raise NotWorkedOut("#VALUE!") from None


def _text(v) -> str:
    if isinstance(v, _Opaque):
        raise NotWorkedOut("text not known")
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return f"{v:.15g}"
    return str(v)


def _truth(v) -> bool:
    if isinstance(v, str):
        raise NotWorkedOut("#VALUE!")
    return _num(v) != 0


def _compare(op: str, a, b) -> bool:
    a = "" if a is None and isinstance(b, str) else (0.0 if a is None else a)
    b = "" if b is None and isinstance(a, str) else (0.0 if b is None else b)
    if isinstance(a, _Opaque) or isinstance(b, _Opaque):
        raise NotWorkedOut("text not known")
    if isinstance(a, str) != isinstance(b, str):
        raise NotWorkedOut("text against a number")  # (Excel puts every text after every number)
    if isinstance(a, str):
        a, b = a.casefold(), b.casefold()
    else:
        a, b = _num(a), _num(b)
    return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def worked_out(text: str, known: dict, row: int, col: int):
    """The value of formula `text` in cell (row, col), or None when it is not worked out here.
    A number to Excel's 15 significant digits (0.1 + 0.2 is kept as 0.3, as Excel shows it)."""
    try:
        v = _Calc(known, row, col).run(text)
    except (NotWorkedOut, RecursionError, OverflowError, ValueError, ArithmeticError):
        return None
    if isinstance(v, bool) or isinstance(v, str):
        return v
    if v is None:
        return 0.0  # =A1 of a blank cell shows 0
    if not math.isfinite(v):
        return None
    return float(f"{v:.15g}")


_V = re.compile(r"<v>([^<]*)</v>")


def value_written(cell_xml: str):
    """What a <c> element the sheet wrote holds, as a formula reads it: a number, text, a bool, or
    None (blank)."""
    if ' t="s"' in cell_xml:
        return _OPAQUE  # the template's shared text: text, whose words are not looked up
    if "<is>" in cell_xml or ' t="inlineStr"' in cell_xml or ' t="str"' in cell_xml:
        m = re.search(r"<t[^>]*>([^<]*)</t>|<v>([^<]*)</v>", cell_xml)
        return html.unescape(m.group(1) or m.group(2) or "") if m else ""
    m = _V.search(cell_xml)
    if m is None:
        return None
    if ' t="b"' in cell_xml:
        return m.group(1) == "1"
    if ' t="e"' in cell_xml:
        return _ERROR
    try:
        return float(m.group(1))
    except ValueError:
        return None


class _ExcelError(str):
    pass


class _Opaque(str):
    """Text whose words are not known here: fine for SUM and N (text), not for & or =."""


_ERROR = _ExcelError("#ERROR")
_OPAQUE = _Opaque("")


__all__ = ["worked_out", "value_written", "NotWorkedOut"]
