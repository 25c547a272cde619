"""Engine stage 3, references: everything that names rows is re-pointed through the row
map of stage 2 — formulas (in cells, defined names, chart series), sqrefs (conditional
formatting, data validation, selections), merged cells, page breaks, drawing and
comment anchors, tables. Formula text is cut into references by _tpl_refs."""

from __future__ import annotations

import re

from kaohe_excel.write._tpl_layout import Instance, Layout
from kaohe_excel.write._tpl_package import T_CHART, T_COMMENTS, T_DRAWING, T_TABLE, T_VML, attrs, esc, esc_attr, unesc
from kaohe_excel.write._tpl_refs import MAX_ROW, parse_formula, parse_range, quote_sheet, range_text


def target(job, sheet: str, inst: Instance | None):
    """The instance a sheet name in a formula points to: False if not one of ours,
    None if that sheet was not rendered at all."""
    key = sheet.casefold()
    if inst is not None and inst.tsheet.name.casefold() == key:
        return inst
    insts = job.by_name.get(key, False)
    if insts is False:
        return False
    return insts[0] if insts else None


def formula(job, parts: list, inst: Instance | None, chain=(), expand: bool = False) -> str:
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
            tgt = target(job, p.sheet, inst)
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


def formula_text(job, text: str, inst: Instance | None, expand: bool = False) -> str:
    return formula(job, parse_formula(text), inst, (), expand)


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


def map_cell(ref: str, L: Layout) -> str:
    m = re.fullmatch(r"(\$?[A-Za-z]{1,3})(\$?)(\d+)", ref)
    if not m:
        return ref
    return f"{m.group(1)}{m.group(2)}{L.pos(int(m.group(3)))}"


def block_of(ts, r1: int, r2: int):
    """The innermost row loop whose rows hold r1..r2, or None."""
    best = None
    for b in ts.blocks:
        if b.start <= r1 and r2 <= b.end and (best is None or b.start >= best.start and b.end <= best.end):
            best = b
    return best


def merges(inst: Instance) -> list[str]:
    """The sheet's merged cells: repeated per iteration inside a loop, moved elsewhere;
    plus the `{%cell merge %}` runs the rows made."""
    ts, L = inst.tsheet, inst.layout
    out = []
    m = re.search(r"<mergeCells\b.*?</mergeCells>", ts.suffix, re.S)
    if m:
        for ref in re.findall(r'<mergeCell\b[^>]*\bref="([^"]+)"', m.group(0)):
            try:
                r1, c1, r2, c2 = parse_range(ref)
            except ValueError:
                continue
            block = block_of(ts, r1, r2)
            spans = []
            if block is None:
                sp = (L.glo(r1, r2), L.ghi(r1, r2))
                if sp[0] is not None and sp[1] is not None:
                    spans.append(sp)
            else:
                for it in L.iters.get(id(block), ()):
                    a, b = L.ilo(it, r1, r2), L.ihi(it, r1, r2)
                    if a is not None:
                        spans.append((a, b))
            for a, b in spans:
                if a != b or c1 != c2:
                    out.append(range_text(a, c1, b, c2))
    out.extend(inst.extra_merges)
    return out


def breaks(inst: Instance, xml: str) -> str:
    """The sheet's <rowBreaks>, re-pointed (repeated per iteration inside a loop)."""
    ts, L = inst.tsheet, inst.layout
    ids = []
    for a in map(attrs, re.findall(r"<brk\b([^>]*?)/?>", xml)):
        r = int(a.get("id", "0"))
        tr = ts.rows.get(r) if 0 < r <= ts.max_row else None
        if tr is not None and tr.control:
            ids.extend((i, a) for i in tag_row_breaks(ts, L, r))
            continue
        block = block_of(ts, r, r) if 0 < r <= ts.max_row else None
        if block is None:
            ids.append((L.last_or_pos(r), a))
        else:
            for it in L.iters.get(id(block), ()):
                b = L.ihi(it, r, r)
                if b is not None:
                    ids.append((b, a))
    ids = sorted({i: a for i, a in ids if 0 < i < MAX_ROW}.items())[:1026]
    if not ids:
        return ""
    body = "".join("<brk" + "".join(f' {k}="{esc_attr(str(i) if k == "id" else v)}"' for k, v in a.items()) + "/>"
                   for i, a in ids)
    manual = sum(1 for _, a in ids if a.get("man") in ("1", "true"))
    return f'<rowBreaks count="{len(ids)}" manualBreakCount="{manual}">{body}</rowBreaks>'


def tag_row_breaks(ts, L: Layout, r: int) -> list[int]:
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
        a = L.ihi(it, scope.start, r)
        if a is None:
            b = L.ilo(it, r, scope.end)
            if b is None:
                continue
            a = b - 1
        out.append(a)
    return out


def transform_part(job, kind: str, xml: str, inst: Instance) -> str:
    """A drawing, chart, comments, VML or table part of a sheet instance, re-pointed."""
    L = inst.layout
    if kind == T_DRAWING:
        def anchor(m):
            inner = re.sub(r"(<(?:\w+:)?row>)(\d+)(</)",
                           lambda x: f"{x.group(1)}{L.pos(int(x.group(2)) + 1) - 1}{x.group(3)}", m.group(2))
            return m.group(1) + inner + m.group(3)
        return re.sub(r"(<(?:\w+:)?(?:from|to)>)(.*?)(</(?:\w+:)?(?:from|to)>)", anchor, xml, flags=re.S)
    if kind == T_CHART:
        return chart(job, xml, inst)
    if kind == T_COMMENTS:
        return re.sub(r'(<comment\b[^>]*?\bref=")([^"]+)(")',
                      lambda m: m.group(1) + map_cell(m.group(2), L) + m.group(3), xml)
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


def chart(job, xml: str, inst: Instance | None) -> str:
    xml = re.sub(r"(<(?:c:)?f>)(.*?)(</(?:c:)?f>)",
                 lambda m: m.group(1) + esc(formula_text(job, unesc(m.group(2)), inst, True)) + m.group(3), xml,
                 flags=re.S)
    # caches are stale once the ranges grow; Excel and LibreOffice read the cells
    xml = re.sub(r"<((?:c:)?)(numCache|strCache|multiLvlStrCache)>.*?</\1\2>", "", xml, flags=re.S)
    return xml


__all__ = ["formula", "formula_text", "map_sqref", "map_cell", "merges", "breaks", "transform_part", "chart"]
