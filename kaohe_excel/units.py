"""Names of units: when two ways of writing a department or a county mean the same one.

One place for the rules every stage uses (the reader matching a 填报单位 to the system's
责任单位, assess choosing whose figure counts, the county found from file titles), so a
department is the same department everywhere."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from kaohe_excel.model import Indicator, IndicatorSystem
from kaohe_excel.text import abbreviates, compact, fold_width, similarity_bound

# After a place name, words that make it the office above its units (岱川市2024年度各县（市）…,
# 某某市市辖区…): that place assesses the units, it is not one of them.
OWNER_AFTER = r"(?:20[0-9]{2}年?度?)?(?:所辖|辖区|市辖区|各|[一二三四五六七八九十两0-9]+个?(?:县|区|市)|县[（(、]|县区|县市|区县|城区|下辖)"


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def same_unit(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return False
    strip = lambda s: s[1:] if s[0] in "县区市" and len(s) > 2 else s  # noqa: E731
    return a == b or strip(a) == strip(b) or a in b or b in a



# Full department names -> the short forms county tables use.
DEPT_ALIASES = [
    ("发展和改革委员会", "发改委"), ("发展改革委员会", "发改委"), ("发展改革委", "发改委"), ("发展和改革局", "发改局"),
    ("工业和信息化局", "工信局"), ("科学技术和工业信息化局", "科工信局"), ("科技和工业信息化局", "科工信局"),
    ("人力资源和社会保障局", "人社局"), ("人力资源社会保障局", "人社局"), ("市场监督管理局", "市场监管局"),
    ("文化广电和旅游局", "文广旅局"), ("文化广电旅游局", "文广旅局"), ("住房和城乡建设局", "住建局"),
    ("自然资源和规划局", "自然资源局"), ("人民政府办公室", "政府办"), ("政府办公室", "政府办"),
    ("农业农村局", "农业农村局"), ("生态环境分局", "生态环境局"), ("卫生健康委员会", "卫健委"),
    ("教育体育局", "教体局"), ("交通运输局", "交通局"), ("应急管理局", "应急管理局"), ("消防救援大队", "消防大队"),
    ("商务局", "商务局"), ("统计局", "统计局"), ("金融工作局", "金融局"),
]


# --- departments ----------------------------------------------------------------

@lru_cache(maxsize=8192)
def dept_core(name: str, county: str | None = None) -> str:
    """'叶县发展和改革委员会（盖章）' -> '发改委': the part that tells departments apart.
    Kept per (name, county): the view from above asks it for every unit's file."""
    s = dept_written(name, county)
    for full, short in DEPT_ALIASES:
        if full in s:
            s = s.replace(full, short)
    return s


@lru_cache(maxsize=8192)
def dept_written(name: str, county: str | None = None) -> str:
    """'叶县生态环境分局（盖章）' -> '生态环境分局': a department as the table writes it, without
    the county, a note in brackets or line breaks (the name reports print for it)."""
    s = compact(fold_width(name or ""))
    s = re.sub(r"[（(][^（()）]*[)）]", "", s).strip("：:，,。.;；、 ")
    if s.startswith("中共"):
        s = s[2:]
    if county and s.startswith(county) and len(s) - len(county) >= 2:
        s = s[len(county):]
        if s.startswith("委"):  # 南岭县委组织部: the county's party committee keeps its 县委
            s = county[-1] + s
    else:
        m = re.match(r"^[\u4e00-\u9fa5]{1,2}县(?=[\u4e00-\u9fa5]{2,})", s)
        if m and not s.startswith("县"):
            s = s[m.end() - (s[m.end()] == "委"):]
    if s.startswith("县") and len(s) >= 3 and s[1] != "委":  # 县发改委 -> 发改委; 县委组织部 stays (never 委组织部)
        s = s[1:]
    return s


def dept_score(a: str, b: str) -> float:
    """How surely two department cores name the same department (0–100)."""
    if not a or not b:
        return 0
    if a == b:
        return 100
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long.startswith(short):
        return 90
    if len(short) >= 3 and long.endswith(short):
        return 88
    if abbreviates(short, long):  # 发改委 in 发展和改革委 (first, last, the rest in order)
        return 85
    if similarity_bound(a, b) * 100 < 85:  # (most pairs: rapidfuzz not even imported)
        return 0
    from rapidfuzz import fuzz

    r = fuzz.ratio(a, b)
    return r if r >= 85 else 0


@lru_cache(maxsize=64)
def _grouped(counted: tuple[tuple[str, int], ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Department cores that name one department, each group under its canonical core.
    Kept per count of cores: every unit of a province has the same departments (a county's
    own name, stripped from them, rarely leaves them different)."""
    counts = dict(counted)
    groups: list[list[str]] = []
    for core, _n in counted:
        for g in groups:
            if any(dept_score(core, other) >= 85 for other in g):
                g.append(core)
                break
        else:
            groups.append([core])
    return tuple((max(g, key=lambda c: (counts[c], len(c))), tuple(g)) for g in groups)


_INDEXES: dict[tuple, tuple] = {}  # (id(system), county, size) -> (system, DepartmentIndex)


@dataclass
class DepartmentIndex:
    """The departments of an indicator system, each under one canonical name."""

    canonical: list[str] = field(default_factory=list)
    cores: dict[str, str] = field(default_factory=dict)  # core -> canonical
    county: str | None = None

    @classmethod
    def from_system(cls, system: IndicatorSystem | None, county: str | None = None) -> "DepartmentIndex":
        """Made once per system and county (the view from above reads a year of every unit's
        files against one system); nothing changes an index once made."""
        key = (id(system), county, len(system.indicators) if system is not None else 0)
        kept = _INDEXES.get(key)
        if kept is not None and kept[0] is system:
            return kept[1]
        idx = cls._build(system, county)
        if len(_INDEXES) >= 512:
            _INDEXES.clear()
        _INDEXES[key] = (system, idx)  # the system is kept with it: its id stays its own
        return idx

    @classmethod
    def _build(cls, system: IndicatorSystem | None, county: str | None) -> "DepartmentIndex":
        idx = cls(county=county)
        if system is None:
            return idx
        counts: Counter = Counter()
        written: dict[str, Counter] = {}  # core -> how the system writes it, first written first
        for ind in system.indicators:
            for d in ind.departments:
                core = dept_core(d, county)
                if core:
                    counts[core] += 1
                    written.setdefault(core, Counter())[dept_written(d, county)] += 1
        for canon, group in _grouped(tuple(counts.most_common())):
            # the department is shown as the system writes it (生态环境分局, not the 生态环境局 its
            # files are matched by): every report then names it as the system and the 一览表 do
            shown = max(written[canon].items(), key=lambda w: (w[1], len(w[0])))[0]
            idx.canonical.append(shown)
            for c in group:
                idx.cores[c] = shown
        return idx

    def resolve(self, text: str) -> str | None:
        """The canonical department a name means, or None."""
        core = dept_core(text, self.county)
        if not core:
            return None
        if core in self.cores:
            return self.cores[core]
        best, best_s = None, 0.0
        for c, canon in self.cores.items():
            s = dept_score(core, c)
            if s > best_s:
                best, best_s = canon, s
        return best if best_s >= 85 else None

    def find_in(self, text: str) -> str | None:
        """A department named somewhere inside free text (a title or a file name): the longest."""
        found = self.all_in(text)
        return found[0] if found else None

    def all_in(self, text: str) -> list[str]:
        """Every department named somewhere inside free text (县人社局、县教体局2024年2月…: a joint
        file's name), longest first, each once."""
        t = compact(fold_width(text or ""))
        for full, short in DEPT_ALIASES:
            t = t.replace(full, short)
        hits = sorted(((len(c), canon) for c, canon in self.cores.items() if len(c) >= 2 and c in t), reverse=True)
        return list(dict.fromkeys(canon for _n, canon in hits))

    def of_indicator(self, ind: Indicator) -> list[str]:
        out = []
        for d in ind.departments:
            r = self.resolve(d) or dept_core(d, self.county)
            if r and r not in out:
                out.append(r)
        return out

    def leads(self, ind: Indicator, first_is_lead: bool = False) -> list[str]:
        """The lead departments; with `first_is_lead`, a 责任单位 cell without 牵头/参与
        markers ('发改委 财政局') names its lead first, as official tables do."""
        out = []
        units = ind.lead[:1] if first_is_lead and ind.support is None and len(ind.lead) > 1 else ind.lead
        for d in units:
            r = self.resolve(d) or dept_core(d, self.county)
            if r and r not in out:
                out.append(r)
        return out
