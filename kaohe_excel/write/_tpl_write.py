"""Engine stage 5, package: the output .xlsx assembled from the template's parts — the
sheet instances streamed by stage 4, their drawings, charts, comments and tables
re-pointed (and cloned for every `{%sheet for %}` copy after the first), workbook.xml
(sheets, defined names, active tab, recalculation on open), its relationships,
[Content_Types].xml and docProps/app.xml; written atomically. The zip and XML
primitives are in _tpl_package."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kaohe_excel.fsutil import as_ordinary_file, atomic_output
from kaohe_excel.write import _tpl_repoint as refs
from kaohe_excel.write._tpl_package import (
    CT_SHEET_MAIN, CT_WORKSHEET, T_CALC_CHAIN, T_CHART, T_COMMENTS, T_DRAWING, T_IMAGE, T_TABLE, T_VML,
    T_WORKSHEET, Rel, attrs, content_types_xml, esc, esc_attr, free_name, rels_path, rels_xml, unesc,
)
from kaohe_excel.write._tpl_sheetxml import SheetWriter

DN_RE = re.compile(r"<definedName\b([^>]*)>(.*?)</definedName>|<definedName\b[^>]*/>", re.S)
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def write(job, order, out_path: Path) -> Path:
    """The output workbook of `job`: `order` is [(sheet entry, [Instance] or None for a
    sheet passed through untouched)] in the template's sheet order."""
    tpl = job.tpl
    pkg = tpl.pkg
    taken = set(pkg.names)
    overrides = dict(pkg.ct_overrides)
    defaults = dict(pkg.ct_defaults)
    out_parts: dict[str, bytes | str] = {}  # replaced or new parts
    drop: set[str] = set()
    sheet_streams: dict = {}
    chart_owner: dict = {}

    # VBA, calc chain: never in the output
    for r in tpl.wb_rels:
        if r.type.endswith("/vbaProject") or r.type == T_CALC_CHAIN:
            drop.add(r.target)
    for n in pkg.names:
        if "vbaProject" in n or n.endswith("vbaProjectSignature.bin"):
            drop.add(n)
    overrides[tpl.wb_part] = CT_SHEET_MAIN

    # sheets
    wb_rels = [r for r in tpl.wb_rels if r.target not in drop]
    used_ids = {r.id for r in wb_rels}
    sheet_entries = []  # (raw attrs, name, rid)
    index = 0
    old_to_new: dict[int, list[int]] = {}
    active_old = 0
    m = re.search(r'<workbookView\b[^>]*\bactiveTab="(\d+)"', tpl.wb_xml)
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
            _owned_parts(job, inst, taken, out_parts, overrides, chart_owner)
    new_active = (old_to_new.get(active_old) or [0])[0]

    # charts not owned by a rendered sheet (chart sheets): re-point to first instances
    for n in pkg.names:
        if n.startswith("xl/charts/chart") and n.endswith(".xml") and n not in chart_owner and n not in drop \
                and n not in out_parts:
            out_parts[n] = refs.chart(job, pkg.text(n), None)

    out_parts[tpl.wb_part] = _workbook_xml(job, order, sheet_entries, old_to_new, new_active)
    out_parts[rels_path(tpl.wb_part)] = rels_xml(tpl.wb_part, wb_rels)
    for d in drop:
        overrides.pop(d, None)
    out_parts["[Content_Types].xml"] = content_types_xml(defaults, overrides)
    app_part = next((r.target for r in pkg.rels("") if r.type.endswith("/extended-properties")),
                    "docProps/app.xml")
    if pkg.has(app_part):
        rel_type = {r.id: r.type for r in wb_rels}
        titles = [("Charts" if rel_type.get(rid, "").endswith("/chartsheet") else "Worksheets", name)
                  for _raw, name, rid in sheet_entries]
        out_parts[app_part] = app_xml(pkg.text(app_part), titles)
    styles_part = tpl.styles_part if tpl.styles_part in pkg.nameset else None
    sheets = SheetWriter(job)

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
                        sheets.stream(inst, fh, inst.index == new_active)
                    continue
                if n == styles_part:
                    data = job.session.xml()
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
        as_ordinary_file(tmp)  # mkstemp makes 0600; a report is an ordinary file
    return out_path


def _owned_parts(job, inst, taken, out_parts, overrides, chart_owner) -> None:
    """Drawings, charts, comments, tables of one sheet instance: re-pointed, and
    cloned under new names for every copy after the first."""
    pkg = job.tpl.pkg
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
        target = _emit_part(job, r.type, r.target, inst, taken, out_parts, overrides, chart_owner)
        changed = changed or target != r.target
        new_rels.append(Rel(r.id, r.type, target, False, ""))
    if inst.copy_no or changed:
        out_parts[rels_path(inst.part)] = rels_xml(inst.part, new_rels)


def _emit_part(job, kind, part, inst, taken, out_parts, overrides, chart_owner) -> str:
    pkg = job.tpl.pkg
    name = part if inst.copy_no == 0 else free_name(taken, part)
    xml = refs.transform_part(job, kind, pkg.text(part), inst)
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
                out_parts[cname] = refs.chart(job, pkg.text(r.target), inst)
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


def _workbook_xml(job, order, sheet_entries, old_to_new, new_active) -> str:
    xml = job.tpl.wb_xml
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
        for m in DN_RE.finditer(dm.group(1)):
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
                    f = refs.formula_text(job, text, inst) if inst is not None else text
                    names.append((b, f))
            else:
                names.append((a, refs.formula_text(job, text, None)))
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


def app_xml(app: str, titles: list[tuple[str, str]]) -> str:
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


__all__ = ["write", "app_xml", "DN_RE"]
