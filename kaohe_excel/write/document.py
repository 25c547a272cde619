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
from kaohe_excel.write._tpl_package import XML_DTD_MARKS
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
    except (OSError, zipfile.BadZipFile, ValueError):
        raise TemplateError(template.name, None, None,
                            "不是 Word 文档（.docx）或文件已损坏；请在 Word/WPS 中打开后「另存为」Word 文档（*.docx）") from None




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
            if prep is not None and _doc_prepared.render(prep, data, context, env, out):
                return
        except jinja2.TemplateError:
            raise  # the template's own error, as docxtpl raises it
        except Exception:  # noqa: BLE001 - anything else: the whole docxtpl way says what it is
            pass
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
    tpl.save(str(out))


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

