"""The report template engine: .xlsx templates made in Excel/WPS, Jinja2 in the cells.

    render("templates/一览表.xlsx", {"categories": [...]}, "output/一览表.xlsx")

Syntax (full description with examples in templates/README.md):
- `{{ expr }}` anywhere in a cell, page header/footer or sheet name. A cell that is one
  expression keeps the value's type (number, date, bool); everything else is text.
- `{%row for x in xs %}` … `{%row endfor %}`, `{%row if c %}` / `elif` / `else` /
  `endif`, `{%row set n = expr %}`: a row whose cells hold only such tags is removed
  from the output; tags in a row with content wrap that one row.
- `{%sheet for d in departments %}` (or `{%sheet if cond %}`) in any cell: one sheet
  per item; put `{{ d.name }}` in the sheet name.
- `{%cell merge %}` before a cell's expression: equal values in consecutive rows from
  that template cell are merged vertically.

How it works: the template is read as text (zip of XML parts). A first pass lays the
rows out (loops, conditions) and records which output rows each template row became;
a second pass streams the sheet XML, rendering each template row with one compiled
Jinja template per row. Everything tied to rows (merged cells, conditional formatting,
data validation, defined names, print area and titles, autofilter, freeze panes, page
breaks, formulas, drawing anchors, chart series, comments, tables) is re-pointed from
the row map. styles.xml and the shared strings are copied untouched; generated text is
written as inline strings.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
import re
import time
from collections import defaultdict
from pathlib import Path

import jinja2
from jinja2 import meta

from kaohe_excel.write._tpl_package import (
    CT_SHEET_MAIN, CT_WORKSHEET, T_CALC_CHAIN, T_CHART, T_COMMENTS, T_DRAWING, T_IMAGE, T_TABLE, T_VML,
    T_WORKSHEET, Package, PackageError, Rel, attrs, content_types_xml, esc, esc_attr, free_name, rels_path, rels_xml, unesc,
)
from kaohe_excel.write._tpl_pages import column_points, fold_widow, keep_breaks, page_frame
from kaohe_excel.write._tpl_sandbox import CELL_CHARS, MAX_OUT_ROWS, MAX_SHEETS, RENDER_SECONDS, make_environment
from kaohe_excel.write._tpl_refs import MAX_ROW, num_to_col, parse_formula, parse_range, quote_sheet, range_text
from kaohe_excel.write._tpl_sheet import (
    ForNode, IfNode, TemplateError, TemplateSheet, has_jinja, jinja_message, rich_text,
)
from kaohe_excel.write._tpl_styles import (
    DATE_FMT, DATETIME_FMT, Styles, default_row_height, parse_cols, row_height, width_of, wrapped_lines,
)

__all__ = ["render", "template_variables", "Template", "TemplateError", "make_environment", "Formula"]


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

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)

    def __eq__(self, other) -> bool:
        return self.value == (other.value if isinstance(other, Formula) else other)

    def __hash__(self) -> int:
        return hash(self.value)


_FIELD_RE = re.compile(r"\{([A-Za-z_][A-Za-z_0-9]*)\}")

# ---------------------------------------------------------------- public API ----


def render(template_path, context: dict, out_path, *, strict: bool = True,
           filters: dict | None = None, globals: dict | None = None,
           env: jinja2.Environment | None = None, autofit: bool = False) -> Path:
    """Render `template_path` with `context` into `out_path` (written atomically).
    Raises TemplateError naming file, sheet and cell on any template problem.
    `autofit`: every row with a custom height grows to fit its wrapped rendered text,
    as if each carried `{%row autofit %}`."""
    return Template(template_path, strict=strict, filters=filters, globals=globals, env=env,
                    autofit=autofit).render(context, out_path)


def template_variables(template_path, *, env: jinja2.Environment | None = None) -> set[str]:
    """Undeclared top-level variables the template uses (for `kaohe template check`)."""
    return Template(template_path, env=env).variables()


# ---------------------------------------------------------------- values --------

_XML_TABLE = {i: None for i in list(range(0, 9)) + [11, 12] + list(range(14, 32))}
_XML_TABLE.update({38: "&amp;", 60: "&lt;", 62: "&gt;", 0xFFFE: None, 0xFFFF: None})
_X_ESC = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EPOCH = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


def xtext(v: str) -> str:
    """A str made safe for an XML text node inside a cell."""
    if len(v) > 32767:
        v = v[:32767]
    if "_x" in v:  # Excel would decode _xHHHH_ as an escaped character
        v = _X_ESC.sub(r"_x005F_\1", v)
    return v.translate(_XML_TABLE)


def _serial(v, epoch) -> float:
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


# ---------------------------------------------------------------- layout --------


class LoopInfo:
    """`loop` inside a row loop: index, index0, first, last, length, revindex, parent."""

    __slots__ = ("index0", "length", "parent")

    def __init__(self, index0: int, length: int, parent):
        self.index0, self.length, self.parent = index0, length, parent

    index = property(lambda s: s.index0 + 1)
    first = property(lambda s: s.index0 == 0)
    last = property(lambda s: s.index0 == s.length - 1)
    revindex = property(lambda s: s.length - s.index0)
    revindex0 = property(lambda s: s.length - s.index0 - 1)

    def cycle(self, *args):
        return args[self.index0 % len(args)]


class Iter:
    """One iteration of a row loop: which output rows each template row became in it."""

    __slots__ = ("start", "end", "rows")

    def __init__(self, start: int, end: int):
        self.start, self.end, self.rows = start, end, {}


class Layout:
    """Template row -> output rows, for one sheet instance."""

    def __init__(self, max_trow: int):
        self.max_trow = max_trow
        self.produced: dict[int, list[int]] = {}
        self.iters: dict[int, list[Iter]] = defaultdict(list)
        self.total = 0
        self._lo: dict = {}
        self._hi: dict = {}
        self._pos: dict = {}

    @property
    def delta(self) -> int:
        return self.total - self.max_trow

    def pos(self, u: int) -> int:
        """Where row u is (or would have been) in the output."""
        if u > self.max_trow:
            return min(u + self.delta, MAX_ROW)
        p = self._pos.get(u)
        if p is None:
            lst = self.produced.get(u)
            if lst:
                p = lst[0]
            else:
                p = min((self.produced[v][0] for v in range(u + 1, self.max_trow + 1) if v in self.produced),
                        default=self.total + 1)
            self._pos[u] = p
        return p

    def last_or_pos(self, u: int) -> int:
        lst = self.produced.get(u) if u <= self.max_trow else None
        return lst[-1] if lst else self.pos(u) - 1

    @staticmethod
    def _scope(u: int, chain):
        if chain:
            for it in reversed(chain):
                if it.start <= u <= it.end:
                    return it
        return None

    def single(self, u: int, chain=None) -> int:
        it = self._scope(u, chain)
        if it is not None:
            lst = it.rows.get(u)
            if lst:
                return lst[0]
        return self.pos(u)

    def glo(self, r1: int, r2: int):
        key = (r1, r2)
        if key in self._lo:
            return self._lo[key]
        best = None
        prod = self.produced
        for u in range(r1, min(r2, self.max_trow) + 1):
            lst = prod.get(u)
            if lst and (best is None or lst[0] < best):
                best = lst[0]
        if best is None and r2 > self.max_trow:
            best = min(max(r1, self.max_trow + 1) + self.delta, MAX_ROW)
        self._lo[key] = best
        return best

    def ghi(self, r1: int, r2: int):
        key = (r1, r2)
        if key in self._hi:
            return self._hi[key]
        if r2 > self.max_trow:
            best = min(r2 + self.delta, MAX_ROW)
        else:
            best = None
            prod = self.produced
            for u in range(r1, r2 + 1):
                lst = prod.get(u)
                if lst and (best is None or lst[-1] > best):
                    best = lst[-1]
        self._hi[key] = best
        return best

    @staticmethod
    def _ilo(it: Iter, r1: int, r2: int):
        best = None
        for u in range(max(r1, it.start), min(r2, it.end) + 1):
            lst = it.rows.get(u)
            if lst and (best is None or lst[0] < best):
                best = lst[0]
        return best

    @staticmethod
    def _ihi(it: Iter, r1: int, r2: int):
        best = None
        for u in range(max(r1, it.start), min(r2, it.end) + 1):
            lst = it.rows.get(u)
            if lst and (best is None or lst[-1] > best):
                best = lst[-1]
        return best

    def span(self, r1: int, r2: int, chain1=None, chain2=None):
        """(first, last) output rows of the template rows r1..r2, or None if all vanished.
        A relative end inside an enclosing loop stays within the current iteration."""
        it1 = self._scope(r1, chain1)
        it2 = self._scope(r2, chain2)
        a = self._ilo(it1, r1, r2) if it1 is not None else None
        if a is None:
            a = self.glo(r1, r2)
        b = self._ihi(it2, r1, r2) if it2 is not None else None
        if b is None:
            b = self.ghi(r1, r2)
        if a is None or b is None:
            return None
        if a > b:
            a, b = b, a
        return a, b

    def runs(self, r1: int, r2: int) -> list[tuple[int, int]]:
        """All output rows of template rows r1..r2, as sorted contiguous runs."""
        rows = []
        prod = self.produced
        for u in range(r1, min(r2, self.max_trow) + 1):
            lst = prod.get(u)
            if lst:
                rows.extend(lst)
        out: list[list[int]] = []
        if rows:
            rows.sort()
            a = b = rows[0]
            for x in rows[1:]:
                if x == b + 1 or x == b:
                    b = x
                else:
                    out.append([a, b])
                    a = b = x
            out.append([a, b])
        if r2 > self.max_trow:
            a = min(max(r1, self.max_trow + 1) + self.delta, MAX_ROW)
            b = min(r2 + self.delta, MAX_ROW)
            if out and out[-1][1] + 1 >= a:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
        return [tuple(x) for x in out]


class Instance:
    """One output sheet: a template sheet rendered with one context."""

    def __init__(self, tsheet, ctx: dict, name: str):
        self.tsheet, self.ctx, self.name = tsheet, ctx, name
        self.layout: Layout | None = None
        self.out: list = []
        self.part = ""
        self.rid = ""
        self.index = 0
        self.copy_no = 0  # 0: the first instance of its template sheet


# ---------------------------------------------------------------- the template --

_SHEET_RE = re.compile(r"<sheet\b([^>]*?)/?>", re.S)
_DN_RE = re.compile(r"<definedName\b([^>]*)>(.*?)</definedName>|<definedName\b[^>]*/>", re.S)
_HF_RE = re.compile(r"<(oddHeader|oddFooter|evenHeader|evenFooter|firstHeader|firstFooter)>(.*?)</\1>", re.S)
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def excel_sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel and WPS accept, whatever text it was built from: no []:*?/ or backslash or
    control characters, at most 31 characters, no apostrophe at either end (also after the
    cut), not the reserved History, not a duplicate of one already `taken` (casefolded; the
    name is added to it)."""
    name = _BAD_NAME.sub("_", _CONTROL.sub("", str(name))).strip().strip("'")[:31].strip().strip("'") or "Sheet"
    if name.casefold() == "history":
        name += "_"
    base, k = name, 2
    while name.casefold() in taken:
        suffix = f"({k})"
        name = base[: 31 - len(suffix)].rstrip("'") + suffix
        k += 1
    taken.add(name.casefold())
    return name


_CF_RE = re.compile(r"<conditionalFormatting\b([^>]*)>(.*?)</conditionalFormatting>", re.S)
_DV_RE = re.compile(r"<dataValidation\b([^>]*?)(?:/>|>(.*?)</dataValidation>)", re.S)
_CF_F_RE = re.compile(r"(<formula>)(.*?)(</formula>)", re.S)
_DV_F_RE = re.compile(r"(<formula[12]>)(.*?)(</formula[12]>)", re.S)
_XM_F_RE = re.compile(r"(<xm:f>)(.*?)(</xm:f>)", re.S)


def _rule_formulas(suffix: str):
    """(where, formula text) of every conditional-formatting and data-validation
    formula of a sheet (for Jinja syntax checks and template_variables)."""
    for m in _CF_RE.finditer(suffix):
        where = f"条件格式 {attrs(m.group(1)).get('sqref', '')}"
        for f in _CF_F_RE.finditer(m.group(2)):
            yield where, unesc(f.group(2))
    for m in _DV_RE.finditer(suffix):
        where = f"数据有效性 {attrs(m.group(1)).get('sqref', '')}"
        for f in _DV_F_RE.finditer(m.group(2) or ""):
            yield where, unesc(f.group(2))
    for f in _XM_F_RE.finditer(suffix):
        yield "条件格式/数据有效性（扩展）", unesc(f.group(2))


_BUILTIN_ATTRS = frozenset(n for t in (str, int, float, list, dict, tuple) for n in dir(t)) | {
    "index", "index0", "first", "last", "length", "revindex", "revindex0", "parent", "cycle"}


def _hf_finalize(v):
    if v is None:
        return ""
    return str(v).replace("&", "&&")


class Template:
    """A parsed template, reusable for many renders."""

    def __init__(self, path, *, strict: bool = True, filters: dict | None = None,
                 globals: dict | None = None, env: jinja2.Environment | None = None, autofit: bool = False):
        self.path = Path(path)
        self.autofit = autofit
        self.file = self.path.name
        self.env = env or make_environment(strict=strict, filters=filters, globals=globals)
        self.strict = isinstance(self.env.undefined, type) and issubclass(self.env.undefined, jinja2.StrictUndefined)
        self.hf_env = self.env.overlay(finalize=_hf_finalize)
        try:
            self.pkg = pkg = Package(self.path)
        except PackageError as e:
            raise TemplateError(self.file, None, None, str(e)) from None
        except (OSError, KeyError, ValueError) as e:
            raise TemplateError(self.file, None, None, "无法作为 .xlsx 模板打开（文件缺少 .xlsx 必需的部分，或无法读取）；"
                                                       f"技术信息：{type(e).__name__}: {e}") from None
        except Exception as e:  # zipfile.BadZipFile and friends
            raise TemplateError(self.file, None, None, _not_xlsx(self.path, e)) from None
        root_rels = pkg.rels("")
        wb = next((r.target for r in root_rels if r.type.endswith("/officeDocument")), "xl/workbook.xml")
        self.wb_part = wb
        self.wb_xml = pkg.text(wb)
        self.wb_rels = pkg.rels(wb)
        self.date1904 = bool(re.search(r'<workbookPr\b[^>]*date1904="(1|true)"', self.wb_xml))
        self.epoch = _EPOCH_1904 if self.date1904 else _EPOCH
        self.styles_part = next((r.target for r in self.wb_rels if r.type.endswith("/styles")), None)
        self.styles = Styles(pkg.text(self.styles_part) if self.styles_part and pkg.has(self.styles_part) else None)
        self._session = self.styles.session()
        sst_part = next((r.target for r in self.wb_rels if r.type.endswith("/sharedStrings")), None)
        sst = []
        if sst_part and pkg.has(sst_part):
            sst = [rich_text(m) for m in re.findall(r"<si>(.*?)</si>|<si/>", pkg.text(sst_part), re.S)]
        rel_by_id = {r.id: r for r in self.wb_rels}
        self.sheets = []  # dicts: name, attrs_raw, rel, ts (TemplateSheet | None)
        for raw in _SHEET_RE.findall(self.wb_xml.split("<sheets", 1)[1].split("</sheets>", 1)[0]):
            a = attrs(raw)
            rid = a.get("r:id") or next((v for k, v in a.items() if k.endswith(":id")), "")
            rel = rel_by_id.get(rid)
            entry = {"name": a.get("name", ""), "raw": raw, "rel": rel, "ts": None, "name_tpl": None, "hf": [],
                     "fx": []}
            if rel is not None and rel.type == T_WORKSHEET and pkg.has(rel.target):
                ts = TemplateSheet(self, entry["name"], rel.target, pkg.text(rel.target), sst)
                entry["ts"] = ts
                if has_jinja(entry["name"]):
                    try:
                        entry["name_tpl"] = self.env.from_string(entry["name"])
                    except jinja2.TemplateSyntaxError as e:
                        raise TemplateError(self.file, entry["name"], "工作表名", jinja_message(e)) from None
                for tag, text in _HF_RE.findall(ts.suffix):
                    t = unesc(text)
                    if has_jinja(t):
                        try:
                            self.hf_env.from_string(t)
                        except jinja2.TemplateSyntaxError as e:
                            raise TemplateError(self.file, entry["name"], "页眉页脚", jinja_message(e)) from None
                        entry["hf"].append(t)
                for where, t in _rule_formulas(ts.suffix):
                    if has_jinja(t):
                        try:
                            self.env.from_string(t)
                        except jinja2.TemplateSyntaxError as e:
                            raise TemplateError(self.file, entry["name"], where, jinja_message(e)) from None
                        entry["fx"].append(t)
            self.sheets.append(entry)
        if not any(e["ts"] is not None and (e["ts"].has_content or e["hf"]) for e in self.sheets) and \
                not any(e["rel"] is not None and e["rel"].type != T_WORKSHEET for e in self.sheets):
            # a blank workbook saved under a template's name: it would give a blank report
            raise TemplateError(self.file, None, None, "模板是空的：没有任何单元格有内容，请检查是否保存错了文件")
        self._hf_cache: dict[str, jinja2.Template] = {}
        self._fx_cache: dict[str, jinja2.Template] = {}
        self._ht_cache: dict[str, float] = {}
        self._title_rows()

    def _title_rows(self) -> None:
        """Each template sheet's print titles (rows repeated on every page), for page placement."""
        for e in self.sheets:
            if e["ts"] is not None:
                e["ts"].title_rows = None
        dm = re.search(r"<definedNames>(.*?)</definedNames>", self.wb_xml, re.S)
        for m in _DN_RE.finditer(dm.group(1) if dm else ""):
            if m.group(1) is None:
                continue
            a = attrs(m.group(1))
            if a.get("name") != "_xlnm.Print_Titles" or not a.get("localSheetId", "").isdigit():
                continue
            i = int(a["localSheetId"])
            rows = re.search(r"\$(\d+):\$(\d+)", unesc(m.group(2)))
            if i < len(self.sheets) and self.sheets[i]["ts"] is not None and rows:
                self.sheets[i]["ts"].title_rows = (int(rows.group(1)), int(rows.group(2)))

    # ---------------------------------------------------------- variables
    def variables(self) -> set[str]:
        names: set[str] = set()
        for e in self.sheets:
            ts = e["ts"]
            if ts is None:
                continue
            src = ts.jinja_source(e["name"] if e["name_tpl"] is not None else "", e["hf"], e["fx"])
            try:  # the whole sheet as one source, row loops nested: parsed for names, never run
                ast = jinja2.Environment().parse(src)
            except jinja2.TemplateSyntaxError as ex:
                raise TemplateError(self.file, e["name"], None, jinja_message(ex)) from None
            names |= meta.find_undeclared_variables(ast)
        return names - {"loop", "rownum"} - set(self.env.globals)

    def attributes(self) -> dict[str, str]:
        """Field names the template reads from its data (`x.name`, `r['items']`), each with
        the first place it is used (工作表「一览表」单元格 B7): a misspelt field passes the
        variable check but fails the run, so `kaohe template check` compares these too.
        Methods of text, numbers, lists and dicts and `loop.*` are left out."""
        return self._places()[0]

    def name_places(self) -> dict[str, str]:
        """Every plain name the template reads ({{ county }}), with the first place it is
        used, so a clerk is told which cell holds a name the report does not give."""
        return self._places()[1]

    def _places(self) -> tuple[dict[str, str], dict[str, str]]:
        found: dict[str, str] = {}
        names: dict[str, str] = {}

        def scan(src: str, where: str) -> None:
            try:
                ast = self.env.parse(src)
            except jinja2.TemplateSyntaxError:
                return
            for node in ast.find_all(jinja2.nodes.Name):
                if node.ctx == "load":
                    names.setdefault(node.name, where)
            for node in ast.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
                if isinstance(node, jinja2.nodes.Getattr):
                    name = node.attr
                elif isinstance(node.arg, jinja2.nodes.Const) and isinstance(node.arg.value, str):
                    name = node.arg.value
                else:
                    continue
                if isinstance(node.node, jinja2.nodes.Name) and node.node.name == "loop":
                    continue
                if name not in _BUILTIN_ATTRS:
                    found.setdefault(name, where)

        for e in self.sheets:
            ts = e["ts"]
            if ts is None:
                continue
            sheet = f"工作表「{e['name']}」"
            if ts.sheet_tag:
                scan("{%% %s %%}{%% end%s %%}" % (ts.sheet_tag[0], ts.sheet_tag[0].split()[0]),
                     f"{sheet}单元格 {ts.sheet_tag[1]}")
            for r in sorted(ts.rows):
                for c in ts.rows[r].jcells:
                    scan(("{{ (%s) }}" % c.src) if c.whole else c.src, f"{sheet}单元格 {c.ref}")

            def walk(nodes):
                for n in nodes:
                    if isinstance(n, ForNode):
                        scan("{{ (%s) }}" % n.src, f"{sheet}单元格 {n.cell}")
                        walk(n.body)
                        walk(n.else_body)
                    elif isinstance(n, IfNode):
                        for src, _e, body, cell in n.branches:
                            scan("{{ (%s) }}" % src, f"{sheet}单元格 {cell}")
                            walk(body)
                        walk(n.else_body or [])
                    elif not isinstance(n, int):  # SetNode
                        scan("{{ (%s) }}" % n.src, f"{sheet}单元格 {n.cell}")

            walk(ts.program)
            for t in e["hf"]:
                scan(t, f"{sheet}页眉页脚")
            for t in e["fx"]:
                scan(t, f"{sheet}条件格式/数据有效性")
        return found, names

    # ---------------------------------------------------------- render
    def render(self, context: dict, out_path) -> Path:
        out_path = Path(out_path)
        self._deadline = time.monotonic() + RENDER_SECONDS
        self._session = self.styles.session()  # cellXfs this render appends (dates in General cells)
        base = dict(self.env.globals)
        base.update(context or {})
        instances: list[Instance] = []
        self.by_name: dict[str, list[Instance]] = {}
        self.passthrough: list[dict] = []
        taken: set[str] = set()
        order = []  # (entry, [instances]) in sheet order
        for e in self.sheets:
            ts = e["ts"]
            if ts is None:
                order.append((e, None))
                taken.add(e["name"].casefold())
                continue
            ctxs = self._sheet_contexts(e, base)
            insts = []
            for ctx in ctxs:
                name = self._sheet_name(e, ctx, taken)
                inst = Instance(ts, ctx, name)
                inst.copy_no = len(insts)
                self._layout(inst)
                insts.append(inst)
            self.by_name[e["name"].casefold()] = insts
            order.append((e, insts))
            instances.extend(insts)
        if not instances and not any(i is None for _, i in order):
            raise TemplateError(self.file, None, None, "渲染后没有任何工作表（所有 {%sheet%} 循环都为空）")
        self._order = order
        return self._write(order, out_path)

    def _sheet_contexts(self, e, base) -> list[dict]:
        ts = e["ts"]
        if ts.sheet_tag is None:
            return [base]
        stmt, cell = ts.sheet_tag
        from kaohe_excel.write._tpl_sheet import FOR_RE
        if stmt.startswith("for"):
            m = FOR_RE.match(stmt)
            if not m:
                raise ts.err(cell, f"写法应为「{{%sheet for 变量 in 列表 %}}」，实际是「{stmt}」")
            targets = [t.strip() for t in m.group(1).strip("() ").split(",")]
            expr = ts.compile_expr(m.group(2), cell)
            items = self._eval(ts, expr, base, cell)
            items = self._as_list(ts, items, cell)
            if len(items) > MAX_SHEETS:
                raise ts.err(cell, f"{{%sheet for %}} 要生成 {len(items)} 个工作表，超过上限 {MAX_SHEETS} 个")
            out = []
            for k, item in enumerate(items):
                ctx = dict(base)
                self._assign(ts, ctx, targets, item, cell)
                ctx["loop"] = LoopInfo(k, len(items), None)
                out.append(ctx)
            return out
        if stmt.startswith("if"):
            expr = ts.compile_expr(stmt[2:].strip(), cell)
            return [base] if self._eval(ts, expr, base, cell) else []
        raise ts.err(cell, f"不认识的工作表标记「{stmt}」（可用：for / if）")

    def _sheet_name(self, e, ctx, taken: set[str]) -> str:
        if e["name_tpl"] is not None:
            try:
                name = e["name_tpl"].render(ctx)
            except Exception as ex:
                raise TemplateError(self.file, e["name"], "工作表名", jinja_message(ex)) from None
        else:
            name = e["name"]
        return excel_sheet_name(name, taken)

    def _eval(self, ts, expr, ctx, cell):
        try:
            v = expr(ctx)
        except Exception as ex:
            raise ts.err(cell, jinja_message(ex)) from None
        if isinstance(v, jinja2.Undefined):
            if self.strict:
                try:
                    str(v)
                except Exception as ex:
                    raise ts.err(cell, jinja_message(ex)) from None
            return None
        return v

    @staticmethod
    def _as_list(ts, items, cell) -> list:
        if items is None:
            return []
        if isinstance(items, dict):
            return list(items.items())
        if isinstance(items, (str, bytes)):
            raise ts.err(cell, "循环的对象是一段文字，不是列表")
        try:
            return list(items)
        except TypeError:
            raise ts.err(cell, f"循环的对象不是列表（{type(items).__name__}）") from None

    @staticmethod
    def _assign(ts, ctx, targets, item, cell):
        if len(targets) == 1:
            ctx[targets[0]] = item
            return
        try:
            vals = list(item)
        except TypeError:
            raise ts.err(cell, f"无法把 {type(item).__name__} 拆成 {len(targets)} 个循环变量") from None
        if len(vals) != len(targets):
            raise ts.err(cell, f"循环变量有 {len(targets)} 个，但每项有 {len(vals)} 个值")
        ctx.update(zip(targets, vals))

    # ---------------------------------------------------------- pass 1: layout
    def _layout(self, inst: Instance) -> None:
        ts = inst.tsheet
        L = Layout(ts.max_row)
        out = inst.out
        rows = ts.rows
        produced = L.produced
        counter = [0]
        ticks = [0]  # loop items since the last time check (loops that make no rows)

        def run(nodes, ctx, chain, loop):
            for node in nodes:
                if type(node) is int:
                    counter[0] += 1
                    n = counter[0]
                    if not n & 4095:
                        self._bounds(ts, n)
                    lst = produced.get(node)
                    if lst is None:
                        produced[node] = [n]
                    else:
                        lst.append(n)
                    for it in chain:
                        l2 = it.rows.get(node)
                        if l2 is None:
                            it.rows[node] = [n]
                        else:
                            l2.append(n)
                    tr = rows.get(node)
                    if tr is not None:
                        out.append((tr, ctx, chain, n))
                elif type(node) is ForNode:
                    items = self._as_list(ts, self._eval(ts, node.expr, ctx, node.cell), node.cell)
                    if not items:
                        if node.else_body:
                            run(node.else_body, ctx, chain, loop)
                        continue
                    iters = L.iters[id(node)]
                    length = len(items)
                    single = len(node.targets) == 1
                    t0 = node.targets[0]
                    ticks[0] += length
                    if ticks[0] > 4096:
                        ticks[0] = 0
                        self._bounds(ts, counter[0])
                    for k, item in enumerate(items):
                        it = Iter(node.start, node.end)
                        iters.append(it)
                        c2 = dict(ctx)
                        if single:
                            c2[t0] = item
                        else:
                            self._assign(ts, c2, node.targets, item, node.cell)
                        info = LoopInfo(k, length, loop)
                        c2["loop"] = info
                        run(node.body, c2, chain + (it,), info)
                elif type(node) is IfNode:
                    for src, expr, body, cell in node.branches:
                        if self._eval(ts, expr, ctx, cell):
                            run(body, ctx, chain, loop)
                            break
                    else:
                        if node.else_body:
                            run(node.else_body, ctx, chain, loop)
                else:  # SetNode
                    ctx = dict(ctx)
                    ctx[node.name] = self._eval(ts, node.expr, ctx, node.cell)

        run(ts.program, inst.ctx, (), inst.ctx.get("loop"))
        L.total = counter[0]
        inst.layout = L

    # ---------------------------------------------------------- formulas
    def _target(self, sheet: str, inst: Instance | None):
        """The instance a sheet name in a formula points to: False if not one of ours,
        None if that sheet was not rendered at all."""
        key = sheet.casefold()
        if inst is not None and inst.tsheet.name.casefold() == key:
            return inst
        insts = self.by_name.get(key, False)
        if insts is False:
            return False
        return insts[0] if insts else None

    def formula(self, parts: list, inst: Instance | None, chain=(), expand: bool = False) -> str:
        """Re-point a parsed formula. `expand`: a single cell on a loop row becomes the
        range of all its output rows (chart series made from one template row)."""
        out = []
        for p in parts:
            if type(p) is str:
                out.append(p)
                continue
            if p.sheet is None:
                if inst is None:
                    out.append(p.raw)
                    continue
                tgt, tok, ch = inst, None, chain
            else:
                tgt = self._target(p.sheet, inst)
                if tgt is False:
                    out.append(p.raw)
                    continue
                if tgt is None:
                    out.append("#REF!")
                    continue
                tok = quote_sheet(tgt.name)
                ch = chain if tgt is inst else ()
            if p.kind in ("cols", "raw"):
                out.append((tok or "") + p.raw_body())
                continue
            L = tgt.layout
            if p.kind == "cell":
                if expand and len(L.produced.get(p.r1, ())) > 1:
                    sp = L.span(p.r1, p.r1)
                    out.append(f"{tok or ''}{p.c1}{'$' if p.abs1 else ''}{sp[0]}:{p.c1}{'$' if p.abs1 else ''}{sp[1]}")
                    continue
                n = L.single(p.r1, None if p.abs1 else ch)
                out.append(p.text(tok, n, n))
                continue
            sp = L.span(p.r1, p.r2, None if p.abs1 else ch, None if p.abs2 else ch)
            out.append("#REF!" if sp is None else p.text(tok, sp[0], sp[1]))
        return "".join(out)

    def formula_text(self, text: str, inst: Instance | None, expand: bool = False) -> str:
        return self.formula(parse_formula(text), inst, (), expand)

    # ---------------------------------------------------------- sqref helpers
    @staticmethod
    def map_sqref(sqref: str, L: Layout) -> str:
        out = []
        seen = set()
        for piece in sqref.split():
            p = piece.replace("$", "")
            if re.fullmatch(r"[A-Za-z]{1,3}(:[A-Za-z]{1,3})?", p):
                txt = [piece]
            elif re.fullmatch(r"\d+(:\d+)?", p):
                a, _, b = p.partition(":")
                txt = [f"{x}:{y}" for x, y in L.runs(int(a), int(b or a))]
            else:
                try:
                    r1, c1, r2, c2 = parse_range(p)
                except ValueError:
                    txt = [piece]
                else:
                    txt = [range_text(x, c1, y, c2) for x, y in L.runs(r1, r2)]
            for t in txt:
                if t not in seen:
                    seen.add(t)
                    out.append(t)
        return " ".join(out)

    def _bounds(self, ts, rows: int) -> None:
        """Stop a template that would write more rows than a sheet holds or run past its
        time: a loop over range() inside a loop, or a very slow expression."""
        if rows > MAX_OUT_ROWS:
            raise TemplateError(self.file, ts.name, None, f"生成的行数超过 Excel 一个工作表的上限 {MAX_OUT_ROWS} 行，"
                                                         "请检查 {%row for %} 循环")
        if time.monotonic() > self._deadline:
            raise TemplateError(self.file, ts.name, None, f"生成报表超过 {RENDER_SECONDS:.0f} 秒仍未完成，已停止；"
                                                         "请检查模板中的循环是否过多")

    # ---------------------------------------------------------- pass 2: sheet XML
    def _cell_value(self, c, n: int, v) -> str:
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
            return self._cell_value(c, n, str(v))
        if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
            s_attr = c.s_attr
            if isinstance(v, _dt.date) and not self.styles.is_date(c.style):
                s_attr = self._date_style(c, isinstance(v, _dt.datetime))
            return f'{c.pre}{n}"{s_attr}><v>{_serial(v, self.epoch)!r}</v></c>'
        if isinstance(v, jinja2.Undefined):
            if self.strict:
                str(v)  # raises UndefinedError
            return f'{c.pre}{n}"{c.s_attr}/>'
        if isinstance(v, numbers.Number):
            try:
                f = float(v)
            except (TypeError, ValueError):
                return self._cell_value(c, n, str(v))
            if isinstance(v, numbers.Integral):
                return self._cell_value(c, n, int(v))
            return self._cell_value(c, n, f)
        return self._cell_value(c, n, str(v))

    def _formula_cell(self, c, n: int, v: Formula, tr) -> str:
        cols = tr.field_cols
        if cols is None:  # x.rank -> its column, once per template row
            cols = tr.field_cols = {}
            for j in tr.jcells:
                m = re.fullmatch(r"\s*[A-Za-z_]\w*\s*\.\s*([A-Za-z_]\w*)\s*", j.src) if j.whole else None
                if m:
                    cols.setdefault(m.group(1), num_to_col(j.col))
        missing = [f for f in _FIELD_RE.findall(v.text) if f not in cols]
        if missing:
            return self._cell_value(c, n, v.value)
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
        s = self._session.with_format(c.style, DATETIME_FMT if with_time else DATE_FMT)
        if s is None:
            return c.s_attr
        if re.search(r'\bs="', c.s_attr):
            return re.sub(r'\bs="[^"]*"', f's="{s}"', c.s_attr, count=1)
        return f' s="{s}"' + c.s_attr

    def _render_row(self, inst, tr, ctx, n) -> list:
        tpl = tr.tpl
        if tpl is not None:
            try:
                cx = tpl.new_context(ctx, shared=True)
                cx.vars["rownum"] = n
                for _ in tpl.root_render_func(cx):
                    pass
                v = cx.vars
                return [v[k] for k in tr.keys]
            except Exception:
                pass
        # one cell at a time: slower, and names the failing cell
        vals = []
        for c in tr.jcells:
            try:
                if c.whole:
                    ex = _expr_cache(self.env, c.src)
                    val = ex(ctx, rownum=n)
                    if isinstance(val, jinja2.Undefined) and self.strict:
                        str(val)
                else:
                    val = tr.cell_tpls[c.col].render(ctx, rownum=n)
            except Exception as e:
                raise TemplateError(self.file, inst.tsheet.name, c.ref,
                                    jinja_message(e) + f"（输出工作表「{inst.name}」第 {n} 行）") from None
            vals.append(val)
        return vals

    def _write_sheet(self, inst: Instance, fh) -> None:
        ts = inst.tsheet
        merges: list[str] = []
        merge_state: dict[int, list] = {}
        buf: list[str] = []
        last_n = 0
        ap = buf.append
        cell_value = self._cell_value
        autofit = self.autofit
        heights = inst.heights = {}  # output row -> its row attributes (page placement)
        keeps = inst.keeps = []
        for tr, ctx, chain, n in inst.out:
            last_n = n
            vals = self._render_row(inst, tr, ctx, n) if tr.jcells else None
            row_attrs = tr.attrs
            if (tr.autofit or autofit) and vals:
                fit = tr.fit
                if fit is None:
                    fit = tr.fit = self._fit_plan(ts, tr)
                if fit:
                    row_attrs = self._fit_attrs(fit, vals)
            ap(f'<row r="{n}"{row_attrs}>')
            heights[n] = row_attrs
            if tr.keep:
                keeps.append((n, None if tr.keep is True else tr.keep))
            k = 0
            for c in tr.cells:
                kind = c.kind
                if kind == "static":
                    ap(f"{c.pre}{n}{c.post}")
                elif kind == "jinja":
                    v = vals[k]
                    k += 1
                    if c.merge_same:
                        st = merge_state.get(id(c))
                        if st is not None and st[1] == n - 1 and v == st[2] and v not in (None, ""):
                            st[1] = n
                            ap(f'{c.pre}{n}"{c.s_attr}/>')
                            continue
                        if st is not None and st[1] > st[0]:
                            merges.append(f"{num_to_col(c.col)}{st[0]}:{num_to_col(c.col)}{st[1]}")
                        merge_state[id(c)] = [n, n, v, c.col]
                    try:
                        ap(self._formula_cell(c, n, v, tr) if type(v) is Formula else cell_value(c, n, v))
                    except Exception as e:
                        raise TemplateError(self.file, ts.name, c.ref,
                                            jinja_message(e) + f"（输出工作表「{inst.name}」第 {n} 行）") from None
                else:
                    f = self.formula(c.fparts, inst, chain)
                    ref = f' ref="{num_to_col(c.col)}{n}"' if c.array else ""
                    ap(f'{c.pre}{n}"{c.s_attr}><f{c.fattrs}{ref}>{esc(f)}</f></c>')
            ap("</row>")
            if not n & 4095 and time.monotonic() > self._deadline:
                self._bounds(ts, 0)
            if len(buf) > 8192:
                fh.write("".join(buf).encode("utf-8"))
                buf.clear()
        for a, b, _v, col in merge_state.values():
            if b > a:
                merges.append(f"{num_to_col(col)}{a}:{num_to_col(col)}{b}")
        if buf:
            fh.write("".join(buf).encode("utf-8"))
        inst.last_row = last_n
        inst.extra_merges = merges

    def _fit_plan(self, ts, tr):
        """What `{%row autofit %}` needs for template row `tr`, worked out once: for each
        wrapped Jinja cell its index among the row's values, its width (a cell merged
        across columns gets their sum) and font size; the template height (the minimum)
        and the row's other attributes. False if the row has nothing to fit."""
        a = attrs(tr.attrs)
        if not self.autofit and not tr.autofit:
            return False
        if self.autofit and not tr.autofit and a.get("customHeight") not in ("1", "true"):
            return False  # the engine-wide switch only touches rows with a custom height
        if ts.fit_geometry is None:
            cols, default = parse_cols(ts.prefix)
            spans, covered = {}, set()
            m = re.search(r"<mergeCells\b.*?</mergeCells>", ts.suffix, re.S)
            for ref in re.findall(r'<mergeCell\b[^>]*\bref="([^"]+)"', m.group(0) if m else ""):
                try:
                    r1, c1, r2, c2 = parse_range(ref)
                except ValueError:
                    continue
                for r in range(r1, min(r2, ts.max_row) + 1):
                    for c in range(c1, c2 + 1):
                        covered.add((r, c))
                if r1 == r2:
                    spans[(r1, c1)] = c2
                else:
                    covered.add((r1, c1))  # merged down: the text spreads over several rows
            ts.fit_geometry = (cols, default, spans, covered, default_row_height(ts.prefix))
        cols, default, spans, covered, default_ht = ts.fit_geometry
        cells = []
        for k, c in enumerate(tr.jcells):
            if c.merge_same or ((tr.r, c.col) in covered and (tr.r, c.col) not in spans):
                continue
            _fmt, size, wrap = self.styles.info(c.style)
            if not wrap:
                continue
            width = sum(width_of(cols, default, col) for col in range(c.col, spans.get((tr.r, c.col), c.col) + 1))
            cells.append((k, width, size))
        if not cells:
            return False
        try:
            min_ht = float(a["ht"]) if "ht" in a else default_ht
        except ValueError:
            min_ht = default_ht
        rest = "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items() if k not in ("ht", "customHeight"))
        return cells, min_ht, rest, tr.attrs

    @staticmethod
    def _fit_attrs(fit, vals) -> str:
        cells, min_ht, rest, orig = fit
        h = min_ht
        for k, width, size in cells:
            v = vals[k]
            if type(v) is not str or not v:
                continue
            need = row_height(wrapped_lines(v, width, size), size)
            if need > h:
                h = need
        if h == min_ht:
            return orig
        return f' ht="{h:g}" customHeight="1"{rest}'

    def _prefix(self, inst: Instance, active: bool) -> str:
        ts, L = inst.tsheet, inst.layout
        s = ts.prefix
        last = max(inst.out[-1][3] if inst.out else 1, 1)
        dim = f"A1:{num_to_col(ts.max_col)}{last}" if (inst.out or ts.max_col > 1) else "A1"
        if "<dimension" in s:
            s = re.sub(r'<dimension\b[^>]*/>', f'<dimension ref="{dim}"/>', s, count=1)

        def pane(m):
            a = attrs(m.group(1))
            if "ySplit" in a and a.get("state") in ("frozen", "frozenSplit"):
                y = int(float(a["ySplit"]))
                if y > 0:
                    a["ySplit"] = str(L.pos(y + 1) - 1)
            if "topLeftCell" in a:
                a["topLeftCell"] = self._map_cell(a["topLeftCell"], L)
            return "<pane" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items()) + "/>"

        s = re.sub(r"<pane\b([^>]*?)/>", pane, s)

        def sel(m):
            a = attrs(m.group(1))
            if "activeCell" in a:
                a["activeCell"] = self._map_cell(a["activeCell"], L)
            if "sqref" in a:
                a["sqref"] = self.map_sqref(a["sqref"], L) or a.get("activeCell", "A1")
            return "<selection" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items()) + "/>"

        s = re.sub(r"<selection\b([^>]*?)/>", sel, s)

        def view(m):
            body = re.sub(r'\s+tabSelected="[^"]*"', "", m.group(1))
            body = re.sub(r'(topLeftCell=")([^"]*)(")', lambda x: x.group(1) + self._map_cell(x.group(2), L) + x.group(3), body)
            if active:
                body = ' tabSelected="1"' + body
            return "<sheetView" + body + m.group(2)

        s = re.sub(r"<sheetView\b([^>]*?)(/?>)", view, s, count=1)
        return s

    @staticmethod
    def _map_cell(ref: str, L: Layout) -> str:
        m = re.fullmatch(r"(\$?[A-Za-z]{1,3})(\$?)(\d+)", ref)
        if not m:
            return ref
        return f"{m.group(1)}{m.group(2)}{L.pos(int(m.group(3)))}"

    def _block_of(self, ts, r1: int, r2: int):
        best = None
        for b in ts.blocks:
            if b.start <= r1 and r2 <= b.end and (best is None or b.start >= best.start and b.end <= best.end):
                best = b
        return best

    def _merges(self, inst: Instance) -> list[str]:
        ts, L = inst.tsheet, inst.layout
        out = []
        m = re.search(r"<mergeCells\b.*?</mergeCells>", ts.suffix, re.S)
        if m:
            for ref in re.findall(r'<mergeCell\b[^>]*\bref="([^"]+)"', m.group(0)):
                try:
                    r1, c1, r2, c2 = parse_range(ref)
                except ValueError:
                    continue
                block = self._block_of(ts, r1, r2)
                spans = []
                if block is None:
                    sp = (L.glo(r1, r2), L.ghi(r1, r2))
                    if sp[0] is not None and sp[1] is not None:
                        spans.append(sp)
                else:
                    for it in L.iters.get(id(block), ()):
                        a, b = L._ilo(it, r1, r2), L._ihi(it, r1, r2)
                        if a is not None:
                            spans.append((a, b))
                for a, b in spans:
                    if a != b or c1 != c2:
                        out.append(range_text(a, c1, b, c2))
        out.extend(inst.extra_merges)
        return out

    def _breaks(self, inst: Instance, xml: str) -> str:
        ts, L = inst.tsheet, inst.layout
        ids = []
        for a in map(attrs, re.findall(r"<brk\b([^>]*?)/?>", xml)):
            r = int(a.get("id", "0"))
            tr = ts.rows.get(r) if 0 < r <= ts.max_row else None
            if tr is not None and tr.control:
                ids.extend((i, a) for i in self._tag_row_breaks(ts, L, r))
                continue
            block = self._block_of(ts, r, r) if 0 < r <= ts.max_row else None
            if block is None:
                ids.append((L.last_or_pos(r), a))
            else:
                for it in L.iters.get(id(block), ()):
                    b = L._ihi(it, r, r)
                    if b is not None:
                        ids.append((b, a))
        ids = sorted({i: a for i, a in ids if 0 < i < MAX_ROW}.items())[:1026]
        if not ids:
            return ""
        body = "".join("<brk" + "".join(f' {k}="{esc_attr(str(i) if k == "id" else v)}"' for k, v in a.items()) + "/>"
                       for i, a in ids)
        manual = sum(1 for _, a in ids if a.get("man") in ("1", "true"))
        return f'<rowBreaks count="{len(ids)}" manualBreakCount="{manual}">{body}</rowBreaks>'

    def _place_pages(self, inst: Instance, s: str) -> str:
        """Breaks before `{%row keep %}` blocks a page would split, and a last page of a
        few rows folded back by fitting one page fewer (see _tpl_pages)."""
        ts, L = inst.tsheet, inst.layout
        last = getattr(inst, "last_row", 0)
        if not last or last > 20000:
            return s
        cols, default = parse_cols(ts.prefix)
        digit = self.styles.digit_px
        frame = page_frame(ts.prefix, s, sum(column_points(width_of(cols, default, c), digit)
                                             for c in range(1, ts.max_col + 1)))
        if frame is None:
            return s
        default_ht = default_row_height(ts.prefix)
        heights = [0.0] * (last + 1)
        for r in range(1, last + 1):
            heights[r] = _row_points(inst.heights.get(r), default_ht, self._ht_cache)
        title = None
        if ts.title_rows is not None:
            a, b = L.glo(*ts.title_rows), L.ghi(*ts.title_rows)
            if a is not None and b is not None and 0 < a <= b <= last:
                title = (a, b)
        m = re.search(r"<rowBreaks\b.*?</rowBreaks>", s, re.S)
        manual = {int(i) for i in re.findall(r'<brk\b[^>]*?\bid="(\d+)"', m.group(0))} if m else set()
        added = keep_breaks(heights, frame, title, manual, inst.keeps) if inst.keeps else []
        if added:
            ids = sorted(manual | set(added))[:1026]
            body = "".join(f'<brk id="{i}" max="16383" man="1"/>' for i in ids)
            xml = f'<rowBreaks count="{len(ids)}" manualBreakCount="{len(ids)}">{body}</rowBreaks>'
            if m:
                return s[:m.start()] + xml + s[m.end():]
            at = _after_page_setup(s)
            return s[:at] + xml + s[at:] if at is not None else s
        tall = fold_widow(heights, frame, title, manual)
        if tall is not None:
            s = re.sub(r"<pageSetup\b([^>]*?)(/?)>",
                       lambda x: "<pageSetup" + re.sub(r'\s+fitToHeight="[^"]*"', "", x.group(1)) +
                       f' fitToHeight="{tall}"' + x.group(2) + ">", s, count=1)
        return s

    @staticmethod
    def _tag_row_breaks(ts, L: Layout, r: int) -> list[int]:
        """A break set on a tag-only row (removed from the output) goes after the last
        output row before it: the last row of a loop its {%row endfor %} closes, or the
        row before the first row a {%row for %} opens; once per iteration of a loop
        whose body holds the tag row."""
        scope = None
        for b in ts.blocks:
            if b.start < r < (b.else_row or b.end) and (scope is None or b.start > scope.start):
                scope = b
        if scope is None:
            a = L.ghi(1, r)
            return [a if a is not None else L.pos(r) - 1]
        out = []
        for it in L.iters.get(id(scope), ()):
            a = L._ihi(it, scope.start, r)
            if a is None:
                b = L._ilo(it, r, scope.end)
                if b is None:
                    continue
                a = b - 1
            out.append(a)
        return out

    def _suffix(self, inst: Instance) -> str:
        ts, L = inst.tsheet, inst.layout
        s = re.sub(r"<mergeCells\b.*?</mergeCells>|<mergeCells\b[^>]*/>", "", ts.suffix, flags=re.S)

        def fm(text, where="条件格式/数据有效性（扩展）"):
            """A rule's formula: Jinja rendered with the sheet's context, then re-pointed."""
            return esc(self.formula_text(self._render_formula(unesc(text), inst, where), inst))

        def cf(m):
            a = attrs(m.group(1))
            sq = self.map_sqref(a.get("sqref", ""), L)
            if not sq:
                return ""
            where = f"条件格式 {a.get('sqref', '')}"
            body = _CF_F_RE.sub(lambda x: x.group(1) + fm(x.group(2), where) + x.group(3), m.group(2))
            head = re.sub(r'sqref="[^"]*"', f'sqref="{sq}"', m.group(1))
            return f"<conditionalFormatting{head}>{body}</conditionalFormatting>"

        s = re.sub(r"<conditionalFormatting\b([^>]*)>(.*?)</conditionalFormatting>", cf, s, flags=re.S)

        def dvs(m):
            items = []
            for d in re.finditer(r"<dataValidation\b([^>]*?)(?:/>|>(.*?)</dataValidation>)", m.group(2), re.S):
                a = attrs(d.group(1))
                sq = self.map_sqref(a.get("sqref", ""), L)
                if not sq:
                    continue
                head = re.sub(r'sqref="[^"]*"', f'sqref="{sq}"', d.group(1))
                body = d.group(2)
                if body is None:
                    items.append(f"<dataValidation{head}/>")
                    continue
                where = f"数据有效性 {a.get('sqref', '')}"
                body = _DV_F_RE.sub(lambda x: x.group(1) + fm(x.group(2), where) + x.group(3), body)
                items.append(f"<dataValidation{head}>{body}</dataValidation>")
            if not items:
                return ""
            head = re.sub(r'count="\d+"', f'count="{len(items)}"', m.group(1))
            return f"<dataValidations{head}>{''.join(items)}</dataValidations>"

        s = re.sub(r"<dataValidations\b([^>]*)>(.*?)</dataValidations>", dvs, s, flags=re.S)

        def hls(m):
            items = []
            for h in re.finditer(r"<hyperlink\b([^>]*?)/>", m.group(1)):
                a = attrs(h.group(1))
                for sq in self.map_sqref(a.get("ref", ""), L).split():
                    items.append("<hyperlink" + re.sub(r'\bref="[^"]*"', f'ref="{sq}"', h.group(1)) + "/>")
            return f"<hyperlinks>{''.join(items)}</hyperlinks>" if items else ""

        s = re.sub(r"<hyperlinks>(.*?)</hyperlinks>", hls, s, flags=re.S)

        def span_ref(m):
            try:
                r1, c1, r2, c2 = parse_range(m.group(2))
            except ValueError:
                return m.group(0)
            a, b = L.glo(r1, r2), L.ghi(r1, r2)
            if a is None:
                a = b = L.pos(r1)
            return f'{m.group(1)}{range_text(a, c1, max(a, b or a), c2)}{m.group(3)}'

        s = re.sub(r'(<(?:autoFilter|sortState)\b[^>]*?\bref=")([^"]+)(")', span_ref, s)
        s = re.sub(r'(<sortCondition\b[^>]*?\bref=")([^"]+)(")', span_ref, s)
        s = re.sub(r"<rowBreaks\b.*?</rowBreaks>|<rowBreaks\b[^>]*/>", lambda m: self._breaks(inst, m.group(0)), s,
                   flags=re.S)
        s = self._place_pages(inst, s)

        def hf(m):
            t = unesc(m.group(2))
            if not has_jinja(t):
                return m.group(0)
            tpl = self._hf_cache.get(t) or self.hf_env.from_string(t)
            self._hf_cache[t] = tpl
            try:
                out = tpl.render(inst.ctx)
            except Exception as e:
                raise TemplateError(self.file, ts.name, "页眉页脚", jinja_message(e)) from None
            return f"<{m.group(1)}>{xtext(out)}</{m.group(1)}>"

        s = _HF_RE.sub(hf, s)
        s = re.sub(r'(<(?:protectedRange|ignoredError)\b[^>]*?\bsqref=")([^"]*)(")',
                   lambda m: m.group(1) + (self.map_sqref(m.group(2), L) or "A1") + m.group(3), s)
        # Excel 2010 extensions (x14 conditional formatting, data validation lists on other sheets)
        s = re.sub(r"(<xm:sqref>)(.*?)(</xm:sqref>)",
                   lambda m: m.group(1) + (self.map_sqref(m.group(2), L) or "A1") + m.group(3), s)
        s = _XM_F_RE.sub(lambda m: m.group(1) + fm(m.group(2)) + m.group(3), s)
        merges = self._merges(inst)
        if merges:
            block = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{r}"/>' for r in merges) + \
                "</mergeCells>"
            m = re.search(r"<(phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions|pageMargins|"
                          r"pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|"
                          r"smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|"
                          r"webPublishItems|tableParts|extLst)\b|</worksheet>", s)
            at = m.start() if m else len(s)
            s = s[:at] + block + s[at:]
        return s

    def _render_formula(self, text: str, inst: Instance, where: str) -> str:
        """`{{ … }}` in a conditional-formatting / data-validation formula, rendered with
        the sheet-level context (top-level variables; the item of a {%sheet for%} copy)."""
        if not has_jinja(text):
            return text
        tpl = self._fx_cache.get(text)
        if tpl is None:
            tpl = self._fx_cache[text] = self.env.from_string(text)
        try:
            return tpl.render(inst.ctx)
        except Exception as e:
            raise TemplateError(self.file, inst.tsheet.name, where, jinja_message(e)) from None

    # ---------------------------------------------------------- owned parts
    def _transform_part(self, kind: str, xml: str, inst: Instance) -> str:
        L = inst.layout
        if kind == T_DRAWING:
            def anchor(m):
                inner = re.sub(r"(<(?:\w+:)?row>)(\d+)(</)",
                               lambda x: f"{x.group(1)}{L.pos(int(x.group(2)) + 1) - 1}{x.group(3)}", m.group(2))
                return m.group(1) + inner + m.group(3)
            return re.sub(r"(<(?:\w+:)?(?:from|to)>)(.*?)(</(?:\w+:)?(?:from|to)>)", anchor, xml, flags=re.S)
        if kind == T_CHART:
            return self._chart(xml, inst)
        if kind == T_COMMENTS:
            return re.sub(r'(<comment\b[^>]*?\bref=")([^"]+)(")',
                          lambda m: m.group(1) + self._map_cell(m.group(2), L) + m.group(3), xml)
        if kind == T_VML:
            xml = re.sub(r"(<(?:\w+:)?Row>)(\d+)(</(?:\w+:)?Row>)", lambda m: f"{m.group(1)}{L.pos(int(m.group(2)) + 1) - 1}{m.group(3)}", xml)

            def anc(m):
                p = [x.strip() for x in m.group(2).split(",")]
                if len(p) == 8:
                    for k in (2, 6):
                        p[k] = str(L.pos(int(p[k]) + 1) - 1)
                return m.group(1) + ", ".join(p) + m.group(3)
            return re.sub(r"(<(?:\w+:)?Anchor>)(.*?)(</(?:\w+:)?Anchor>)", anc, xml, flags=re.S)
        if kind == T_TABLE:
            def tref(m):
                try:
                    r1, c1, r2, c2 = parse_range(m.group(2))
                except ValueError:
                    return m.group(0)
                a, b = L.glo(r1, r2), L.ghi(r1, r2)
                if a is None:
                    return m.group(0)
                return m.group(1) + range_text(a, c1, max(b, a + 1), c2) + m.group(3)
            return re.sub(r'(<(?:table|autoFilter)\b[^>]*?\bref=")([^"]+)(")', tref, xml)
        return xml

    def _chart(self, xml: str, inst: Instance | None) -> str:
        xml = re.sub(r"(<(?:c:)?f>)(.*?)(</(?:c:)?f>)",
                     lambda m: m.group(1) + esc(self.formula_text(unesc(m.group(2)), inst, True)) + m.group(3), xml,
                     flags=re.S)
        # caches are stale once the ranges grow; Excel and LibreOffice read the cells
        xml = re.sub(r"<((?:c:)?)(numCache|strCache|multiLvlStrCache)>.*?</\1\2>", "", xml, flags=re.S)
        return xml

    # ---------------------------------------------------------- the package
    def _write(self, order, out_path: Path) -> Path:
        pkg = self.pkg
        taken = set(pkg.names)
        overrides = dict(pkg.ct_overrides)
        defaults = dict(pkg.ct_defaults)
        out_parts: dict[str, bytes | str] = {}  # replaced or new parts
        drop: set[str] = set()
        sheet_streams: dict[str, Instance] = {}
        chart_owner: dict[str, Instance] = {}

        # VBA, calc chain: never in the output
        for r in self.wb_rels:
            if r.type.endswith("/vbaProject") or r.type == T_CALC_CHAIN:
                drop.add(r.target)
        for n in pkg.names:
            if "vbaProject" in n or n.endswith("vbaProjectSignature.bin"):
                drop.add(n)
        overrides[self.wb_part] = CT_SHEET_MAIN

        # sheets
        wb_rels = [r for r in self.wb_rels if r.target not in drop]
        used_ids = {r.id for r in wb_rels}
        sheet_entries = []  # (raw attrs, name, rid)
        index = 0
        old_to_new: dict[int, list[int]] = {}
        active_old = 0
        m = re.search(r'<workbookView\b[^>]*\bactiveTab="(\d+)"', self.wb_xml)
        if m:
            active_old = int(m.group(1))
        for old_i, (e, insts) in enumerate(order):
            if insts is None:
                sheet_entries.append((e["raw"], e["name"], e["rel"].id if e["rel"] else None))
                old_to_new[old_i] = [index]
                index += 1
                continue
            rel = e["rel"]
            if not insts:
                wb_rels = [r for r in wb_rels if r.id != rel.id]
                drop.add(rel.target)
                for sr in pkg.rels(rel.target):
                    if sr.type in (T_DRAWING, T_COMMENTS, T_VML, T_TABLE):
                        drop.add(sr.target)
                        for dr in pkg.rels(sr.target):
                            if dr.type == T_CHART:
                                drop.add(dr.target)
                drop.add(rels_path(rel.target))
                old_to_new[old_i] = []
                continue
            old_to_new[old_i] = []
            for inst in insts:
                inst.index = index
                old_to_new[old_i].append(index)
                index += 1
                if inst.copy_no == 0:
                    inst.part, inst.rid = rel.target, rel.id
                else:
                    inst.part = free_name(taken, rel.target)
                    k = 1
                    while f"rId{k}" in used_ids:
                        k += 1
                    inst.rid = f"rId{k}"
                    used_ids.add(inst.rid)
                    wb_rels.append(Rel(inst.rid, T_WORKSHEET, inst.part, False, ""))
                    overrides[inst.part] = CT_WORKSHEET
                sheet_entries.append((e["raw"], inst.name, inst.rid))
                sheet_streams[inst.part] = inst
                self._owned_parts(inst, taken, out_parts, overrides, chart_owner)
        new_active = (old_to_new.get(active_old) or [0])[0]

        # charts not owned by a rendered sheet (chart sheets): re-point to first instances
        for n in pkg.names:
            if n.startswith("xl/charts/chart") and n.endswith(".xml") and n not in chart_owner and n not in drop \
                    and n not in out_parts:
                out_parts[n] = self._chart(pkg.text(n), None)

        out_parts[self.wb_part] = self._workbook_xml(order, sheet_entries, old_to_new, new_active, index)
        out_parts[rels_path(self.wb_part)] = rels_xml(self.wb_part, wb_rels)
        for d in drop:
            overrides.pop(d, None)
        out_parts["[Content_Types].xml"] = content_types_xml(defaults, overrides)
        app_part = next((r.target for r in pkg.rels("") if r.type.endswith("/extended-properties")),
                        "docProps/app.xml")
        if pkg.has(app_part):
            rel_type = {r.id: r.type for r in wb_rels}
            titles = [("Charts" if rel_type.get(rid, "").endswith("/chartsheet") else "Worksheets", name)
                      for _raw, name, rid in sheet_entries]
            out_parts[app_part] = _app_xml(pkg.text(app_part), titles)
        styles_part = self.styles_part if self.styles_part in pkg.nameset else None

        import zipfile
        from kaohe_excel.fsutil import atomic_output

        with atomic_output(out_path) as tmp:  # synced, then renamed over the report
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                names = ["[Content_Types].xml"] + [n for n in pkg.names if n != "[Content_Types].xml"]
                names += [n for n in out_parts if n not in pkg.nameset]
                names += [p for p in sheet_streams if p not in pkg.nameset and p not in out_parts]
                if styles_part:  # last: the sheets may append cell styles (dates in General cells)
                    names = [n for n in names if n != styles_part] + [styles_part]
                written = set()
                for n in names:
                    if n in drop or n in written:
                        continue
                    written.add(n)
                    if n in sheet_streams:
                        inst = sheet_streams[n]
                        with zf.open(n, "w") as fh:
                            self._stream_sheet(inst, fh, inst.index == new_active)
                        continue
                    if n == styles_part:
                        data = self._session.xml()
                        if data is not None:
                            zf.writestr(n, data.encode("utf-8"))
                            continue
                    if n in out_parts:
                        data = out_parts[n]
                        zf.writestr(n, data.encode("utf-8") if isinstance(data, str) else data)
                    elif n in pkg.nameset:
                        src = pkg.zf.getinfo(n)  # a fresh ZipInfo: writestr would alter the template's
                        info = zipfile.ZipInfo(n, src.date_time)
                        info.compress_type = zipfile.ZIP_DEFLATED
                        info.external_attr = src.external_attr
                        zf.writestr(info, pkg.read(n))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        return out_path

    def _stream_sheet(self, inst: Instance, fh, active: bool) -> None:
        fh.write(self._prefix(inst, active).encode("utf-8"))
        fh.write(b"<sheetData>")
        self._write_sheet(inst, fh)
        fh.write(b"</sheetData>")
        fh.write(self._suffix(inst).encode("utf-8"))

    def _owned_parts(self, inst, taken, out_parts, overrides, chart_owner) -> None:
        """Drawings, charts, comments, tables of one sheet instance: re-pointed, and
        cloned under new names for every copy after the first."""
        pkg = self.pkg
        rel_target = inst.tsheet.part
        srels = pkg.rels(rel_target)
        if not srels:
            return
        new_rels = []
        changed = False
        for r in srels:
            if r.external or r.type not in (T_DRAWING, T_COMMENTS, T_VML, T_TABLE) or not pkg.has(r.target):
                new_rels.append(r)
                continue
            target = self._emit_part(r.type, r.target, inst, taken, out_parts, overrides, chart_owner)
            changed = changed or target != r.target
            new_rels.append(Rel(r.id, r.type, target, False, ""))
        if inst.copy_no or changed:
            out_parts[rels_path(inst.part)] = rels_xml(inst.part, new_rels)

    def _emit_part(self, kind, part, inst, taken, out_parts, overrides, chart_owner) -> str:
        pkg = self.pkg
        name = part if inst.copy_no == 0 else free_name(taken, part)
        xml = self._transform_part(kind, pkg.text(part), inst)
        if kind == T_TABLE and inst.copy_no:
            ids = [int(x) for n in pkg.names if n.startswith("xl/tables/")
                   for x in re.findall(r'<table\b[^>]*?\bid="(\d+)"', pkg.text(n))]
            new_id = max(ids + [0]) + 1000 + len(taken)
            xml = re.sub(r'(<table\b[^>]*?\bid=")\d+(")', lambda m: f"{m.group(1)}{new_id}{m.group(2)}", xml, count=1)
            xml = re.sub(r'(<table\b[^>]*?\b(?:name|displayName)=")([^"]*)(")',
                         lambda m: f"{m.group(1)}{m.group(2)}_{inst.copy_no + 1}{m.group(3)}", xml)
            xml = re.sub(r'(<table\b[^>]*?\b(?:displayName)=")([^"]*)(")',
                         lambda m: f"{m.group(1)}{m.group(2)}_{inst.copy_no + 1}{m.group(3)}", xml)
        out_parts[name] = xml
        if name != part:
            ct = pkg.content_type(part)
            if ct and part in pkg.ct_overrides:
                overrides[name] = ct
        sub = pkg.rels(part)
        if sub:
            new_rels = []
            for r in sub:
                if not r.external and r.type == T_CHART and pkg.has(r.target):
                    cname = r.target if inst.copy_no == 0 else free_name(taken, r.target)
                    out_parts[cname] = self._chart(pkg.text(r.target), inst)
                    chart_owner[r.target] = inst
                    chart_owner[cname] = inst
                    if cname != r.target:
                        ct = pkg.content_type(r.target)
                        if ct:
                            overrides[cname] = ct
                        crels = pkg.rels(r.target)
                        if crels:
                            cr2 = []
                            for cr in crels:
                                if not cr.external and cr.type != T_IMAGE and pkg.has(cr.target):
                                    nn = free_name(taken, cr.target)
                                    out_parts[nn] = pkg.read(cr.target)
                                    if cr.target in pkg.ct_overrides:
                                        overrides[nn] = pkg.ct_overrides[cr.target]
                                    cr2.append(Rel(cr.id, cr.type, nn, False, ""))
                                else:
                                    cr2.append(cr)
                            out_parts[rels_path(cname)] = rels_xml(cname, cr2)
                    new_rels.append(Rel(r.id, r.type, cname, False, ""))
                else:
                    new_rels.append(r)
            if name != part:
                out_parts[rels_path(name)] = rels_xml(name, new_rels)
        return name

    def _workbook_xml(self, order, sheet_entries, old_to_new, new_active, count) -> str:
        xml = self.wb_xml
        items = []
        used_ids = set()
        max_id = max([int(attrs(r).get("sheetId", "0")) for r, _, _ in sheet_entries
                      if attrs(r).get("sheetId", "0").isdigit()] + [0])
        for raw, name, rid in sheet_entries:
            a = attrs(raw)
            sid = a.get("sheetId", "")
            if not sid.isdigit() or sid in used_ids:
                max_id += 1
                sid = str(max_id)
            used_ids.add(sid)
            rest = "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items()
                           if k not in ("name", "sheetId") and not k.endswith(":id"))
            rid_attr = next((k for k in a if k.endswith(":id")), "r:id")
            items.append(f'<sheet name="{esc_attr(name)}" sheetId="{sid}"{rest} {rid_attr}="{esc_attr(rid or "")}"/>')
        xml = re.sub(r"<sheets>.*?</sheets>", lambda m: "<sheets>" + "".join(items) + "</sheets>", xml,
                     count=1, flags=re.S)

        # defined names
        dm = re.search(r"<definedNames>(.*?)</definedNames>", xml, re.S)
        if dm:
            names = []
            for m in _DN_RE.finditer(dm.group(1)):
                if m.group(1) is None:
                    continue
                a = attrs(m.group(1))
                text = unesc(m.group(2))
                if "localSheetId" in a:
                    old = int(a["localSheetId"])
                    e, insts = order[old] if old < len(order) else (None, None)
                    targets = [(i, inst) for i, inst in zip(old_to_new.get(old, []), insts or [None])]
                    for new_i, inst in targets:
                        b = dict(a)
                        b["localSheetId"] = str(new_i)
                        f = self.formula_text(text, inst) if inst is not None else text
                        names.append((b, f))
                else:
                    names.append((a, self.formula_text(text, None)))
            body = "".join("<definedName" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items()) + ">" + esc(f)
                           + "</definedName>" for a, f in names)
            xml = xml[: dm.start()] + (f"<definedNames>{body}</definedNames>" if names else "") + xml[dm.end():]

        # views
        xml = re.sub(r'(<workbookView\b[^>]*?\bactiveTab=")\d+(")', lambda m: f"{m.group(1)}{new_active}{m.group(2)}", xml)
        xml = re.sub(r'(<workbookView\b[^>]*?\bfirstSheet=")\d+(")', lambda m: f"{m.group(1)}0{m.group(2)}", xml)
        # recalculate on open: formulas were re-pointed and carry no cached values
        if "<calcPr" in xml:
            xml = re.sub(r"<calcPr\b([^>]*?)/?>",
                         lambda m: "<calcPr" + re.sub(r'\s+fullCalcOnLoad="[^"]*"', "", m.group(1)) +
                         ' fullCalcOnLoad="1"/>', xml, count=1)
        else:
            for anchor in ("</definedNames>", "</externalReferences>", "</functionGroups>", "</sheets>"):
                if anchor in xml:
                    xml = xml.replace(anchor, anchor + '<calcPr calcId="191029" fullCalcOnLoad="1"/>', 1)
                    break
        return xml


_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _row_points(row_attrs: str | None, default: float, cache: dict) -> float:
    """A written row's height in points from its attributes (hidden rows print as 0)."""
    if row_attrs is None:
        return default
    h = cache.get(row_attrs)
    if h is None:
        a = attrs(row_attrs)
        if a.get("hidden") in ("1", "true"):
            h = 0.0
        else:
            try:
                h = float(a["ht"]) if "ht" in a else default
            except ValueError:
                h = default
        cache[row_attrs] = h
    return h


def _after_page_setup(s: str) -> int | None:
    """Where <rowBreaks> goes in a worksheet's tail: after headerFooter / pageSetup / pageMargins."""
    for pat in (r"<headerFooter\b.*?</headerFooter>|<headerFooter\b[^>]*/>", r"<pageSetup\b[^>]*/>|<pageSetup\b.*?</pageSetup>",
                r"<pageMargins\b[^>]*/>", r"<printOptions\b[^>]*/>"):
        m = re.search(pat, s, re.S)
        if m:
            return m.end()
    return None


def _app_xml(app: str, titles: list[tuple[str, str]]) -> str:
    """docProps/app.xml with HeadingPairs / TitlesOfParts rebuilt from the output's
    sheets (Excel shows them in the file's properties; some tools list sheets from them)."""
    root = re.search(r"<((?:\w+:)?Properties)\b([^>]*?)(/?)>", app)
    if not root:
        return app
    m = re.search(r'\bxmlns:(\w+)="' + re.escape(_VT_NS) + '"', root.group(2))
    vt = m.group(1) if m else "vt"
    groups: dict[str, list[str]] = {}
    for kind, name in titles:
        groups.setdefault(kind, []).append(name)
    pairs = "".join(f"<{vt}:variant><{vt}:lpstr>{kind}</{vt}:lpstr></{vt}:variant>"
                    f"<{vt}:variant><{vt}:i4>{len(names)}</{vt}:i4></{vt}:variant>" for kind, names in groups.items())
    parts = "".join(f"<{vt}:lpstr>{esc(name)}</{vt}:lpstr>" for names in groups.values() for name in names)
    block = (f'<HeadingPairs><{vt}:vector size="{2 * len(groups)}" baseType="variant">{pairs}</{vt}:vector>'
             f'</HeadingPairs><TitlesOfParts><{vt}:vector size="{len(titles)}" baseType="lpstr">{parts}'
             f"</{vt}:vector></TitlesOfParts>")
    if not titles:
        block = ""
    if not m:  # declare the vt namespace on the root
        app = app[: root.end(2)] + f' xmlns:vt="{_VT_NS}"' + app[root.end(2):]
        root = re.search(r"<((?:\w+:)?Properties)\b([^>]*?)(/?)>", app)
    if root.group(3):  # <Properties .../>: open it
        return app[: root.start()] + f"<{root.group(1)}{root.group(2)}>{block}</{root.group(1)}>" + app[root.end():]
    mark = "\x00pairs\x00"
    app = re.sub(r"<HeadingPairs\b.*?</HeadingPairs>|<HeadingPairs\s*/>", mark, app, count=1, flags=re.S)
    app = re.sub(r"<TitlesOfParts\b.*?</TitlesOfParts>|<TitlesOfParts\s*/>", "" if mark in app else mark, app,
                 count=1, flags=re.S)
    if mark not in app:
        close = f"</{root.group(1)}>"
        if close not in app:
            return app
        app = app.replace(close, mark + close, 1)
    return app.replace(mark, block, 1)


def _not_xlsx(path: Path, exc: BaseException) -> str:
    """Why a template is not a zip, in a clerk's words: the usual causes are a file saved
    as .xls/.et (or with a password, both OLE2) under an .xlsx name, or an empty file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        head = b""
    if not head:
        return "文件是空的（0 字节），可能没有保存成功，请重新保存模板"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("这是 Excel 97-2003（.xls）或 WPS（.et）格式的文件（或设了打开密码），模板必须是 .xlsx："
                "请在 Excel/WPS 中「另存为」Excel 工作簿（*.xlsx），不设密码")
    return (f"不是有效的 .xlsx 文件（可能已损坏、没有保存完，或是把别的文件改成了 .xlsx 扩展名），请在 Excel/WPS 中"
            f"重新「另存为」.xlsx；技术信息：{type(exc).__name__}: {exc}")


_EXPR_CACHE: dict = {}


def _expr_cache(env, src):
    key = (id(env), src)
    ex = _EXPR_CACHE.get(key)
    if ex is None:
        ex = _EXPR_CACHE[key] = env.compile_expression(src, undefined_to_none=False)
    return ex
