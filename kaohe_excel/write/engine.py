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

How it works, one module a stage; this module is the façade (load, variables, render):
0. _tpl_sandbox: the bounded, immutable Jinja sandbox everything is compiled in.
1. parse, _tpl_sheet: the template is read as text (zip of XML parts, _tpl_package);
   each worksheet's rows and cells are cut out, the row tags parsed into a program and
   every row's cells compiled into one Jinja template.
2. layout, _tpl_layout: each sheet instance's row program runs and records which
   output rows each template row became (the row map, per loop iteration too).
3. references, _tpl_repoint: everything tied to rows (merged cells, conditional
   formatting, data validation, defined names, print area and titles, autofilter,
   freeze panes, page breaks, formulas, drawing anchors, chart series, comments,
   tables) is re-pointed from the row map (formula text parsed by _tpl_refs).
4. sheet XML, _tpl_sheetxml (_tpl_cells for one cell's value): each sheet is streamed,
   rendering each template row with its compiled row template; row heights fitted,
   pages placed (_tpl_pages, _tpl_styles).
5. package, _tpl_write: the output zip, workbook.xml, content types, app.xml. styles.xml
   and the shared strings are copied untouched; generated text is written as inline
   strings.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from jinja2 import meta

from kaohe_excel.write import _tpl_layout as layout_stage
from kaohe_excel.write._tpl_cells import EPOCH, EPOCH_1904, Formula, xtext
from kaohe_excel.write._tpl_layout import Instance, Job
from kaohe_excel.write._tpl_package import T_WORKSHEET, Package, PackageError, attrs, unesc
from kaohe_excel.write._tpl_rowloops import compile_program
from kaohe_excel.write._tpl_sandbox import make_environment
from kaohe_excel.write._tpl_sheet import (
    TemplateError, TemplateSheet, has_jinja, jinja_message, reach_message, reaches_out, rich_text,
)
from kaohe_excel.write._tpl_sheetxml import HF_RE, rule_formulas
from kaohe_excel.write._tpl_styles import Styles
from kaohe_excel.write._tpl_write import DN_RE, write

__all__ = ["render", "template_variables", "Template", "TemplateError", "make_environment", "Formula",
           "excel_sheet_name", "xtext"]

# ---------------------------------------------------------------- public API ----


def render(template_path, context: dict, out_path, *, strict: bool = True,
           filters: dict | None = None, globals: dict | None = None,
           env: jinja2.Environment | None = None, autofit: bool = False) -> Path:
    """Render `template_path` with `context` into `out_path` (written atomically).
    Raises TemplateError naming file, sheet and cell on any template problem.
    `autofit`: every row with a custom height grows to fit its wrapped rendered text,
    as if each carried `{%row autofit %}`."""
    if filters is None and globals is None and env is None:
        return _loaded(Path(template_path), strict, autofit).render(context, out_path)
    return Template(template_path, strict=strict, filters=filters, globals=globals, env=env,
                    autofit=autofit).render(context, out_path)


_LOADED: dict[tuple, "Template"] = {}


def _loaded(path: Path, strict: bool, autofit: bool) -> "Template":
    """A template parsed and compiled once per content in a process: the view from above renders
    the same 一览表 for every unit of a province."""
    import hashlib

    try:
        data = path.read_bytes() if path.is_file() and path.stat().st_size <= 64 * 1024 * 1024 else None
    except OSError:
        data = None
    if data is None:  # let Template say what is wrong with it
        return Template(path, strict=strict, autofit=autofit)
    key = (hashlib.sha256(data).hexdigest(), str(path.resolve()), strict, autofit)
    got = _LOADED.get(key)
    if got is None:
        got = Template(path, strict=strict, autofit=autofit)
        if len(_LOADED) >= 16:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = got
    return got


def template_variables(template_path, *, env: jinja2.Environment | None = None) -> set[str]:
    """Undeclared top-level variables the template uses (for `kaohe template check`)."""
    return Template(template_path, env=env).variables()


_PART_FORMULA = re.compile(r"<((?:\w+:)?(?:f|formula|formula[12]|calculatedColumnFormula|totalsRowFormula))\b[^>/]*>"
                           r"(.*?)</\1>", re.S)
_SHEET_RE = re.compile(r"<sheet\b([^>]*?)/?>", re.S)
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


_BUILTIN_ATTRS = frozenset(n for t in (str, int, float, list, dict, tuple) for n in dir(t)) | {
    "index", "index0", "first", "last", "length", "revindex", "revindex0", "parent", "cycle", "previtem", "nextitem",
    "changed", "depth", "depth0"}


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
        self.epoch = EPOCH_1904 if self.date1904 else EPOCH
        self.styles_part = next((r.target for r in self.wb_rels if r.type.endswith("/styles")), None)
        self.styles = Styles(pkg.text(self.styles_part) if self.styles_part and pkg.has(self.styles_part) else None)
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
                try:
                    ts.row_program = compile_program(ts, self.env)
                except jinja2.TemplateSyntaxError as e:  # (150 {%row if %} inside each other: too deep to compile)
                    raise TemplateError(self.file, entry["name"], None, jinja_message(e)) from None
                entry["ts"] = ts
                if has_jinja(entry["name"]):
                    try:
                        entry["name_tpl"] = self.env.from_string(entry["name"])
                    except jinja2.TemplateSyntaxError as e:
                        raise TemplateError(self.file, entry["name"], "工作表名", jinja_message(e)) from None
                for tag, text in HF_RE.findall(ts.suffix):
                    t = unesc(text)
                    if has_jinja(t):
                        try:
                            self.hf_env.from_string(t)
                        except jinja2.TemplateSyntaxError as e:
                            raise TemplateError(self.file, entry["name"], "页眉页脚", jinja_message(e)) from None
                        entry["hf"].append(t)
                for where, t in rule_formulas(ts.suffix):
                    reach = None if has_jinja(t) else reaches_out(t)  # (rendered ones: SheetWriter._render_formula)
                    if reach:
                        raise TemplateError(self.file, entry["name"], where, reach_message(t, reach))
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
        self._no_reaching_out()
        self._hf_cache: dict[str, jinja2.Template] = {}
        self._fx_cache: dict[str, jinja2.Template] = {}
        self._ht_cache: dict[str, float] = {}
        self._title_rows()

    def _no_reaching_out(self) -> None:
        """The formulas a report carries besides its cells' and its rules' (checked as the sheets
        are read): defined names (a cell =叫我 runs what the name holds), and any formula of
        another part (a table's calculated column, a chart's series), under the rule cells have."""
        dm = re.search(r"<definedNames>(.*?)</definedNames>", self.wb_xml, re.S)
        for m in DN_RE.finditer(dm.group(1) if dm else ""):
            if m.group(1) is None:
                continue
            text = unesc(m.group(2))
            reach = reaches_out(text)
            if reach:
                raise TemplateError(self.file, None, f"名称「{attrs(m.group(1)).get('name', '')}」",
                                    reach_message(text, reach))
        sheets = {e["rel"].target for e in self.sheets if e["rel"] is not None}
        for name in self.pkg.formula_parts:  # (found as the package was read: no part inflated twice)
            if name in sheets or name == self.wb_part:
                continue
            for m in _PART_FORMULA.finditer(self.pkg.read(name).decode("utf-8", "replace")):
                text = unesc(m.group(2))
                reach = None if has_jinja(text) else reaches_out(text)
                if reach:
                    raise TemplateError(self.file, None, f"部件「{name}」", reach_message(text, reach))

    def _title_rows(self) -> None:
        """Each template sheet's print titles (rows repeated on every page), for page placement."""
        for e in self.sheets:
            if e["ts"] is not None:
                e["ts"].title_rows = None
        dm = re.search(r"<definedNames>(.*?)</definedNames>", self.wb_xml, re.S)
        for m in DN_RE.finditer(dm.group(1) if dm else ""):
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
            if e["ts"] is None:
                continue
            for src, where in e["ts"].expressions():
                scan(src, where)
            for t in e["hf"]:
                scan(t, f"工作表「{e['name']}」页眉页脚")
            for t in e["fx"]:
                scan(t, f"工作表「{e['name']}」条件格式/数据有效性")
        return found, names

    # ---------------------------------------------------------- render
    def render(self, context: dict, out_path) -> Path:
        """Lay out every sheet instance (stage 2), then write the package (stages 3-5)."""
        out_path = Path(out_path)
        job = Job(self)
        base = dict(self.env.globals)
        base.update(context or {})
        taken: set[str] = set()
        order = []  # (entry, [instances] or None: a sheet passed through) in sheet order
        instances = 0
        for e in self.sheets:
            ts = e["ts"]
            if ts is None:
                order.append((e, None))
                taken.add(e["name"].casefold())
                continue
            insts = []
            for ctx in layout_stage.sheet_contexts(job, ts, base):
                inst = Instance(ts, ctx, self._sheet_name(e, ctx, taken))
                inst.copy_no = len(insts)
                layout_stage.layout(job, inst)
                insts.append(inst)
            job.by_name[e["name"].casefold()] = insts
            order.append((e, insts))
            instances += len(insts)
        if not instances and not any(i is None for _, i in order):
            raise TemplateError(self.file, None, None, "渲染后没有任何工作表（所有 {%sheet%} 循环都为空）")
        return write(job, order, out_path)

    def _sheet_name(self, e, ctx, taken: set[str]) -> str:
        if e["name_tpl"] is not None:
            try:
                name = e["name_tpl"].render(ctx)
            except Exception as ex:
                raise TemplateError(self.file, e["name"], "工作表名", jinja_message(ex)) from None
        else:
            name = e["name"]
        return excel_sheet_name(name, taken)


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
