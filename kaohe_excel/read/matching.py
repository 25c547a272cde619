"""Which indicator of the system a row means (matching layer: above tables, below the
readers of each document).

A row of a department's sheet or of the peer table names its indicator by 序号 and
name; `IndicatorMatcher` finds it, tolerating typos, line-wrap spaces, a short name
for a long one and numbering that restarts per category. `is_section_row` tells a
category row ('一、项目建设', merged across) from an indicator. Used by submission
and peers alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kaohe_excel.model import Indicator, IndicatorSystem
from kaohe_excel.problems import ERROR, WARNING
from kaohe_excel.read.tables import Table, looks_like_section
from kaohe_excel.text import compact, fold_width, is_section_heading, name_key, normalize_name


def _aliases(name: str) -> list[str]:
    """The full name a row gives in brackets: 'R&D经费投入强度（研究与试验发展经费投入强度）'."""
    return list(_alias_keys(name))


@lru_cache(maxsize=65536)
def _alias_keys(name: str) -> tuple[str, ...]:
    t = compact(fold_width(normalize_name(name or "")))
    inner = re.findall(r"[（(]([^（()）]{4,})[)）]", t)
    return tuple(name_key(x) for x in inner if not re.search(r"[%％/]|^单位|元$|^逆向|^正向|^负向|^计量", x))


def name_score(a: str, b: str) -> float:
    if not a or not b:
        return 0
    if a == b:
        return 100
    from rapidfuzz import fuzz  # (only for names that differ: ~10 ms to import)

    s = fuzz.ratio(a, b)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and short in long and len(short) / len(long) >= 0.35:
        s = max(s, 90)
    return s


def _name_scores(a: str, keys: list[str]) -> list[float]:
    """[name_score(a, key) for key in keys], the fuzzy ratios computed in one call
    (rapidfuzz's own loop: a row's name against every indicator of the system)."""
    if not a:
        return [0] * len(keys)
    from rapidfuzz import fuzz, process

    ratio = [0.0] * len(keys)
    for _key, score, i in process.extract(a, keys, scorer=fuzz.ratio, limit=None):
        ratio[i] = score
    out: list[float] = []
    for key, s in zip(keys, ratio):
        if not key:
            s = 0
        elif key == a:
            s = 100
        else:
            short, long = (a, key) if len(a) <= len(key) else (key, a)
            if len(short) >= 4 and short in long and len(short) / len(long) >= 0.35:
                s = max(s, 90)
        out.append(s)
    return out


@dataclass
class Match:
    indicator: Indicator | None
    how: str  # 'no+name' | 'no' | 'name' | 'none' | 'conflict'
    level: str | None = None  # a problem level when the match is doubtful
    message: str = ""
    by_no: Indicator | None = None
    by_name: Indicator | None = None


class IndicatorMatcher:
    """Finds the system indicator a row means, by its 序号 and its name."""

    NAME_OK = 80  # a name alone is trusted from here (with a margin over the runner-up)
    SAME = 60  # a name this close to the numbered indicator's agrees with the number
    LOOSE = 40  # below: the name clearly is not the numbered indicator

    def __init__(self, system: IndicatorSystem):
        self.system = system
        self.numbered: dict[int, list[Indicator]] = {}
        for i in system.indicators:
            if i.no is not None:
                self.numbered.setdefault(i.no, []).append(i)
        self.keys = [(name_key(i.name), i) for i in system.indicators]
        self._by_name: dict[str, tuple[Indicator | None, float]] = {}
        self._matches: dict[tuple, Match] = {}
        self._keys: dict[int, object] = {}  # id(indicator) -> its key (the system's own indicators)
        self._shape = _shape(system)
        self._key_list = [key for key, _i in self.keys]
        self._first_with_key: dict[str, int] = {}  # a name's key -> the first indicator of that key
        for n, (key, _i) in enumerate(self.keys):
            if key:
                self._first_with_key.setdefault(key, n)

    def _by_no(self, no: int | None, name: str, ind_name: Indicator | None) -> Indicator | None:
        """The indicator written with this 序号; where numbering restarts (per category or
        sheet) several are, and the row's name says which."""
        cands = self.numbered.get(no, []) if no is not None else []
        if len(cands) <= 1 or not name:
            return cands[0] if cands else None
        if ind_name in cands:
            return ind_name
        key = name_key(name)
        return max(cands, key=lambda i: name_score(key, name_key(i.name)))

    def ranked(self, name: str) -> list[tuple[float, Indicator]]:
        ks = [name_key(name)] + _aliases(name)
        return sorted(((max(name_score(k, key) for k in ks), ind) for key, ind in self.keys), key=lambda x: -x[0])

    def by_name(self, name: str) -> tuple[Indicator | None, float]:
        got = self._by_name.get(name)
        if got is None:
            got = self._by_name[name] = self._best_by_name(name)
        return got

    def _best_by_name(self, name: str) -> tuple[Indicator | None, float]:
        """What `ranked` would give first, and the runner-up's score, in one pass (each
        row of a sheet is matched against the whole system: no sort per row)."""
        if not self.keys:
            return None, 0
        ks = [name_key(name)] + _aliases(name)
        exact = [self._first_with_key[k] for k in ks if k in self._first_with_key]
        if exact:  # a score of 100 (the highest there is) means the same key: the first such wins
            return self.keys[min(exact)][1], 100
        scores = [_name_scores(k, self._key_list) for k in ks]
        best_s: float | None = None
        best: Indicator | None = None
        second: float = 0
        for (_key, ind), *each in zip(self.keys, *scores):
            s = max(each)
            if best_s is None:
                best_s, best = s, ind
            elif s > best_s:  # the first of equal scores stays first, as in the stable sort
                second, best_s, best = best_s, s, ind
            elif s > second:
                second = s
        if best_s >= 97 or (best_s >= self.NAME_OK and best_s - second >= 4):
            return best, best_s
        return None, best_s

    def key_of(self, ind: Indicator):
        """ind.key, made once (Indicator.key makes a new IndicatorKey each time it is asked)."""
        got = self._keys.get(id(ind))
        if got is None:
            got = self._keys[id(ind)] = ind.key
        return got

    def match(self, no: int | None, name: str, no_raw: str = "", *, exact_name_wins: bool = False) -> Match:
        """_match, kept per row text: every unit's sheet of a month names the same indicators
        (a Match is not changed by those who ask)."""
        key = (no, name, no_raw, exact_name_wins)
        got = self._matches.get(key)
        if got is None:
            if len(self._matches) >= 65536:
                self._matches.clear()
            got = self._matches[key] = self._match(no, name, no_raw, exact_name_wins=exact_name_wins)
        return got

    def _match(self, no: int | None, name: str, no_raw: str = "", *, exact_name_wins: bool = False) -> Match:
        """`exact_name_wins`: a row whose name is exactly another indicator's than its 序号 says is
        read by its name, with a warning (a statistics bureau's sheet, numbered its own way
        after a split row; a department's such row stays an error for the clerk to settle)."""
        ind_name, s_name = self.by_name(name) if name else (None, 0)
        ind_no = self._by_no(no, name, ind_name)
        if ind_no is not None:
            if not name:
                return Match(ind_no, "no", by_no=ind_no)
            s_no = name_score(name_key(name), name_key(ind_no.name))
            if ind_name is ind_no or (s_no >= self.SAME and ind_name is None) or s_no >= 85:
                short, full = name_key(name), name_key(ind_no.name)
                if len(short) + 2 <= len(full) and short not in _aliases(ind_no.name):
                    # 规上工业增加值 for 规模以上工业增加值增速: matched, and said, so a clerk can check
                    return Match(ind_no, "no+name", WARNING,
                                 f"名称「{normalize_name(name)}」是指标体系第 {ind_no.no} 项「{ind_no.name}」的简写，"
                                 "已按序号和名称对应；如不是同一指标，请改正序号或名称", ind_no, ind_name)
                return Match(ind_no, "no+name", by_no=ind_no, by_name=ind_name)
            if ind_name is not None and s_name >= 100 and exact_name_wins:
                return Match(ind_name, "name", WARNING,
                             f"序号「{no_raw or no}」在指标体系中是第 {ind_no.no} 项「{ind_no.name}」，"
                             f"但名称与第 {ind_name.no} 项「{ind_name.name}」完全相同，已按名称对应；"
                             f"如不是该指标，请改正序号或名称", ind_no, ind_name)
            if ind_name is not None:
                return Match(None, "conflict", ERROR,
                             f"序号「{no_raw or no}」在指标体系中是第 {ind_no.no} 项「{ind_no.name}」，"
                             f"但名称「{normalize_name(name)}」对应第 {ind_name.no} 项「{ind_name.name}」；"
                             f"请核对序号或名称，该行未采用", ind_no, ind_name)
            if s_no >= self.LOOSE:
                return Match(ind_no, "no", WARNING,
                             f"名称「{normalize_name(name)}」与指标体系第 {ind_no.no} 项「{ind_no.name}」不完全一致，已按序号对应",
                             ind_no)
            return Match(None, "conflict", ERROR,
                         f"序号「{no_raw or no}」在指标体系中是「{ind_no.name}」，但本行名称是「{normalize_name(name)}」，"
                         f"两者对不上；请核对序号或名称，该行未采用", ind_no)
        if ind_name is not None:
            if no is not None:
                return Match(ind_name, "name", WARNING,
                             f"序号「{no_raw or no}」在指标体系中不存在，已按名称对应到第 {ind_name.no} 项「{ind_name.name}」",
                             by_name=ind_name)
            return Match(ind_name, "name", by_name=ind_name)
        return Match(None, "none", ERROR,
                     f"「{normalize_name(name) or no_raw}」未能对应到指标体系中的任何指标；"
                     f"应使用指标体系中的序号和指标名称")


def _shape(system: IndicatorSystem) -> tuple:
    """What a matcher's answers and keys follow from (IndicatorKey: 序号, repeat, part, name)."""
    return tuple((i.no, i.name, i.repeat, i.path[0] if i.path else "", i.sheet) for i in system.indicators)


_MATCHERS: dict[int, IndicatorMatcher] = {}


def matcher_for(system: IndicatorSystem) -> IndicatorMatcher:
    """The system's matcher, made once while its indicators' numbers and names stay as they
    are: a province's month matches 120 units' sheets against one system."""
    m = _MATCHERS.get(id(system))
    if m is None or m.system is not system or m._shape != _shape(system):
        if len(_MATCHERS) >= 8:
            _MATCHERS.clear()
        m = _MATCHERS[id(system)] = IndicatorMatcher(system)  # (keeps the system: its id stays its own)
    return m


def is_section_row(table: Table, r: int, matcher: IndicatorMatcher | None) -> bool:
    """A category row ('一、项目建设', merged across): one text only, which is not an indicator."""
    text = looks_like_section(table, r)
    if text is None:
        return False
    if is_section_heading(text) or any((m := table.grid.merge_of(r, c)) is not None and m[1] < m[3]
                                       for c in range(len(table.grid.cells[r]))):
        return True
    return matcher is None or matcher.by_name(text)[0] is None


__all__ = ["IndicatorMatcher", "Match", "is_section_row", "matcher_for", "name_key", "name_score"]
