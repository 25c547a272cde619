"""Engine stage 4a, one cell: a rendered value becomes the XML of one <c> element
(numbers, text as inline strings, booleans, dates as serials, `Formula` as a live
formula with its cached value)."""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re

import jinja2

from kaohe_excel.write._tpl_package import esc
from kaohe_excel.write._tpl_refs import num_to_col
from kaohe_excel.write._tpl_sandbox import CELL_CHARS
from kaohe_excel.write._tpl_styles import DATE_FMT, DATETIME_FMT


class Formula:
    """A value the report code (never a file) hands a cell so it stays a live Excel formula:
    a clerk who edits the cells it reads sees it follow, as conditional formatting does.
    `text` names cells of the same output row as {field}: the cell whose template
    expression is `x.field` (whatever column the template puts it in). `value` is what the
    formula gives now, written as its cached result (Protected View, readers without a
    calculation engine); where a field has no cell in the row, the value is written alone."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value):
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "value", value)

    def __setattr__(self, name, value):
        raise AttributeError("Formula is immutable")

    def __reduce__(self):  # a report's context goes to a worker process whole (reports.stage_reports)
        return Formula, (self.text, self.value)

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)

    def __eq__(self, other) -> bool:
        return self.value == (other.value if isinstance(other, Formula) else other)

    def __hash__(self) -> int:
        return hash(self.value)


_FIELD_RE = re.compile(r"\{([A-Za-z_][A-Za-z_0-9]*)\}")
_XML_TABLE = {i: None for i in list(range(0, 9)) + [11, 12] + list(range(14, 32))}
_XML_TABLE.update({38: "&amp;", 60: "&lt;", 62: "&gt;", 0xFFFE: None, 0xFFFF: None})
_X_ESC = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
EPOCH = _dt.datetime(1899, 12, 30)
EPOCH_1904 = _dt.datetime(1904, 1, 1)


def xtext(v: str) -> str:
    """A str made safe for an XML text node inside a cell."""
    if len(v) > 32767:
        v = v[:32767]
    if "_x" in v:  # Excel would decode _xHHHH_ as an escaped character
        v = _X_ESC.sub(r"_x005F_\1", v)
    return v.translate(_XML_TABLE)


def serial(v, epoch) -> float:
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            v = v.replace(tzinfo=None)
        d = v - epoch
        return d.days + (d.seconds + d.microseconds / 1e6) / 86400
    if isinstance(v, _dt.date):
        return float((v - epoch.date()).days)
    if isinstance(v, _dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400
    return v.total_seconds() / 86400  # timedelta


class CellWriter:
    """Values to <c> elements for one render: knows the workbook's styles (a date in a
    General cell gets a date style appended), its date epoch and whether Undefined raises."""

    def __init__(self, styles, session, epoch, strict: bool):
        self.styles, self.session, self.epoch, self.strict = styles, session, epoch, strict

    def value(self, c, n: int, v) -> str:
        t = type(v)
        if t is str:
            if not v:
                return f'{c.pre}{n}"{c.s_attr}/>'
            if len(v) > CELL_CHARS:  # Excel calls a file with a longer cell damaged
                v = v[:CELL_CHARS - 1] + "…"
            return f'{c.pre}{n}"{c.s_attr} t="inlineStr"><is><t xml:space="preserve">{xtext(v)}</t></is></c>'
        if t is int or t is float:
            if t is float and not math.isfinite(v):
                return f'{c.pre}{n}"{c.s_attr}/>'
            if t is int and abs(v) >= 10 ** 15:  # beyond Excel's 15 digits: keep every digit, as text
                return f'{c.pre}{n}"{c.s_attr} t="inlineStr"><is><t>{v}</t></is></c>'
            return f'{c.pre}{n}"{c.s_attr}><v>{v!r}</v></c>'
        if v is None:
            return f'{c.pre}{n}"{c.s_attr}/>'
        if isinstance(v, bool):
            return f'{c.pre}{n}"{c.s_attr} t="b"><v>{int(v)}</v></c>'
        if isinstance(v, str):
            return self.value(c, n, str(v))
        if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
            s_attr = c.s_attr
            if isinstance(v, _dt.date) and not self.styles.is_date(c.style):
                s_attr = self._date_style(c, isinstance(v, _dt.datetime))
            return f'{c.pre}{n}"{s_attr}><v>{serial(v, self.epoch)!r}</v></c>'
        if isinstance(v, jinja2.Undefined):
            if self.strict:
                str(v)  # raises UndefinedError
            return f'{c.pre}{n}"{c.s_attr}/>'
        if isinstance(v, numbers.Number):
            try:
                f = float(v)
            except (TypeError, ValueError):
                return self.value(c, n, str(v))
            if isinstance(v, numbers.Integral):
                return self.value(c, n, int(v))
            return self.value(c, n, f)
        return self.value(c, n, str(v))

    def formula(self, c, n: int, v: Formula, tr) -> str:
        cols = tr.field_cols
        if cols is None:  # x.rank -> its column, once per template row
            cols = tr.field_cols = {}
            for j in tr.jcells:
                m = re.fullmatch(r"\s*[A-Za-z_]\w*\s*\.\s*([A-Za-z_]\w*)\s*", j.src) if j.whole else None
                if m:
                    cols.setdefault(m.group(1), num_to_col(j.col))
        missing = [f for f in _FIELD_RE.findall(v.text) if f not in cols]
        if missing:
            return self.value(c, n, v.value)
        text = _FIELD_RE.sub(lambda m: f"{cols[m.group(1)]}{n}", v.text)
        val = v.value
        if isinstance(val, bool):
            cached = f' t="b"><f>{esc(text)}</f><v>{int(val)}</v></c>'
        elif isinstance(val, (int, float)):
            cached = f'><f>{esc(text)}</f><v>{val!r}</v></c>'
        else:
            cached = f' t="str"><f>{esc(text)}</f><v>{xtext("" if val is None else str(val))}</v></c>'
        return f"{c.pre}{n}\"{c.s_attr}{cached}"

    def _date_style(self, c, with_time: bool) -> str:
        """The cell's attributes with a style like its own but showing a date (numFmtId
        14, or 22 with the time): a date in a General cell would show as a serial number.
        The style is appended to cellXfs once per workbook; existing indexes stay."""
        s = self.session.with_format(c.style, DATETIME_FMT if with_time else DATE_FMT)
        if s is None:
            return c.s_attr
        if re.search(r'\bs="', c.s_attr):
            return re.sub(r'\bs="[^"]*"', f's="{s}"', c.s_attr, count=1)
        return f' s="{s}"' + c.s_attr


__all__ = ["Formula", "CellWriter", "xtext", "serial", "EPOCH", "EPOCH_1904"]
