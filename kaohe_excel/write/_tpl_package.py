"""The .xlsx package (OPC zip) as the template engine sees it: parts, relationships
and content types, read and written as text. No XML library rewrites a part, so
everything the engine does not touch reaches the output byte for byte."""

from __future__ import annotations

import errno
import html
import io
import posixpath
import re
import zipfile

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
T_WORKSHEET = REL_NS + "/worksheet"
T_DRAWING = REL_NS + "/drawing"
T_CHART = REL_NS + "/chart"
T_COMMENTS = REL_NS + "/comments"
T_VML = REL_NS + "/vmlDrawing"
T_TABLE = REL_NS + "/table"
T_SHARED_STRINGS = REL_NS + "/sharedStrings"
T_CALC_CHAIN = REL_NS + "/calcChain"
T_IMAGE = REL_NS + "/image"
T_HYPERLINK = REL_NS + "/hyperlink"

CT_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

# a relationship whatever prefix its namespace is given (<pr:Relationship … xmlns:pr="…">)
_REL_RE = re.compile(r"<(?:[\w.-]+:)?Relationship\b([^>]*?)/?>", re.S)
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
_ATTRS_SEEN: dict[str, dict[str, str]] = {}


def attrs(text: str) -> dict[str, str]:
    """A tag's attributes, unescaped, in a new dict (callers change theirs). Worked out once per
    text: a template's rows and cells repeat a few attribute strings thousands of times."""
    got = _ATTRS_SEEN.get(text)
    if got is None:
        got = {}
        for k, quoted in _ATTR_RE.findall(text):
            if quoted[0] == '"' or k not in got:  # a double-quoted value wins, as XML writers quote
                got[k] = unesc(quoted[1:-1])
        if len(text) <= 4096:
            if len(_ATTRS_SEEN) >= 16384:
                _ATTRS_SEEN.clear()
            _ATTRS_SEEN[text] = got
    return dict(got)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    return esc(text).replace('"', "&quot;")


def unesc(text: str) -> str:
    return html.unescape(text) if "&" in text else text


class Rel:
    __slots__ = ("id", "type", "target", "external", "raw_target")

    def __init__(self, id: str, type: str, target: str, external: bool, raw_target: str):
        self.id, self.type, self.target, self.external, self.raw_target = id, type, target, external, raw_target


def rels_path(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


def resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


# a DTD in any part, in the encodings an XML part may be written in (Excel, WPS and Word never write one)
XML_DTD_MARKS = [p.encode(enc) for p in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")]
# the only external targets a report may carry: a hyperlink to a web page or a mail address (never a
# file, a share; never a linked workbook, an attached template or a picture fetched from the web)
_SAFE_LINK = re.compile(r"^(https?://|mailto:)[^\\]*$", re.I)
_ABSOLUTE = re.compile(r"^([a-z][a-z0-9+.-]*:|[\\/]{2})", re.I)  # http:, file:, C:, \\host, //host


def relationships(text: str) -> list[dict[str, str]]:
    """The attributes of every relationship of a .rels part."""
    return [attrs(raw) for raw in _REL_RE.findall(text)]


def reaches_out(rel: dict[str, str]) -> str | None:
    """The target of a relationship (its attributes) that no report may carry, or None: anything
    outside the package but a hyperlink to a web page or a mail address."""
    target = rel.get("Target", "")
    if rel.get("TargetMode", "").lower() != "external" and not _ABSOLUTE.match(target.strip()):
        return None
    if rel.get("Type", "").endswith("/hyperlink") and _SAFE_LINK.match(target):
        return None
    return target
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template on disk (the shipped ones are ~10 KB)
MAX_PARTS = 2000
MAX_PART_BYTES = 64 * 1024 * 1024  # one part, inflated (as its header says: zipfile reads no more)
MAX_PACKAGE_BYTES = 256 * 1024 * 1024  # all parts, inflated


class PackageError(ValueError):
    """A template file that must not be opened, in a clerk's words."""


def _read_regular(path) -> bytes:
    """The file's bytes, only if it is a regular file of sane size: a FIFO, a device
    (/dev/zero) or a link to one named .xlsx would hang or fill memory."""
    from kaohe_excel.fsutil import NotRegularFile, read_regular

    try:
        return read_regular(path, MAX_TEMPLATE_BYTES)
    except NotRegularFile as e:
        if e.errno == errno.EINVAL:
            raise PackageError("这不是普通文件（可能是文件夹、设备或管道），不能作为模板") from None
        raise PackageError(f"模板文件过大（{e.strerror}）；请删除模板中无关的图片和工作表") from None
    except OSError as e:
        raise PackageError(f"无法读取模板文件（{e.strerror or e}）") from None


class Package:
    """Read access to the template zip, with parsed rels and content types. The file is
    read once, whole, and its parts are bounded before any is inflated (a 2 MB template
    must not inflate to gigabytes)."""

    def __init__(self, path):
        data = _read_regular(path)
        if not data:
            raise zipfile.BadZipFile("empty file")
        self.zf = zipfile.ZipFile(io.BytesIO(data))
        infos = self.zf.infolist()
        if len(infos) > MAX_PARTS:
            raise PackageError(f"模板文件内容异常：有 {len(infos)} 个部件，超过上限 {MAX_PARTS} 个")
        big = next((i for i in infos if i.file_size > MAX_PART_BYTES), None)
        if big is not None or sum(i.file_size for i in infos) > MAX_PACKAGE_BYTES:
            raise PackageError("模板文件内容异常：解压后过大（可能是恶意构造的压缩炸弹），已拒绝打开")
        if any(i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for i in infos):
            raise PackageError("模板文件使用了 Excel 不会使用的压缩方式，请在 Excel/WPS 中另存为 .xlsx")
        self.names = [i.filename for i in infos if not i.is_dir()]
        self.nameset = set(self.names)
        self.formula_parts: list[str] = []  # XML parts that may hold a formula (engine._no_reaching_out)
        for name in self.names:  # (every part is bounded above)
            part = self.zf.read(name)
            if name.endswith(".xml") and (b"ormula" in part or b":f>" in part or b"<f>" in part):
                self.formula_parts.append(name)
            if any(mark in part for mark in XML_DTD_MARKS):  # entity bombs, a local file pulled in
                raise PackageError(f"模板文件内容异常：「{name}」中含有 DOCTYPE/ENTITY 声明，Excel 和 WPS 从不写入这种内容，"
                                   "已拒绝使用；请删除该模板以使用程序自带的模板")
            if name.endswith(".rels"):
                for a in relationships(part.decode("utf-8", "replace")):
                    target = reaches_out(a)
                    if target is not None:
                        raise PackageError(f"模板中有指向外部文件、网络共享或网络地址的链接（{target[:60]}，在「{name}」中），"
                                           "报表不能带着它发出；请在 Excel/WPS 中删除该链接（数据 → 编辑链接）后再用")
        ct = self.text("[Content_Types].xml")
        self.ct_defaults = {a["Extension"].lower(): a["ContentType"]
                            for a in map(attrs, re.findall(r"<Default\b([^>]*)/?>", ct))}
        self.ct_overrides = {a["PartName"].lstrip("/"): a["ContentType"]
                             for a in map(attrs, re.findall(r"<Override\b([^>]*)/?>", ct))}

    def read(self, name: str) -> bytes:
        return self.zf.read(name)

    def text(self, name: str) -> str:
        return self.zf.read(name).decode("utf-8")

    def has(self, name: str) -> bool:
        return name in self.nameset

    def rels(self, part: str) -> list[Rel]:
        rp = rels_path(part)
        if not self.has(rp):
            return []
        out = []
        for a in relationships(self.text(rp)):
            tgt = a.get("Target", "")
            ext = a.get("TargetMode", "").lower() == "external" or bool(_ABSOLUTE.match(tgt.strip()))
            out.append(Rel(a.get("Id", ""), a.get("Type", ""), tgt if ext else resolve(part, tgt), ext, tgt))
        return out

    def content_type(self, part: str) -> str | None:
        if part in self.ct_overrides:
            return self.ct_overrides[part]
        ext = part.rsplit(".", 1)[-1].lower()
        return self.ct_defaults.get(ext)


def rels_xml(part: str, rels: list[Rel]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for r in rels:
        if r.external:
            out.append(f'<Relationship Id="{esc_attr(r.id)}" Type="{esc_attr(r.type)}" '
                       f'Target="{esc_attr(r.raw_target)}" TargetMode="External"/>')
        else:
            out.append(f'<Relationship Id="{esc_attr(r.id)}" Type="{esc_attr(r.type)}" '
                       f'Target="{esc_attr(relative(part, r.target))}"/>')
    out.append("</Relationships>")
    return "".join(out)


def content_types_xml(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">']
    for ext, ct in defaults.items():
        out.append(f'<Default Extension="{esc_attr(ext)}" ContentType="{esc_attr(ct)}"/>')
    for part, ct in overrides.items():
        out.append(f'<Override PartName="/{esc_attr(part)}" ContentType="{esc_attr(ct)}"/>')
    out.append("</Types>")
    return "".join(out)


def free_name(taken: set[str], like: str) -> str:
    """A part name like `like` (xl/drawings/drawing1.xml) not in `taken`."""
    d, f = posixpath.split(like)
    m = re.match(r"^(.*?)(\d*)(\.[^.]+)$", f)
    stem, ext = (m.group(1), m.group(3)) if m else (f, "")
    n = 1
    while True:
        cand = posixpath.join(d, f"{stem}{n}{ext}")
        if cand not in taken:
            taken.add(cand)
            return cand
        n += 1
