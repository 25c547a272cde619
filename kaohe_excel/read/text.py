"""Text as found in official tables: line-wrap spaces, Chinese numerals, unit
lists and points notation. Pure functions, shared by every reader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_WS = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9.%]")


def compact(s: str) -> str:
    """All white space removed and full-width forms folded: for matching only."""
    return _WS.sub("", unicodedata.normalize("NFKC", s or ""))


def fold_width(s: str) -> str:
    """Full-width digits and letters to ASCII (３ -> 3), leaving CJK punctuation."""
    out = []
    for ch in s:
        o = ord(ch)
        if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A or ch in "．％＋－":
            out.append(chr(o - 0xFEE0))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalize_name(s: str) -> str:
    """Remove the spaces and line breaks a cell's wrapping left inside a name.

    White space is kept (as one space) only between two ASCII words
    ('GDP 增速' -> 'GDP增速', but 'PM 2.5' stays readable as 'PM 2.5').
    """
    s = (s or "").replace("\u3000", " ").strip()
    parts = _WS.split(s)
    if len(parts) <= 1:
        return s
    out = parts[0]
    for part in parts[1:]:
        if out and part and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]):
            out += " " + part
        else:
            out += part
    return out


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}


def cn_to_int(s: str) -> int | None:
    """'十九' -> 19, '二十' -> 20, '一百零二' -> 102; None when not a numeral."""
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return total


_NO_RE = re.compile(r"^[（(\[【]?\s*([0-9]+|[一二三四五六七八九十百零〇两]+)\s*[)）\]】]?\s*[、.．,，]?$")


def parse_no(text: str) -> int | None:
    """序号 as written -> int: '1', '1.0', '（十九）', '(19)', '19、', '第3项'."""
    t = fold_width(str(text or "")).strip()
    if not t:
        return None
    t = re.sub(r"^第(.+)[项条个]$", r"\1", t)
    if re.fullmatch(r"[0-9]+\.0+", t):
        t = t.split(".")[0]
    m = _NO_RE.match(t)
    if not m:
        return None
    g = m.group(1)
    return int(g) if g.isdigit() else cn_to_int(g)


SECTION_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|类|章))\s*\S")


def is_section_heading(text: str) -> bool:
    """'一、项目建设', '(七) 省、市下达的…', '第二部分 …'."""
    return bool(SECTION_RE.match(text or ""))


def strip_section_number(text: str) -> str:
    return re.sub(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|类|章))\s*",
                  "", text or "").strip()


# --- departments -------------------------------------------------------------

# Endings of a complete department/unit name. A line break or space after such an
# ending separates two units; anywhere else it is only the cell wrapping a name.
_UNIT_END = re.compile(
    r"(局|委|办|中心|队|院|所|部|处|室|站|行|会|组|司|厅|署|政府|街道|办事处|乡|镇|区|县|市|公司|集团|"
    r"分局|支队|大队|管委会|园区|单位|部门|机构|银行|法院|检察院|联社|协会|团委|妇联|工会)$")
_LEAD_RE = re.compile(r"(牵头(?:单位|部门)?)\s*[:：]")
_SUPPORT_RE = re.compile(r"((?:参与|配合|协办|责任|参加)(?:单位|部门)?)\s*[:：]")


def split_unit_list(text: str) -> list[str]:
    """'县发改委、县财政局' / '发改委 财政局' / '招商服\\n务中心' -> unit names."""
    text = (text or "").replace("\u3000", " ").strip().strip("；;。")
    if not text:
        return []
    out: list[str] = []
    for chunk in re.split(r"[、，,;；/]+", text):
        pieces = [p for p in _WS.split(chunk.strip()) if p]
        cur = ""
        for p in pieces:
            if cur and _UNIT_END.search(cur):
                out.append(cur)
                cur = p
            else:
                cur += p
        if cur:
            out.append(cur)
    return [u.strip("：:") for u in out if u.strip("：:")]


def split_lead_support(text: str) -> tuple[list[str], list[str] | None]:
    """'牵头：县发改局参与：县统计局' -> (['县发改局'], ['县统计局']).

    Without 牵头/参与 markers the table does not tell them apart: (units, None).
    """
    text = (text or "").strip()
    m_lead = _LEAD_RE.search(text)
    m_sup = _SUPPORT_RE.search(text)
    if not m_lead and not m_sup:
        return split_unit_list(text), None
    lead_txt, sup_txt = "", ""
    if m_lead and m_sup:
        if m_lead.start() < m_sup.start():
            lead_txt, sup_txt = text[m_lead.end():m_sup.start()], text[m_sup.end():]
        else:
            sup_txt, lead_txt = text[m_sup.end():m_lead.start()], text[m_lead.end():]
    elif m_lead:
        lead_txt = text[m_lead.end():]
        before = text[:m_lead.start()]
        if before.strip():
            lead_txt = before + "、" + lead_txt
    else:
        lead_txt, sup_txt = text[:m_sup.start()], text[m_sup.end():]
    return split_unit_list(lead_txt), split_unit_list(sup_txt)


# --- points ------------------------------------------------------------------

_NUM = r"[0-9]+(?:\.[0-9]+)?"


@dataclass
class Points:
    kind: str | None  # None: plain scored; else deduction / constraint / bonus
    points: float | None
    overrides: dict[str, float] = field(default_factory=dict)
    cap: float | None = None
    ok: bool = True  # False: the cell held text that is not a points figure


def _f(s: str) -> float | int:
    v = float(s)
    return int(v) if v.is_integer() else v


def parse_points(value) -> Points:
    """'5', '4分', '1.5分', '扣1.3分', '约束条件', '3 (高新区6) (临空经济区6)', '加0.5分',
    '每发生一起扣10分，合计扣分不超过30分'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Points(None, _f(str(value)) if value == value else None)
    t = fold_width(str(value or "")).strip()
    c = compact(t)
    if not c or c in {"-", "—", "/", "--", "---"}:
        return Points(None, None)
    if "约束" in c or "否决" in c:
        return Points("constraint", None)
    overrides: dict[str, float] = {}
    for unit, num in re.findall(r"[（(]\s*([^（()）0-9]+?)\s*[:：]?\s*(" + _NUM + r")\s*分?\s*[)）]", t):
        overrides[normalize_name(unit)] = _f(num)
    base = re.sub(r"[（(][^（()）]*[)）]", "", c)
    sign = 1
    if base[:1] in "+-－" and re.match(r"[+\-－]" + _NUM, base):
        sign, base = (-1 if base[0] != "+" else 1), base[1:]
        if sign < 0:
            m = re.fullmatch(r"(" + _NUM + r")分?", base)
            if m:
                return Points("deduction", -_f(m.group(1)), overrides)
    cap = None
    m_cap = re.search(r"(?:不超过|最多|最高|上限|封顶)(?:扣|加)?(" + _NUM + r")分?", base)
    if m_cap:
        cap = _f(m_cap.group(1))
        base = base[:m_cap.start()] + base[m_cap.end():]
    if re.search(r"扣|减分|倒扣", base):
        m = re.search(_NUM, base)
        pts = -_f(m.group(0)) if m else None
        return Points("deduction", pts, overrides, cap)
    if re.search(r"加分|^加|奖励", base):
        m = re.search(_NUM, base)
        return Points("bonus", _f(m.group(0)) if m else None, overrides, cap)
    if sign > 0 and c.startswith("+"):
        m = re.fullmatch(r"(" + _NUM + r")分?", base)
        if m:
            return Points("bonus", _f(m.group(1)), overrides, cap)
    m = re.fullmatch(r"(?:总分|满分|分值)?(" + _NUM + r")分?", base)
    if m:
        return Points(None, _f(m.group(1)), overrides, cap)
    m = re.match(r"(" + _NUM + r")分?", base)
    if m:
        return Points(None, _f(m.group(1)), overrides, cap, ok=False)
    return Points(None, None, overrides, cap, ok=False)
