"""Reported values and ranks as departments write them, keeping the written text
(a text layer beside tables, with text.py: no file, no grid).

Pure functions returning small dataclasses. A value that is not yet available
(`—`, `/`, `-`, blank, 暂无…) is None with status MISSING, never zero; an Excel
error cell (#DIV/0!, #N/A…) has status ERROR; text that holds no number has
status TEXT (qualitative indicators are reported in words).

What the cell's value does not say comes from the file (grid.sheet_cell_flags)
and is passed in: a cell formatted as a percentage that holds 0.062 was seen by
the clerk as `6.2%` (`percent_format`) and is read as 6.2; an error cell, which
calamine gives as an empty string, comes with its code (`error`).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace
from typing import Any

from kaohe_excel.read.engine_base import UNCALCULATED
from kaohe_excel.text import TRAILING_BRACKETS, cn_to_int, compact, fold_width, kept_per_text

OK = "ok"
MISSING = "missing"  # not yet available: None, never zero
ERROR = "error"  # an Excel error cell
TEXT = "text"  # words without a number (qualitative progress)
INVALID = "invalid"  # a rank that is not a rank

EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
_ERROR_RE = re.compile(r"^#(DIV/0!|N/?A|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|"
                       r"UNKNOWN!|CONNECT!|BUSY!)$", re.I)
# Cells meaning "not yet available".
_MISSING = {"", "-", "--", "---", "—", "——", "———", "/", "／", "//", "\\", "－", "–", "_", "__",
            "暂无", "无", "暂无数据", "无数据", "未出", "数据未出", "暂未出", "尚未出", "暂未公布", "未公布",
            "待定", "待公布", "待出", "未统计", "暂缺", "缺", "空", "NA", "N/A", "n/a", "na", "null", "None",
            "…", "...", "……", "x", "×", "*"}
_NUM_RE = re.compile(r"[-+−]?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[-+−]?\.[0-9]+")
_NEG_WORDS = ("下降", "减少", "降低", "负增长", "回落", "下滑", "减", "降", "负", "↓")  # 负9, ↓2.1%
_POS_WORDS = ("增长", "增加", "提高", "上升", "提升", "增")


@dataclass(frozen=True)  # shared by every cell of the same text (parse_value keeps them)
class Value:
    value: float | None
    raw: str
    status: str = OK
    unit: str = ""  # '%', '万元', '个', '亩'… as written after the number
    rank: int | None = None  # a rank written beside the value: 39.5%（4）
    rank_raw: str = ""
    several: bool = False  # the text held more than one number; the first was taken
    approx: bool = False  # written as an approximation (约5.5, 5.5左右, 超过100): read as that figure, said

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def missing(self) -> bool:
        return self.status == MISSING

    @property
    def percent(self) -> bool:
        return self.unit.startswith("%") or self.unit.startswith("％")

    def message(self) -> str:
        """Chinese: what is wrong with this cell and what was expected ('' when fine)."""
        if self.status == ERROR:
            if self.raw.startswith(UNCALCULATED):
                return _uncalculated_message(self.raw, "数值")
            return f"单元格是 Excel 错误值「{self.raw}」（公式出错），应填写数值；尚无数据请填「—」"
        if self.several:
            return f"「{self.raw}」含多个数字，已取第一个 {fmt_num(self.value)}；应只填写一个数值"
        if self.approx:
            unit = _APPROX_WORDS.sub("", self.unit)
            return f"「{self.raw}」是约数，按 {fmt_num(self.value)}{unit} 计算；请填写准确数值"
        return ""

    @property
    def said(self) -> bool:
        """A figure read with something to say about how (several numbers, an approximation)."""
        return self.several or self.approx


@dataclass
class Rank:
    rank: int | None
    raw: str
    status: str = OK
    of: int | None = None  # the N of '3/6'
    message: str = ""  # Chinese, when status is INVALID / ERROR

    @property
    def ok(self) -> bool:
        return self.status == OK


def fmt_num(x: float | None) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return f"{x:.10g}"


def _num(s: str) -> float:
    return float(s.replace(",", "").replace("−", "-").replace(" ", ""))


def _raw_text(cell: Any, percent_format: bool = False) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and cell != cell:
            return ""
        if percent_format:
            return fmt_num(round(float(cell) * 100, 10)) + "%"
        return fmt_num(float(cell)) if isinstance(cell, float) else str(cell)
    if isinstance(cell, (_dt.date, _dt.datetime)):
        return cell.isoformat()
    return str(cell)


# "Waiting for the statistics bureau": words without a number saying the figure is not out yet.
_PENDING_RE = re.compile(r"(?:待|未|尚未|暂未|还未|没有|正在|等待|暂无|尚无)[\u4e00-\u9fa5]{0,8}?"
                         r"(?:反馈|公布|发布|统计|下发|更新|核实|提供|核定|确认|出(?!现)|测算|数据)"
                         r"|^(?:数据)?(?:暂缺|缺失|空缺)$|^统计局.{0,6}(?:未|待)")


def is_missing_text(text: str) -> bool:
    t = compact(fold_width(text or "")).strip("'‘’\"")
    if t in _MISSING or bool(re.fullmatch(r"[-—－–‐‑‒―﹣_/／\\、.。…]+", t or "-")):
        return True
    return len(t) <= 20 and not re.search(r"[0-9]", t) and bool(_PENDING_RE.search(t))


def _uncalculated_message(formula: str, wanted: str) -> str:
    return (f"单元格是公式「{formula}」，但文件中没有保存计算结果（该文件可能由其他软件生成，未经 Excel 或 WPS 保存），"
            f"读不到{wanted}；请用 Excel 或 WPS 打开该文件、保存后重新报送，或直接填写{wanted}")


def is_error_text(text: str) -> bool:
    return bool(_ERROR_RE.match(compact(text or "")))


_PARSED: dict[tuple, Value] = {}
_PARSED_MAX = 65536


def parse_value(cell: Any, *, percent_format: bool = False, error: str | None = None) -> Value:
    """A reported value: 6.2, '6.2%', '增长6.2%', '下降3.1%', '1,234.5', '12.5万元', '６.２',
    '—' (missing), '#DIV/0!' (error). `percent_format`: the cell is formatted as a
    percentage (0.062 shows as 6.2%); `error`: the error code the file holds for it.
    Kept per cell value (by its type too: True is not 1): a province's files repeat the
    same marks and figures, and every reader asks of the same cells."""
    if error:
        return Value(None, error, ERROR)
    kind = type(cell)
    if kind is not str and kind is not float and kind is not int:
        return _parse_value(cell, percent_format)
    key = (kind, cell, percent_format)
    got = _PARSED.get(key)
    if got is None:
        got = _parse_value(cell, percent_format)
        if kind is not str or len(cell) <= 200:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[key] = got
    return got


# A figure as a clerk types it most often (6.2, 12.2%, -3): read at once, as the full parse
# below reads it (no words, no spaces, no rank, nothing to say about it).
_PLAIN_FIGURE = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)(%?)")


# the period a figure covers, written before it: 1-5月累计, 1—5月, 2024年1至5月份, 截至5月底累计, 5月末
_PERIOD_LABEL = re.compile(r"(?:截至|截止|到)?(?:20[0-9]{2}年)?(?:[0-9]{1,2}\s*[-—–~～至到]\s*)?[0-9]{1,2}\s*月"
                           r"(?:份|底|末)?(?:累计|合计|共计|止)?\s*[:：]?")


_SHARE_OF_TARGET = re.compile(r"(完成|达到|占|为)(全年|年度|本年|全年度|年)?(目标|任务|计划)(任务)?(的|数的)?$|(序时)?进度为?$")


def _parse_value(cell: Any, percent_format: bool) -> Value:
    if type(cell) is str and (m := _PLAIN_FIGURE.fullmatch(cell)) is not None:
        return Value(round(float(m.group(1)), 10), cell, OK, m.group(2))
    raw = _raw_text(cell, percent_format)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and raw:
        v = float(cell) * 100 if percent_format else float(cell)
        return Value(round(v, 10), raw, OK, "%" if percent_format else "")
    if isinstance(cell, (_dt.date, _dt.datetime)):
        return Value(None, raw, TEXT)
    text = fold_width(raw).strip().strip("'‘’").strip()
    if is_missing_text(text):
        return Value(None, raw, MISSING)
    if is_error_text(text):
        return Value(None, raw, ERROR)
    text = _join_spaced_digits(_ime_minus(_ime_thousands(text)))
    acc = _ACCOUNTING_RE.fullmatch(text)
    if acc:  # (3.1) in accounting style: negative
        return Value(-_num(acc.group(1)), raw, OK, "%" if acc.group(2) else "")
    value_part, rank, rank_raw = _split_rank_suffix(text)
    if mistyped_number(value_part):  # 5..5, 6.2.1: no figure can be read from it
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    period = _PERIOD_LABEL.match(value_part)  # 1-5月累计12.5亿元: the months are the label, not the figure
    if period is not None and _NUM_RE.search(value_part, period.end()):
        value_part = value_part[period.end():].lstrip()
    nums = list(_NUM_RE.finditer(value_part))
    if not nums:
        if rank is not None and is_missing_text(value_part):
            return Value(None, raw, MISSING, rank=rank, rank_raw=rank_raw)
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    m = nums[0]
    v = _num(m.group(0))
    before = compact(value_part[:m.start()])
    if re.search(r"[\u4e00-\u9fa5]", before) and re.search(r"[，,；;。]", before):
        # 按时序推进，已承接事项86项: a sentence about progress with a figure inside it is
        # qualitative progress, shown as written, never the number 86
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    if _SHARE_OF_TARGET.search(before):
        # 完成全年目标的68%: how far along the target, not the figure (人, 亿元) ranked and scored
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    if v > 0 and not m.group(0).lstrip().startswith("+") and any(before.endswith(w) for w in _NEG_WORDS):
        v = -v
    after = value_part[m.end():].strip()
    if _COUNT_OPENS_SENTENCE.match(after):
        # 10件民生实事均按序时推进: the count is the subject of a sentence about progress (words,
        # as a clause before the figure is), never the figure 10; 12件 and 9个项目 stay figures
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    unit_m = re.match(r"(%|％|‰|个百分点|百分点|[\u4e00-\u9fa5A-Za-z²³/·]{1,6})", after)
    unit = unit_m.group(1) if unit_m else ""
    if unit == "％":
        unit = "%"
    approx = (before.endswith(_APPROX_BEFORE) or _APPROX_AFTER.fullmatch(after) is not None
              or _ESTIMATE_NOTE.search(after) is not None)
    if unit == "成" or unit.startswith("成") and _APPROX_AFTER.fullmatch(unit) is not None:
        v, unit = v * 10, "%"  # 6成 is 60 %
    several = len(nums) > 1
    return Value(round(v, 10), raw, OK, unit, rank, rank_raw, several, approx)


# a measure word, the things counted and what they are doing: 件民生实事均按序时推进, 个项目已开工,
# 项工作正常推进 (a word saying how they go, then at least one more)
_MEASURE_WORD = r"[个件项家户座所台套名人处条次批宗起期栋间辆块场支位只类种份篇部张本]"
_COUNT_OPENS_SENTENCE = re.compile(r"(?:余|多)?" + _MEASURE_WORD + r"[\u4e00-\u9fa5]{1,10}?"
                                   r"(?:均|都|已|正在|正常|全部|全都|按|顺利|有序|稳步|基本|尚|未|将|拟|陆续|持续|全面|如期|目前)"
                                   r"[\u4e00-\u9fa5]")


# what makes a written figure an approximation: a word before it, or one after it (and its unit)
_APPROX_BEFORE = ("约", "大约", "近", "接近", "将近", "超过", "超", "逾", "不到", "不足", "多于", "少于",
                  "预计", "预估", "估计", "初步", "≥", "≧", ">", "＞", "不低于", "不少于")
_ESTIMATE_NOTE = re.compile(r"[（(](?:预计|预估|估计|初步(?:统计|测算)?|测算)(?:数|值|数据)?[)）]")  # 7.4%（预计）
_APPROX_WORD = r"左右|以上|以下|上下|有余|余(?!额)|多"
_APPROX_WORDS = re.compile(_APPROX_WORD)
_APPROX_AFTER = re.compile(r"(?:%|％|‰|[万千百亿]?[\u4e00-\u9fa5/]{0,3}?)(?:" + _APPROX_WORD + r")[\u4e00-\u9fa5/]{0,3}")


# the whole cell a figure mistyped (5..5, 6.2.1%); a date (2024.6.30) or words around it are not
_MISTYPED = re.compile(r"[-+]?[0-9]+(?:\s*[.．]\s*[.．]\s*[0-9]*|[.．][0-9]+[.．][0-9]+)\s*(?:%|％)?")
_DOTTED_DATE = re.compile(r"(?:19|20)[0-9]{2}[.．][0-9]{1,2}[.．][0-9]{1,2}")
_ACCOUNTING_RE = re.compile(r"[（(]\s*([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)\s*(%|％)?\s*[)）]")


# 3，359 typed with a Chinese IME: a thousands separator only before groups of exactly three digits
# after a lead of one to three (12，3项 and 完成5个，在建3个 are two numbers)
_IME_THOUSANDS = re.compile(r"(?<![0-9.])[0-9]{1,3}(?:，[0-9]{3})+(?![0-9])")
# –6.9% (en dash, Word/WPS autocorrect), —7.4% and ——7.4% (a Chinese IME's minus key): a sign where
# a minus stands, never after a digit (3–5 is a range) nor alone (— is no figure, is_missing_text)
_IME_MINUS = re.compile(r"(?:^|(?<=[\s(（:：]))[‐‑‒–—―﹣]{1,2}(?=\s*\.?[0-9])")


def _ime_thousands(text: str) -> str:
    """'3，359人' -> '3,359人' (read as the ASCII comma is); '12，3项' stays two numbers."""
    return _IME_THOUSANDS.sub(lambda m: m.group(0).replace("，", ","), text) if "，" in text else text


def _ime_minus(text: str) -> str:
    """'–6.9%', '—7.4%' -> '-6.9%', '-7.4%': the minus the clerk meant, which _NUM_RE reads."""
    return _IME_MINUS.sub("-", text)


def _join_spaced_digits(text: str) -> str:
    """'4 120' (a space for the thousands separator), '6 .2', '6. 2', '41.2 %' -> joined."""
    t = re.sub(r"(?<=[0-9])\s+(?=[0-9]{3}(?![0-9]))", "", text) if re.fullmatch(r"[-+−]?\s*[0-9][0-9\s]*(?:\.[0-9]+)?\s*\D{0,6}", text) else text
    t = re.sub(r"(?<=[0-9])\s+(?=\.[0-9])|(?<=[0-9]\.)\s+(?=[0-9])", "", t)
    return re.sub(r"(?<=[0-9])\s+(?=[%％])", "", t)


# re.S: a line break (Alt+Enter) before the bracket, 1.7%\n（3）, is the wrapped cell's and no part of the value
_RANK_WHERE = r"(?:全市|全省|六县[（(]?市[)）]?(?:中)?|六县市?(?:中)?|六县区)?"
_RANK_SUFFIX = re.compile(r"^(.*?)[（(]\s*" + _RANK_WHERE + r"(?:位次|排名|排序|排|居|列|位居|位列)?[:：]?\s*(?:并列)?\s*(?:第)?\s*"
                          r"([0-9]+|[一二三四五六七八九十]+)\s*(?:名|位)?\s*(?:[,，、]?\s*并列)?\s*[)）]\s*$", re.S)
_RANK_SUFFIX2 = re.compile(r"^(.*?)[,，;；、\s]+" + _RANK_WHERE + r"(?:排名|位次|排序|排|居|位居|位列)?[:：]?\s*(?:并列)?\s*第\s*"
                           r"([0-9]+|[一二三四五六七八九十]+)\s*(?:名|位)?\s*(?:[（(]?\s*并列\s*[)）]?)?\s*$", re.S)


def _split_rank_suffix(text: str) -> tuple[str, int | None, str]:
    """'39.5%（4）' -> ('39.5%', 4, '（4）'); '4.2%，第3名' -> ('4.2%', 3, '第3名')."""
    for rx in (_RANK_SUFFIX, _RANK_SUFFIX2):
        m = rx.match(text)
        # '39.5%（4）' needs a number before the bracket; '已完成，第1名' says 第…名 itself
        if m and m.group(1).strip() and (_NUM_RE.search(m.group(1)) or rx is _RANK_SUFFIX2
                                        or is_missing_text(m.group(1))):
            g = m.group(2)
            n = int(g) if g.isdigit() else cn_to_int(g)
            return m.group(1).strip(), n, text[len(m.group(1)):].strip()
    return text, None, ""


# A reduction rate (单位GDP能耗降低率, 化学需氧量排放量削减率) written as what happened to the amount
_REDUCTION_NAME = re.compile(r"(降低|下降|减少|削减|压减|减排)(率|幅度?|比例)")


@kept_per_text
def _is_reduction(name: str) -> bool:
    return _REDUCTION_NAME.search(compact(name)) is not None
# the word right before the figure, at the start: 上升至3.2% (reached) and a remark after the figure
# (3.5%，较上月提高0.3个百分点) are not the change; an explicit sign (下降-1.2%) is kept as written
_WENT_UP = re.compile(r"^(上升|增长|增加|提高|升高|反弹|↑)了?[0-9]")
_WENT_DOWN = re.compile(r"^(下降|降低|减少|削减|回落|下滑|↓)了?[0-9]")


def mistyped_number(raw: str) -> bool:
    """5..5, 6.2.1 (the whole cell): meant as a figure, and no figure can be read from it."""
    t = fold_width(raw or "").strip()
    return bool(_MISTYPED.fullmatch(t)) and not _DOTTED_DATE.fullmatch(t)


# a growth rate by its name (the peer reader ranks such a row on its 增速 columns)
GROWTH_NAME = re.compile(r"增速|增长率|增幅|增长速度|降低率|下降率|增长$")
# a rate of change, in which 持平 is 0
_CHANGE_NAME = re.compile(GROWTH_NAME.pattern + r"|增长[（(]|降幅|减少率")


def is_growth(*names: str | None) -> bool:
    """An indicator assessed on its growth rate, as any of its names says (the system's
    「规上工业增加值增速」 beside a bureau's row 「规模以上工业增加值」, 「…增长（%）」): one rule for
    the peer reader and the departments' reader, so both take the 增速 beside the amount."""
    return any(GROWTH_NAME.search(TRAILING_BRACKETS.sub("", compact(n))) for n in names if n)


def as_rate_of(name: str | None, v: Value) -> Value:
    """`v` as the figure of the indicator `name`: for a reduction rate, 下降3.2% is a rate of 3.2
    and 上升1.2% a rate of −1.2 (parse_value reads the words as a change: −3.2, +1.2); 持平 in a
    growth or reduction rate is a change of 0 (in a level, 亿元 or 个, it says no figure)."""
    if v.status == TEXT and compact(fold_width(v.raw)) == "持平" and _CHANGE_NAME.search(compact(name or "")):
        return replace(v, value=0.0, status=OK)
    if v.status != OK or v.value is None or not _is_reduction(name or ""):
        return v
    text = compact(fold_width(v.raw))
    if _WENT_DOWN.search(text):
        return replace(v, value=abs(v.value))
    if _WENT_UP.search(text):
        return replace(v, value=-abs(v.value))
    return v


def parse_value_rank(cell: Any, *, percent_format: bool = False, error: str | None = None) -> Value:
    """上年完成情况(位次): '39.5%（4）' -> value 39.5, unit %, rank 4."""
    return parse_value(cell, percent_format=percent_format, error=error)


_RANK_PATTERNS = [
    re.compile(r"^(?:全市|六县市?|全省)?(?:排名|排序|位次|名次|居|列)?[:：]?\s*(?:并列)?第?\s*([0-9]+|[一二三四五六七八九十]+)\s*(?:名|位)?"
               r"\s*(?:[/／]\s*([0-9]+))?\s*(?:[（(].*[)）])?$"),
]


def parse_rank(cell: Any, n_peers: int | None = None, *, error: str | None = None) -> Rank:
    """A rank among the peer counties: 3, '3', "'3", '第3名', '第三名', '３', '3/6', '第3位',
    '排名3', '并列第2'. Blank and '—' are None (not yet ranked). Outside 1..n_peers,
    0, negative, fractional or words are INVALID with a Chinese message."""
    if error:
        if error.startswith(UNCALCULATED):
            return Rank(None, error, ERROR, message=_uncalculated_message(error, "排名"))
        return Rank(None, error, ERROR, message=f"单元格是 Excel 错误值「{error}」，应填写排名（1–{n_peers or 'N'} 的整数）")
    raw = _raw_text(cell)
    expect = f"应为 1–{n_peers} 的整数名次" if n_peers else "应为正整数名次"
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        f = float(cell)
        if not f.is_integer():
            return Rank(None, raw, INVALID, message=f"排名「{raw}」不是整数，{expect}")
        return _check_rank(int(f), raw, None, n_peers)
    text = compact(fold_width(raw)).strip("'‘’\"")
    if is_missing_text(text):
        return Rank(None, raw, MISSING)
    if is_error_text(text):
        return Rank(None, raw, ERROR, message=f"单元格是 Excel 错误值「{raw}」，{expect}")
    text = text.replace("−", "-").replace("－", "-")
    if re.fullmatch(r"\+[0-9]+", text):  # +1 is a change since last month (上升1位), never 1st place
        return Rank(None, raw, INVALID, message=f"排名「{raw}」像是位次变化（较上月上升），不是名次；{expect}")
    m = re.fullmatch(r"[+-]?[0-9]+(?:\.0+)?", text)
    if m:
        return _check_rank(int(float(text)), raw, None, n_peers)
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", text):
        return Rank(None, raw, INVALID, message=f"排名「{raw}」不是整数，{expect}")
    text, from_end = _rank_words_off(text)
    if from_end is not None:  # 倒数第2: counted from the last place
        if not n_peers:
            return Rank(None, raw, INVALID, message=f"排名「{raw}」是倒数名次，但不知道参评县市数；{expect}")
        return _check_rank(n_peers + 1 - from_end, raw, None, n_peers) if 1 <= from_end <= n_peers else \
            Rank(None, raw, INVALID, message=f"排名「{raw}」超出参评县市数（共 {n_peers} 个），{expect}")
    for rx in _RANK_PATTERNS:
        m = rx.match(text)
        if m:
            g = m.group(1)
            n = int(g) if g.isdigit() else cn_to_int(g)
            of = int(m.group(2)) if m.group(2) else None
            if n is None:
                break
            return _check_rank(n, raw, of, n_peers)
    return Rank(None, raw, INVALID, message=f"排名「{raw}」无法识别，{expect}（如 3、第3名、3/6）")


_CN_D = r"[0-9]+|[一二三四五六七八九十]+"
# Words around a rank that say nothing about its value: where (六县（市）中), the verb
# (排/位居), a tie (并列), the change since last month (↑1, 较上月上升1位), 末位.
_RANK_CHANGE = re.compile(r"[,;、]?[(]?(?:较上月|比上月|环比|较上期|同比)?(?:[↑↓]|上升|下降|前进|后退|提升|提高|下滑|回落)\s*(?:" + _CN_D
                          + r")?\s*(?:个)?(?:位次|位|名)?[)]?$|[,;、]?[(]?(?:较上月|比上月|环比)?持平[)]?$")
_RANK_LEAD = re.compile(r"^(?:在|于)?(?:全市|全省|六县\(?市\)?|六县区|六个?县(?:市|区)?|[一二三四五六七八九十]+个?县(?:\(?[市区]\)?)?|"
                        r"同类县(?:市|区)?|参评县(?:市|区)?)?(?:中|之中|里)?(?:的)?(?:排名|排序|位次|名次|排位|位居|位列|排在|排|居|列|处于|为)?[:：]?"
                        r"(?:第)?(?=(?:并列)?(?:第|倒数)?(?:" + _CN_D + r"))")


def _rank_words_off(text: str) -> tuple[str, int | None]:
    """'在六县（市）中排第3位' -> '第3位'; '第3名↑1' -> '第3名'; '(3)' -> '3'; '倒数第2' -> ('', 2)."""
    t = text
    m = re.fullmatch(r"[(]\s*(.*?)\s*[)]", t)
    if m:
        t = m.group(1)
    for _ in range(2):
        t2 = _RANK_CHANGE.sub("", t) if not _RANK_CHANGE.fullmatch(t) else t
        t2 = re.sub(r"[(](?:并列|末位|末尾|垫底|最后|倒数第?(?:" + _CN_D + r")?)[)]$", "", t2)
        t2 = re.sub(r"(?<=[0-9名位])(?:并列|,?并列)$", "", t2)
        t2 = _RANK_LEAD.sub("", t2, count=1)
        if t2 == t:
            break
        t = t2
    m = re.fullmatch(r"倒数第?(" + _CN_D + r")(?:名|位)?", t)
    if m:
        g = m.group(1)
        return "", int(g) if g.isdigit() else cn_to_int(g)
    return t, None


def _check_rank(n: int, raw: str, of: int | None, n_peers: int | None) -> Rank:
    expect = f"应为 1–{n_peers} 的整数名次" if n_peers else "应为正整数名次"
    if n <= 0:
        return Rank(None, raw, INVALID, of, f"排名「{raw}」不是有效名次（{'0' if n == 0 else '负数'}），{expect}")
    if of is not None and n > of:
        return Rank(None, raw, INVALID, of, f"排名「{raw}」的名次大于参评数 {of}，{expect}")
    if n_peers and n > n_peers:
        return Rank(None, raw, INVALID, of, f"排名「{raw}」超出参评县市数（共 {n_peers} 个），{expect}")
    if n_peers and of is not None and of != n_peers:
        return Rank(n, raw, OK, of, f"排名写作「{raw}」，参评县市数应为 {n_peers} 个")
    return Rank(n, raw, OK, of)


# --- dates -------------------------------------------------------------------

def parse_date(cell: Any, default_year: int | None = None, *, month: str | None = None) -> _dt.date | None:
    """填报日期: a date cell, '2023年9月5日', '2023.9.5', '2023-09-05', '2023/9/5', '9月5日'.
    A date without its year takes `month`'s (the month reported, '2023-12'), or the next year's
    when that puts it in the half year after the month: a December report filled 1月8日 was
    filled next January, never eleven months before. Without `month`, `default_year`."""
    if isinstance(cell, _dt.datetime):
        return cell.date()
    if isinstance(cell, _dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if 30000 < cell < 60000:  # an Excel serial date that lost its format
            return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(cell))
        s = str(int(cell)) if float(cell).is_integer() else ""
        m = re.fullmatch(r"(20[0-9]{2})([01][0-9])([0-3][0-9])", s)
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    t = _cn_date_digits(compact(fold_width(str(cell or ""))))
    m = re.search(r"(20[0-9]{2})\s*[年.\-/]\s*([0-9]{1,2})\s*[月.\-/]\s*([0-9]{1,2})", t)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"(20[0-9]{2})([01][0-9])([0-3][0-9])", t)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = (re.search(r"(?<![0-9])([0-9]{1,2})月([0-9]{1,2})日", t)
         or re.fullmatch(r"([0-9]{1,2})[.．/\-]([0-9]{1,2})日?", t))  # 9.8, 9/8: month and day, in a date's cell
    if m and month:
        year, reported = int(month[:4]), int(month[5:7])
        mo = int(m.group(1))
        if (mo - reported) % 12 <= 6:  # in the reported month or the half year after it
            year += mo < reported
        else:  # a little before it (filled ahead, or the day mistyped): the same year
            year -= mo > reported
        return _safe_date(year, mo, int(m.group(2)))
    if m and default_year:
        return _safe_date(default_year, int(m.group(1)), int(m.group(2)))
    return None


_CN_DIGIT = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
             "七": "7", "八": "8", "九": "9"}


def _cn_date_digits(t: str) -> str:
    """二〇二三年九月八日 as 2023年9月8日 (an official document's date): the year digit by digit, the
    month and day as numbers (十二月二十八日 -> 12月28日)."""
    if not re.search(r"[〇零○一二三四五六七八九十]", t):
        return t
    t = re.sub(r"[〇零○Ｏ一二三四五六七八九]{4}(?=年)", lambda m: "".join(_CN_DIGIT[c] for c in m.group(0)), t)
    return re.sub(r"[一二三四五六七八九十]{1,3}(?=[月日号])",
                  lambda m: str(cn_to_int(m.group(0))) if cn_to_int(m.group(0)) else m.group(0), t)


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None
