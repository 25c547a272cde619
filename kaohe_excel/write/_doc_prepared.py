"""A Word template prepared once per content, so the monthly bulletin renders without python-docx.

docxtpl renders a .docx in three steps: python-docx loads the package, docxtpl cleans each
part's XML into a Jinja source (`patch_xml`: tags Word splits across runs joined, `{%p %}`
turned into plain tags), then renders that source and python-docx writes the package again.
Importing python-docx (~100 modules, lxml) is 40 ms of a county's 0.4 s month. The cleaned
sources depend only on the template's bytes (and docxtpl's code), so they are kept per user
(usercache, like compiled template code); a later run renders them in the same sandbox and
writes the package itself: every other part copied as the template has it.

Only for what docxtpl's later steps leave alone: no table in the rendered body (docxtpl
re-counts table columns), no picture ids to renumber, no Jinja in the document properties or
footnotes, XML that parses. Anything else, or anything unexpected, goes the whole docxtpl way.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import re
import zipfile
from pathlib import Path

from kaohe_excel import usercache

MAGIC = b"kaohe-docx-prepared\x001\n"
MAX_BYTES = 8 * 1024 * 1024
_FORMAT = "1"
_JINJA = ("{{", "{%", "{#")
_BODY_OPEN = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?body\b[^<>]*?>")
_BODY_CLOSE = re.compile(r"</(?:[A-Za-z_][\w.\-]*:)?body\s*>")
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

_LOADED: dict[bytes, dict] = {}  # this process's, by key


def _docxtpl_stamp() -> str:
    """Which docxtpl cleaned the sources, without importing it (its code's size and time)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("docxtpl")
        origin = Path(spec.origin).parent / "template.py" if spec and spec.origin else None
        st = origin.stat() if origin else None
    except (ImportError, OSError, ValueError):
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}" if st else ""


def _key(data: bytes) -> bytes | None:
    stamp = _docxtpl_stamp()
    if not stamp:
        return None
    return hashlib.sha256(b"\0".join([_FORMAT.encode(), stamp.encode(), hashlib.sha256(data).digest()])).digest()


def _path(key: bytes) -> Path | None:
    where = usercache.folder()
    return None if where is None else where / "docx" / f"{key.hex()[:32]}.bin"


def kept(data: bytes) -> dict | None:
    """The prepared template for these bytes, kept by an earlier run (or this one), or None."""
    key = _key(data)
    if key is None:
        return None
    if key in _LOADED:
        return _LOADED[key]
    path = _path(key)
    payload = usercache.read_entry(path, MAGIC, key, MAX_BYTES) if path is not None else None
    try:
        prep = marshal.loads(payload) if payload is not None else None
    except (EOFError, ValueError, TypeError):
        prep = None
    if not _well_formed_prep(prep):
        return None
    _LOADED[key] = prep
    return prep


def _well_formed_prep(prep) -> bool:
    return (isinstance(prep, dict) and all(isinstance(prep.get(k), str) for k in ("document", "head", "body", "tail"))
            and isinstance(prep.get("parts"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in prep["parts"].items()))


def prepare(tpl, data: bytes) -> None:
    """Keep the cleaned sources of a docxtpl template just loaded (before its render) when the
    template is one the short way renders as docxtpl does. Best effort: never fails a render."""
    try:
        prep = _prepared(tpl, data)
        key = _key(data)
        if prep is None or key is None:
            return
        _LOADED[key] = prep
        path = _path(key)
        if path is not None:
            usercache.write_entry(path, MAGIC, key, marshal.dumps(prep))
    except Exception:  # noqa: BLE001 - the short way is only ever a saving
        return


def _prepared(tpl, data: bytes) -> dict | None:
    tpl.init_docx()
    doc = tpl.docx
    props = doc.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        if any(t in (getattr(props, name) or "") for t in _JINJA):
            return None
    document = doc.part.partname.lstrip("/")
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        for part in doc.part.package.parts:
            if part.content_type.endswith("wordprocessingml.footnotes+xml"):
                blob = part.blob.decode("utf-8", "replace") if isinstance(part.blob, bytes) else str(part.blob)
                if any(t in blob for t in _JINJA):
                    return None
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _rel, part in tpl.get_headers_footers(uri):
                name = part.partname.lstrip("/")
                if name not in names:
                    return None
                parts[name] = tpl.patch_xml(tpl.get_part_xml(part))
        if document not in names:
            return None
        raw = z.read(document)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("<?xml") and not re.match(r"<\?xml[^>]*encoding=[\"'](?i:utf-8)[\"']", text):
        return None
    opened = _BODY_OPEN.search(text)
    closes = list(_BODY_CLOSE.finditer(text))
    if opened is None or opened.group(0).endswith("/>") or not closes or closes[-1].start() < opened.end():
        return None
    return {"document": document, "head": text[: opened.start()], "body": tpl.patch_xml(tpl.get_xml()),
            "tail": text[closes[-1].end():], "parts": parts}


_ROOT_TAG = re.compile(r"<[A-Za-z_][^<>]*>")
_XMLNS = re.compile(r"""\s+xmlns(?::([\w.\-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _inherited(body: str, head: str) -> str:
    """The body's namespace declarations that the document element already makes left out, as
    python-docx writes the body back into it (docxtpl's body text carries them all)."""
    root = _ROOT_TAG.search(head)
    start = _ROOT_TAG.match(body)
    if root is None or start is None:
        return body
    declared = {_declared(m) for m in _XMLNS.finditer(root.group(0))}
    return _XMLNS.sub(lambda m: "" if _declared(m) in declared else m.group(0), start.group(0)) + body[start.end():]


def _declared(m: re.Match) -> tuple[str, str]:
    """(prefix, namespace) of an xmlns declaration, whichever quotes it is written in."""
    return m.group(1) or "", m.group(2) if m.group(2) is not None else m.group(3)


def render(prep: dict, data: bytes, context: dict, env, out: Path) -> bool:
    """Render the kept sources into `out` as docxtpl would. False (nothing written) when the
    result is one docxtpl would still change (a table, a picture) or is not XML: the caller
    then renders the whole docxtpl way. Jinja errors are raised as docxtpl raises them."""
    body = _inherited(_render_part(prep["body"], context, env), prep["head"])  # (the source docxtpl compiles)
    document = prep["head"] + body + prep["tail"]
    if "<w:tbl" in body or "docPr" in body or not _parses(document):
        return False
    rendered = {prep["document"]: document.encode("utf-8")}
    for name, source in prep["parts"].items():
        xml = _render_part(source, context, env)
        if not _parses(xml):
            return False
        rendered[name] = (_DECLARATION + xml).encode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zout.writestr(member, rendered.get(info.filename) or zin.read(info), zipfile.ZIP_DEFLATED)
    return True


_PARA_OPEN = re.compile(r"<w:p([ >])")
_PARA_OPEN_NL = re.compile(r"\n<w:p([ >])")


def _render_part(source: str, context: dict, env) -> str:
    """docxtpl's render of one cleaned part: each paragraph on a line of its own while Jinja
    runs (error lines), escaped braces restored, and tabs, line and page breaks in a value made
    Word's own (`_breaks`)."""
    import jinja2

    source = _PARA_OPEN.sub(r"\n<w:p\1", source)
    try:
        xml = env.from_string(source).render(context)
    except jinja2.TemplateError as exc:
        if getattr(exc, "lineno", None) is not None:
            first = max(exc.lineno - 4, 0)
            exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in source.splitlines()[first:first + 7]]
        raise
    xml = _PARA_OPEN_NL.sub(r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return _breaks(xml) if any(c in xml for c in "\t\a\n\f") else xml


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.S)
_PPR = re.compile(r"<w:pPr>.*?</w:pPr>")
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>")


def _breaks(xml: str) -> str:
    """A tab, a new paragraph (\\a), a line break (\\n) or a page break (\\f) inside a text run
    becomes Word's element for it, keeping the run's and the paragraph's formatting (what
    docxtpl does after a render)."""

    def paragraph(m: re.Match) -> str:
        ppr = _PPR.search(m.group(0))
        ppr = ppr.group(0) if ppr else ""

        def run(r: re.Match) -> str:
            rpr = _RPR.search(r.group(0))
            rpr = rpr.group(0) if rpr else ""

            def text(t: re.Match) -> str:
                s = t.group(0).replace("\t", f'</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space="preserve">')
                s = s.replace("\a", f'</w:t></w:r></w:p><w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">')
                s = s.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
                return s.replace("\f", '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
                                       f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">')

            return _TEXT.sub(text, r.group(0))

        return _RUN.sub(run, m.group(0))

    return _PARAGRAPH.sub(paragraph, xml)


def _parses(xml: str) -> bool:
    """Well-formed XML with no DTD (expat; what Word would refuse to open is never written)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()

    def refuse(*_args):
        raise ValueError("DTD")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(xml.encode("utf-8"), True)
    except (expat.ExpatError, ValueError):
        return False
    return True


__all__ = ["kept", "prepare", "render"]
