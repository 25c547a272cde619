"""Engine stage 4, sheet XML: one output worksheet streamed from its template sheet —
the head (<dimension>, panes, selections), every laid-out row rendered with its
compiled row template, the tail (merges, conditional formatting, data validation,
hyperlinks, autofilter, page breaks, header/footer) re-pointed by stage 3, and the
row heights of `{%row autofit %}` and the page placement of `{%row keep %}`."""

from __future__ import annotations

import re
import time

import jinja2

from kaohe_excel.write import _tpl_repoint as refs
from kaohe_excel.write._tpl_calc import value_written, worked_out
from kaohe_excel.write._tpl_cells import CellWriter, Formula, xtext
from kaohe_excel.write._tpl_layout import Instance
from kaohe_excel.write._tpl_package import attrs, esc, esc_attr, unesc
from kaohe_excel.write._tpl_pages import column_points, fold_widow, keep_breaks, page_frame, widow_break
from kaohe_excel.write._tpl_refs import num_to_col, parse_range, range_text
from kaohe_excel.write._tpl_sheet import TemplateError, has_jinja, jinja_message, reach_message, reaches_out
from kaohe_excel.write._tpl_styles import default_row_height, parse_cols, row_height, width_of, wrapped_lines

HF_RE = re.compile(r"<(oddHeader|oddFooter|evenHeader|evenFooter|firstHeader|firstFooter)>(.*?)</\1>", re.S)
_CF_RE = re.compile(r"<conditionalFormatting\b([^>]*)>(.*?)</conditionalFormatting>", re.S)
_DV_RE = re.compile(r"<dataValidation\b([^>]*?)(?:/>|>(.*?)</dataValidation>)", re.S)
_CF_F_RE = re.compile(r"(<formula>)(.*?)(</formula>)", re.S)
_DV_F_RE = re.compile(r"(<formula[12]>)(.*?)(</formula[12]>)", re.S)
_XM_F_RE = re.compile(r"(<xm:f>)(.*?)(</xm:f>)", re.S)


def rule_formulas(suffix: str):
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


class SheetWriter:
    """Writes the worksheets of one render (`job`)."""

    def __init__(self, job):
        self.job = job
        self.tpl = tpl = job.tpl
        self.file = job.file
        self.env = job.env
        self.strict = job.strict
        self.autofit = tpl.autofit
        self.styles = tpl.styles
        self.cells = CellWriter(tpl.styles, job.session, tpl.epoch, job.strict)

    def stream(self, inst: Instance, fh, active: bool) -> None:
        fh.write(self.prefix(inst, active).encode("utf-8"))
        fh.write(b"<sheetData>")
        self.rows(inst, fh)
        fh.write(b"</sheetData>")
        fh.write(self.suffix(inst).encode("utf-8"))

    # ---------------------------------------------------------- rows
    def render_row(self, inst, tr, ctx, n) -> list:
        tpl = tr.row_template(self.env)
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
                    tpl1 = tr.cell_tpls.get(c.col)
                    if tpl1 is None:
                        tpl1 = tr.cell_tpls[c.col] = self.env.from_string(c.src)
                    val = tpl1.render(ctx, rownum=n)
            except Exception as e:
                raise TemplateError(self.file, inst.tsheet.name, c.ref,
                                    jinja_message(e) + f"（输出工作表「{inst.name}」第 {n} 行）") from None
            vals.append(val)
        for c in tr.jcells:  # the merge keys after the values, as the row template sets them
            if c.merge_key:
                try:
                    vals.append(_expr_cache(self.env, c.merge_key)(ctx, rownum=n))
                except Exception as e:
                    raise TemplateError(self.file, inst.tsheet.name, c.ref,
                                        jinja_message(e) + f"（输出工作表「{inst.name}」第 {n} 行）") from None
        return vals

    def rows(self, inst: Instance, fh) -> None:
        ts = inst.tsheet
        job = self.job
        merges: list[str] = []
        merge_state: dict[int, list] = {}
        buf: list[str] = []
        last_n = 0
        ap = buf.append
        cell_value = self.cells.value
        formula_cell = self.cells.formula
        autofit = self.autofit
        heights = inst.heights = {}  # output row -> its row attributes (page placement)
        keeps = inst.keeps = []
        # a sheet with formulas of its own keeps what it writes, for their values (_tpl_calc)
        known = {} if ts.has_formulas else None
        for tr, ctx, chain, n in inst.out:
            last_n = n
            vals = self.render_row(inst, tr, ctx, n) if tr.jcells else None
            row_attrs = tr.attrs
            if (tr.autofit or autofit) and vals:
                fit = tr.fit
                if fit is None:
                    fit = tr.fit = self._fit_plan(ts, tr)
                if fit:
                    row_attrs = _fit_attrs(fit, vals)
            ap(f'<row r="{n}"{row_attrs}>')
            heights[n] = row_attrs
            if tr.keep:
                keeps.append((n, None if tr.keep is True else tr.keep))
            k = 0
            m = len(tr.jcells)  # (the merge keys come after the values)
            for c in tr.cells:
                kind = c.kind
                if kind == "static":
                    ap(f"{c.pre}{n}{c.post}")
                    if known is not None:
                        _note(known, n, c.col, value_written(buf[-1]))
                elif kind == "jinja":
                    v = vals[k]
                    k += 1
                    if c.merge_same:
                        same = v
                        if c.merge_key:
                            same = vals[m]
                            m += 1
                            if isinstance(same, jinja2.Undefined):
                                same = None
                        st = merge_state.get(id(c))
                        if st is not None and st[1] == n - 1 and same == st[2] and same not in (None, ""):
                            st[1] = n
                            ap(f'{c.pre}{n}"{c.s_attr}/>')
                            continue
                        if st is not None and st[1] > st[0]:
                            merges.append(f"{num_to_col(c.col)}{st[0]}:{num_to_col(c.col)}{st[1]}")
                        merge_state[id(c)] = [n, n, same, c.col]
                    try:
                        ap(formula_cell(c, n, v, tr) if type(v) is Formula else cell_value(c, n, v))
                    except Exception as e:
                        raise TemplateError(self.file, ts.name, c.ref,
                                            jinja_message(e) + f"（输出工作表「{inst.name}」第 {n} 行）") from None
                    if known is not None:
                        _note(known, n, c.col, value_written(buf[-1]))
                else:
                    f = refs.formula(job, c.fparts, inst, chain)
                    ref = f' ref="{num_to_col(c.col)}{n}"' if c.array else ""
                    got = worked_out(f, known, n, c.col) if known is not None and not c.array else None
                    ap(f'{c.pre}{n}"{c.s_attr}{_kept_value(esc(f), got, c.fattrs + ref)}')
                    if known is not None:
                        _note(known, n, c.col, got)
            ap("</row>")
            if not n & 4095 and time.monotonic() > job.deadline:
                job.bounds(ts, 0)
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

    # ---------------------------------------------------------- head
    def prefix(self, inst: Instance, active: bool) -> str:
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
                a["topLeftCell"] = refs.map_cell(a["topLeftCell"], L)
            return "<pane" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items()) + "/>"

        s = re.sub(r"<pane\b([^>]*?)/>", pane, s)

        def sel(m):
            a = attrs(m.group(1))
            if "activeCell" in a:
                a["activeCell"] = refs.map_cell(a["activeCell"], L)
            if "sqref" in a:
                a["sqref"] = refs.map_sqref(a["sqref"], L) or a.get("activeCell", "A1")
            return "<selection" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items()) + "/>"

        s = re.sub(r"<selection\b([^>]*?)/>", sel, s)

        def view(m):
            body = re.sub(r'\s+tabSelected="[^"]*"', "", m.group(1))
            body = re.sub(r'(topLeftCell=")([^"]*)(")', lambda x: x.group(1) + refs.map_cell(x.group(2), L) + x.group(3),
                          body)
            if active:
                body = ' tabSelected="1"' + body
            return "<sheetView" + body + m.group(2)

        s = re.sub(r"<sheetView\b([^>]*?)(/?>)", view, s, count=1)
        return s

    # ---------------------------------------------------------- tail
    def suffix(self, inst: Instance) -> str:
        ts, L = inst.tsheet, inst.layout
        job = self.job
        s = re.sub(r"<mergeCells\b.*?</mergeCells>|<mergeCells\b[^>]*/>", "", ts.suffix, flags=re.S)

        def fm(text, where="条件格式/数据有效性（扩展）"):
            """A rule's formula: Jinja rendered with the sheet's context, then re-pointed."""
            return esc(refs.formula_text(job, self._render_formula(unesc(text), inst, where), inst))

        def cf(m):
            a = attrs(m.group(1))
            sq = refs.map_sqref(a.get("sqref", ""), L)
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
                sq = refs.map_sqref(a.get("sqref", ""), L)
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
                for sq in refs.map_sqref(a.get("ref", ""), L).split():
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
        s = re.sub(r"<rowBreaks\b.*?</rowBreaks>|<rowBreaks\b[^>]*/>", lambda m: refs.breaks(inst, m.group(0)), s,
                   flags=re.S)
        s = self._place_pages(inst, s)

        tpl = self.tpl

        def hf(m):
            t = unesc(m.group(2))
            if not has_jinja(t):
                return m.group(0)
            t_tpl = tpl._hf_cache.get(t) or tpl.hf_env.from_string(t)
            tpl._hf_cache[t] = t_tpl
            try:
                out = t_tpl.render(inst.ctx)
            except Exception as e:
                raise TemplateError(self.file, ts.name, "页眉页脚", jinja_message(e)) from None
            return f"<{m.group(1)}>{xtext(out)}</{m.group(1)}>"

        s = HF_RE.sub(hf, s)
        s = re.sub(r'(<(?:protectedRange|ignoredError)\b[^>]*?\bsqref=")([^"]*)(")',
                   lambda m: m.group(1) + (refs.map_sqref(m.group(2), L) or "A1") + m.group(3), s)
        # Excel 2010 extensions (x14 conditional formatting, data validation lists on other sheets)
        s = re.sub(r"(<xm:sqref>)(.*?)(</xm:sqref>)",
                   lambda m: m.group(1) + (refs.map_sqref(m.group(2), L) or "A1") + m.group(3), s)
        s = _XM_F_RE.sub(lambda m: m.group(1) + fm(m.group(2)) + m.group(3), s)
        merges = refs.merges(inst)
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
        cache = self.tpl._fx_cache
        t = cache.get(text)
        if t is None:
            t = cache[text] = self.env.from_string(text)
        try:
            out = t.render(inst.ctx)
        except Exception as e:
            raise TemplateError(self.file, inst.tsheet.name, where, jinja_message(e)) from None
        reach = reaches_out(out)  # the rule as the report carries it: {{ "WEB" ~ "SERVICE" }}( is WEBSERVICE(
        if reach:
            raise TemplateError(self.file, inst.tsheet.name, where, reach_message(out, reach))
        return out

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
        cache = self.tpl._ht_cache
        for r in range(1, last + 1):
            heights[r] = _row_points(inst.heights.get(r), default_ht, cache)
        title = None
        if ts.title_rows is not None:
            a, b = L.glo(*ts.title_rows), L.ghi(*ts.title_rows)
            if a is not None and b is not None and 0 < a <= b <= last:
                title = (a, b)
        m = re.search(r"<rowBreaks\b.*?</rowBreaks>", s, re.S)
        manual = {int(i) for i in re.findall(r'<brk\b[^>]*?\bid="(\d+)"', m.group(0))} if m else set()
        added = keep_breaks(heights, frame, title, manual, inst.keeps) if inst.keeps else []
        if added:
            return _with_breaks(s, m, manual | set(added))
        tall = fold_widow(heights, frame, title, manual)
        if tall is not None:
            return re.sub(r"<pageSetup\b([^>]*?)(/?)>",
                          lambda x: "<pageSetup" + re.sub(r'\s+fitToHeight="[^"]*"', "", x.group(1)) +
                          f' fitToHeight="{tall}"' + x.group(2) + ">", s, count=1)
        brk = widow_break(heights, frame, title, manual)
        return _with_breaks(s, m, manual | {brk}) if brk is not None else s


def _with_breaks(s: str, m, ids: set[int]) -> str:
    """The sheet's XML with these manual page breaks (`m`: its <rowBreaks> element, if any)."""
    rows = sorted(ids)[:1026]
    body = "".join(f'<brk id="{i}" max="16383" man="1"/>' for i in rows)
    xml = f'<rowBreaks count="{len(rows)}" manualBreakCount="{len(rows)}">{body}</rowBreaks>'
    if m:
        return s[:m.start()] + xml + s[m.end():]
    at = _after_page_setup(s)
    return s[:at] + xml + s[at:] if at is not None else s


# The height a wrapped text needs, by (text, width, size): a province's 120 overviews print
# the same indicator names and notes in the same columns (texts up to 200 characters kept).
_NEEDS: dict[tuple, float] = {}


def _fit_attrs(fit, vals) -> str:
    cells, min_ht, rest, orig = fit
    h = min_ht
    needs = _NEEDS
    for k, width, size in cells:
        v = vals[k]
        if type(v) is not str or not v:
            continue
        key = (v, width, size)
        need = needs.get(key)
        if need is None:
            need = row_height(wrapped_lines(v, width, size), size)
            if len(v) <= 200:  # (texts of a name's length: a long note is seldom printed twice)
                if len(needs) >= 32768:
                    needs.clear()
                needs[key] = need
        if need > h:
            h = need
    if h == min_ht:
        return orig
    return f' ht="{h:g}" customHeight="1"{rest}'


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


_EXPR_CACHE: dict = {}


def _expr_cache(env, src):
    key = (id(env), src)
    ex = _EXPR_CACHE.get(key)
    if ex is None:
        ex = _EXPR_CACHE[key] = env.compile_expression(src, undefined_to_none=False)
    return ex


def _note(known: dict, n: int, col: int, v) -> None:
    if v is not None:
        known[(n, col)] = v


def _kept_value(formula: str, v, fattrs: str) -> str:
    """The rest of a formula cell: its formula and, when worked out, the value Excel will show."""
    if v is None:
        return f"><f{fattrs}>{formula}</f></c>"
    if isinstance(v, bool):
        return f' t="b"><f{fattrs}>{formula}</f><v>{int(v)}</v></c>'
    if isinstance(v, str):
        return f' t="str"><f{fattrs}>{formula}</f><v>{xtext(v)}</v></c>'
    return f"><f{fattrs}>{formula}</f><v>{v!r}</v></c>"


__all__ = ["SheetWriter", "rule_formulas", "HF_RE"]
