"""Word reports (the monthly bulletin) from a .docx template with Jinja tags (docxtpl).

A clerk edits the template in Word or WPS like the xlsx ones; `{{ … }}` fills a value,
`{%p for … %}` / `{%p if … %}` on a paragraph of their own repeat or drop paragraphs
(docxtpl's syntax). The template is a file from anyone: it renders in the same sandbox
as the xlsx templates (no attribute starting with `_`, no unsafe call, bounded output
and time), values are XML-escaped, and a template that is not a reasonable .docx is
refused before it is opened.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from kaohe_excel.assess.results import cn_number
import html
import re

from kaohe_excel.write._tpl_package import XML_DTD_MARKS, reaches_out, relationships
from kaohe_excel.write._tpl_sandbox import make_environment
from kaohe_excel.write._tpl_sheet import TemplateError, jinja_message

MAX_TEMPLATE = 50_000_000  # uncompressed bytes of a Word template we are willing to open
MAX_MEMBERS = 2_000  # parts in its package


def _environment():
    """The report sandbox for a document: None renders as nothing (not 'None'), `cn` turns
    1 into 一 for headings written with a loop ({{ loop.index|cn }}、)."""
    env = make_environment(document=True, filters={"cn": cn_number})
    env.finalize = lambda v: "" if v is None else v
    return env


def _check_package(template: Path, content=None) -> None:
    """A .docx is a zip with word/document.xml; a zip bomb or another file renamed .docx is
    refused with a message, never half-read. `content`: the file's bytes already read."""
    try:
        with zipfile.ZipFile(template if content is None else content) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_TEMPLATE:
                raise TemplateError(template.name, None, None,
                                    f"文件解压后过大（超过 {MAX_TEMPLATE // 1_000_000} MB），不是报表模板")
            if "word/document.xml" not in names:
                raise TemplateError(template.name, None, None,
                                    "不是 Word 文档（.docx）：缺少正文部分；请在 Word/WPS 中「另存为」Word 文档（*.docx）")
            for info in infos:  # (the sizes are bounded above)
                if any(bad in z.read(info) for bad in XML_DTD_MARKS):  # entity bombs, a local file pulled in: Word never writes one
                    raise TemplateError(template.name, None, None,
                                        f"文件内容异常：「{info.filename}」中含有 DOCTYPE/ENTITY 声明，Word 和 WPS 从不写入这种内容，"
                                        "已拒绝使用；请删除它以使用程序自带的模板")
            refuse_reaching_out(template.name, z)
    except (OSError, zipfile.BadZipFile, ValueError):
        raise TemplateError(template.name, None, None,
                            "不是 Word 文档（.docx）或文件已损坏；请在 Word/WPS 中打开后「另存为」Word 文档（*.docx）") from None




# fields that fetch a file or a web address, or run a program, when the document is opened or
# its fields are updated (Word asks about DDE once, and a leader clicks 是)
_FIELDS_OUT = re.compile(r"(DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|LINK|IMPORT)(?![\w])", re.I)
_FIELD_BITS = re.compile(r"<(?:[\w.-]+:)?(?:fldChar\b([^>]*)|instrText\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?instrText>)|"
                         r"fldSimple\b([^>]*))", re.S)
_FLD_TYPE = re.compile(r"""\b(?:[\w.-]+:)?fldCharType\s*=\s*["'](\w+)["']""")
_FLD_INSTR = re.compile(r"""\b(?:[\w.-]+:)?instr\s*=\s*("[^"]*"|'[^']*')""")


def _field_codes(xml: str):
    """The code of every field of a part: fldSimple's instr, and the instrText of a complex field
    joined across its runs (a nested field's code on its own). A field whose code starts with
    another field (its name worked out when it is updated) gives its own code marked by a NUL."""
    stack: list[dict] = []  # open complex fields, innermost last
    for m in _FIELD_BITS.finditer(xml):
        top = stack[-1] if stack else None
        if m.group(3) is not None:
            q = _FLD_INSTR.search(m.group(3))
            if q:
                yield html.unescape(q.group(1)[1:-1])
        elif m.group(1) is not None:
            kind = _FLD_TYPE.search(m.group(1))
            kind = kind.group(1).lower() if kind else ""
            if kind == "begin":
                if top is not None and not top["result"] and not "".join(top["code"]).strip():
                    top["code"].append("\0")  # the outer field's name comes from this one
                stack.append({"code": [], "result": False})
            elif kind == "separate" and top is not None and not top["result"]:
                top["result"] = True
                yield "".join(top["code"])
            elif kind == "end" and top is not None:
                stack.pop()
                if not top["result"]:
                    yield "".join(top["code"])
        elif top is not None and not top["result"]:
            top["code"].append(html.unescape(re.sub(r"<[^>]*>", "", m.group(2) or "")))
    for f in stack:
        if not f["result"]:
            yield "".join(f["code"])


def refuse_reaching_out(name: str, z: zipfile.ZipFile, where: str = "模板") -> None:
    """A Word package (the template, or the bulletin rendered from it: a field can be built by
    Jinja) that would reach a file, a share or the network, or run a program, when a leader
    opens it: a relationship to anything outside it but a hyperlink to a web page (an attached
    template on \\\\host or http://, a linked picture), a DDE/DDEAUTO, INCLUDETEXT,
    INCLUDEPICTURE, LINK or IMPORT field. Raises TemplateError naming the part."""
    for part in z.namelist():
        if not part.endswith((".rels", ".xml")):
            continue
        text = z.read(part).decode("utf-8", "replace")
        if part.endswith(".rels"):
            for rel in relationships(text):
                target = reaches_out(rel)
                if target is not None:
                    raise TemplateError(name, None, None,
                                        f"{where}的「{part}」中有指向外部文件、网络共享或网络地址的链接（{target[:60]}），"
                                        "打开报告时会访问它，报告不能带着它发出；请在 Word/WPS 中删除该链接（或附加的模板）后再用，"
                                        "或删除该模板以使用程序自带的模板")
            continue
        if "instr" not in text:
            continue
        for code in _field_codes(text):
            m = _FIELDS_OUT.match(code.strip())
            if m or code.lstrip().startswith("\0"):
                shown = code.replace("\0", "{…}").strip()[:60]
                raise TemplateError(name, None, None,
                                    f"{where}的「{part}」中有域「{shown}」，打开报告或更新域时会读取外部文件、访问网络或运行外部程序"
                                    "，报告不能带着它发出；请在 Word/WPS 中删除该域（Alt+F9 显示域代码）后再用")


def _where(exc: BaseException) -> str | None:
    """The template text near a Jinja error (docxtpl keeps the lines around it)."""
    lines = [t.strip() for t in getattr(exc, "docx_context", None) or () if t.strip()]
    if not lines:
        return None
    text = "".join(lines)
    return f"「{text[:40]}{'…' if len(text) > 40 else ''}」附近"


def render_document(template: Path, context: dict, out: Path) -> None:
    """Render the Word template with `context` into `out` (the caller makes it atomic): from its
    sources prepared by an earlier run when there are some (_doc_prepared: no python-docx to
    import), else the whole docxtpl way (and its sources kept for the next run)."""
    import io

    import jinja2

    from kaohe_excel.write import _doc_prepared

    template = Path(template)
    data = _template_bytes(template)
    env = _environment()
    prep = _doc_prepared.kept(data)
    try:
        try:
            prepared = prep is not None and _doc_prepared.render(prep, data, context, env, out)
        except jinja2.TemplateError:
            raise  # the template's own error, as docxtpl raises it
        except Exception:  # noqa: BLE001 - anything else: the whole docxtpl way says what it is
            prepared = False
        if not prepared:
            from docxtpl import DocxTemplate

            tpl = DocxTemplate(io.BytesIO(data))
            if prep is None:
                _doc_prepared.prepare(tpl, data)
            tpl.render(context, jinja_env=env)
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError) as exc:
        if isinstance(exc, jinja2.TemplateError) or getattr(exc, "docx_context", None):
            raise TemplateError(template.name, None, _where(exc), jinja_message(exc)) from None
        raise TemplateError(template.name, None, None,
                            f"模板无法使用（{type(exc).__name__}: {str(exc)[:200]}）；"
                            "请在 Word/WPS 中打开检查，或删除它以使用程序自带的模板") from None
    except Exception as exc:  # noqa: BLE001 - a broken package part (bad XML, missing relation)
        raise TemplateError(template.name, None, None,
                            f"模板无法读取（{type(exc).__name__}: {str(exc)[:200]}）；"
                            "请在 Word/WPS 中打开后重新保存为 .docx，或删除它以使用程序自带的模板") from None
    if not prepared:
        tpl.save(str(out))
    _written_stays_inside(template, out)  # (outside the try: its refusal is said as it is)


def _written_stays_inside(template: Path, out: Path) -> None:
    """The bulletin as written held to the template's rule (a field's name can be built by Jinja:
    {{ "DDE" ~ "AUTO" }}); when it fails, nothing is left at `out`."""
    try:
        with zipfile.ZipFile(out) as z:
            refuse_reaching_out(template.name, z, "按模板写出的报告")
    except TemplateError:
        Path(out).unlink(missing_ok=True)
        raise


def _template_bytes(template: Path) -> bytes:
    """The template read once, checked (_check_package) on the very bytes that are rendered."""
    import io

    try:
        if template.stat().st_size > MAX_TEMPLATE:
            raise TemplateError(template.name, None, None,
                                f"文件过大（超过 {MAX_TEMPLATE // 1_000_000} MB），不是报表模板")
        data = template.read_bytes()
    except OSError:
        raise TemplateError(template.name, None, None,
                            "不是 Word 文档（.docx）或文件已损坏；请在 Word/WPS 中打开后「另存为」Word 文档（*.docx）") from None
    _check_package(template, io.BytesIO(data))
    return data


def template_variables(template: Path) -> set[str]:
    """The top-level names a Word template uses (for `kaohe template check`)."""
    from docxtpl import DocxTemplate

    template = Path(template)
    _check_package(template)
    return set(DocxTemplate(str(template)).get_undeclared_template_variables(jinja_env=_environment()))

