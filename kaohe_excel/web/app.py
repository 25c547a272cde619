"""The Starlette app behind `kaohe serve`: pages, uploads, the run job, downloads.

Every route calls a flows function (desk views, upload, run, forms, signing, pdf); nothing
here reads an input or computes a figure. Safety (see security.py): the Host header is
checked (loopback) or a token is required (another --host); every POST must come from
this page's own Origin and carry its CSRF token; uploads are bounded; an error is a
Chinese page and a crash log, never a traceback.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import urllib.parse
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kaohe_excel.flows import desk
from kaohe_excel.web.jobs import Jobs
from kaohe_excel.web.security import MAX_REQUEST_BYTES, Guard, Settings

HERE = Path(__file__).resolve().parent


class _Notes:
    """Messages carried across one redirect (?note=id), kept in memory, a few hundred at most."""

    def __init__(self):
        self._notes: dict[str, dict] = {}
        self._lock = threading.Lock()

    def put(self, note: dict) -> str:
        key = secrets.token_hex(6)
        with self._lock:
            if len(self._notes) > 300:
                self._notes.pop(next(iter(self._notes)))
            self._notes[key] = note
        return key

    def get(self, key: str | None) -> dict | None:
        with self._lock:
            return self._notes.get(key or "")


def create_app(workspace: Path, settings: Settings | None = None) -> Starlette:
    workspace = Path(workspace)
    settings = settings or Settings()
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    jobs = Jobs(workspace)
    notes = _Notes()

    def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        html = env.get_template(name).render(csrf=settings.csrf, request=request, nav=ctx.pop("nav", ""),
                                             workspace=str(workspace.resolve()), **ctx)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    def back(url: str, note: dict | None = None) -> RedirectResponse:
        if note:
            url += ("&" if "?" in url else "?") + "note=" + notes.put(note)
        return RedirectResponse(url, status_code=303)

    def month_or_404(month: str) -> str:
        if not desk.valid_month(month):
            raise HTTPException(404)
        return month

    async def form_of(request: Request):
        form = await request.form(max_files=0, max_fields=20)
        settings.check_csrf(request, form.get("csrf"))
        return form

    async def home(request: Request):
        view = await _threaded(desk.home_view, workspace)
        return page(request, "home.html", v=view, note=notes.get(request.query_params.get("note")), nav="home")

    async def new_month(request: Request):
        from kaohe_excel.flows.upload import new_month as make

        form = await form_of(request)
        month, message = make(workspace, str(form.get("month") or ""))
        if month is None:
            return back("/", {"error": message})
        return back(f"/m/{month}", {"ok": message})

    async def month_page(request: Request):
        month = month_or_404(request.path_params["month"])
        # the job as it stands before the files are looked at: one that ends meanwhile shows as still
        # running (the page polls and reloads), never as done beside the reports it had not yet written
        job = jobs.get(request.query_params.get("job", "")) or jobs.running(month)
        job = job.snapshot() if job is not None else None
        view = await _threaded(desk.month_view, workspace, month)
        overview = None
        ov_file = desk.overview_file(workspace, month)
        if ov_file is not None:
            from kaohe_excel.web.sheet_view import sheet_view

            try:
                overview = await _threaded(sheet_view, ov_file)
            except Exception as exc:  # noqa: BLE001 - the links still work
                _log(exc, f"一览表显示 {ov_file.name}")
                overview = None
        from kaohe_excel.flows.pdf import soffice_path

        return page(request, "month.html", v=view, job=job, overview=overview,
                    overview_name=ov_file.name if ov_file else "", pdf=soffice_path() is not None,
                    note=notes.get(request.query_params.get("note")), limits=_limits(), nav="month")

    async def print_page(request: Request):
        month = month_or_404(request.path_params["month"])
        ov_file = desk.overview_file(workspace, month)
        if ov_file is None:
            raise HTTPException(404)
        from kaohe_excel.web.sheet_view import sheet_view

        overview = await _threaded(sheet_view, ov_file)
        return page(request, "print.html", overview=overview, overview_name=ov_file.name,
                    label=desk.month_label(month))

    async def upload(request: Request):
        from kaohe_excel.flows.upload import MAX_FILES, save_uploads

        month = month_or_404(request.path_params["month"])
        wants_json = "application/json" in request.headers.get("accept", "")
        form = await request.form(max_files=MAX_FILES + 1, max_fields=10)
        settings.check_csrf(request, form.get("csrf") or request.headers.get("x-csrf-token"))
        items = [f for f in form.getlist("files") if hasattr(f, "filename") and f.filename]
        if not items:
            result = {"error": "没有选择文件：请点「选择文件」或把文件拖到虚线框里"}
            return JSONResponse(result) if wants_json else back(f"/m/{month}", result)
        tmpdir = Path(tempfile.mkdtemp(prefix="kaohe-upload-"))
        try:
            staged = []
            for i, f in enumerate(items[:MAX_FILES + 1]):
                tmp = tmpdir / f"{i}.bin"
                with open(tmp, "wb") as out:
                    await _copy_upload(f, out)
                staged.append((f.filename, tmp))
            result = await _threaded(save_uploads, workspace, month, staged)
        finally:
            for f in items:
                await f.close()
            shutil.rmtree(tmpdir, ignore_errors=True)
        note = {"saved": [{"name": s.name, "note": s.note} for s in result.saved], "refused": result.refused,
                "error": result.fatal or ""}
        if wants_json:
            return JSONResponse({**note, "note": notes.put(note)})
        return back(f"/m/{month}", note)

    async def run(request: Request):
        month = month_or_404(request.path_params["month"])
        await form_of(request)
        job = jobs.running(month) or jobs.start(month)
        return back(f"/m/{month}?job={job.id}")

    async def job_status(request: Request):
        job = jobs.get(request.path_params["job"])
        if job is None:
            raise HTTPException(404)
        return JSONResponse(job.to_json(), headers={"Cache-Control": "no-store"})

    async def download(request: Request):
        month = month_or_404(request.path_params["month"])
        path = desk.output_file(workspace, month, request.path_params["name"])
        if path is None:
            raise HTTPException(404)
        return _file_response(path)

    async def pdf(request: Request):
        from kaohe_excel.flows.pdf import PdfError, report_pdf

        month = month_or_404(request.path_params["month"])
        path = desk.output_file(workspace, month, request.path_params["name"])
        if path is None or path.suffix.lower() not in desk.REPORT_SUFFIXES:
            raise HTTPException(404)
        try:
            made = await _threaded(report_pdf, path)
        except PdfError as exc:
            return page(request, "message.html", 409, title="无法生成 PDF", message=str(exc), link=f"/m/{month}")
        return _file_response(made)

    async def forms_page(request: Request):
        view = await _threaded(desk.forms_view, workspace)
        return page(request, "forms.html", v=view, note=notes.get(request.query_params.get("note")), nav="forms")

    async def forms_make(request: Request):
        from kaohe_excel.flows.forms import write_forms

        await form_of(request)
        s = await _threaded(write_forms, workspace, None)
        if s.fatal:
            return back("/forms", {"error": s.fatal})
        d = s.deadline.split("-") if s.deadline else None
        return back("/forms", {"ok": f"已生成 {desk.month_label(s.month)} 填报表：{len(s.departments)} 个单位"
                               + (f"，报送截止 {d[0]}年{int(d[1])}月{int(d[2])}日" if d else "")})

    async def forms_zip(request: Request):
        month = request.path_params["month"]
        data = await _threaded(desk.forms_zip, workspace, month) if desk.valid_month(month) else None
        if data is None:
            raise HTTPException(404)
        return Response(data, media_type="application/zip", headers=_attachment(f"{month}填报表.zip"))

    async def sign_page(request: Request):
        view = await _threaded(desk.sign_list, workspace)
        note = notes.get(request.query_params.get("note"))
        kept = (note or {}).get("form") or {}  # what was typed, back in the form after a refusal
        return page(request, "sign.html", months=view, note=note, nav="sign",
                    chosen=kept.get("report") or request.query_params.get("file", ""), typed=kept)

    async def sign_post(request: Request):
        from kaohe_excel.flows.signing import SignRefused, sign_output

        form = await form_of(request)
        month, _, name = str(form.get("report") or "").partition("/")
        path = desk.output_file(workspace, month, name) if desk.valid_month(month) else None
        if path is None or path.suffix.lower() not in desk.REPORT_SUFFIXES:
            return back("/sign", {"error": "请先选择要签发的报表"})
        try:
            entry = await _threaded(sign_output, path, str(form.get("reviewer") or ""), str(form.get("issuer") or ""),
                                    str(form.get("date") or "") or None)
        except SignRefused as exc:
            typed = {k: str(form.get(k) or "")[:200] for k in ("report", "reviewer", "issuer", "date")}
            return back("/sign", {"error": str(exc), "form": typed})
        return back("/sign", {"ok": f"已登记签发：{name}（审核：{entry['审核']}，签发：{entry['签发']}，日期：{entry['日期']}）。"
                                     "以后再生成报表不会覆盖它，会另存为「第2版」"})

    async def not_found(request: Request, exc: HTTPException):
        if exc.status_code == 404:
            return page(request, "message.html", 404, title="没有这个页面",
                        message="要找的页面或文件不存在（可能已被重新生成或改名）。", link="/")
        if exc.status_code == 405:  # a form's address opened directly (a bookmark, the address bar)
            return page(request, "message.html", 405, title="无法完成",
                        message="这个地址只接受页面上按钮提交的内容，不能直接打开；请回到页面上操作。", link="/")
        return page(request, "message.html", exc.status_code, title="无法完成", message=str(exc.detail), link="/")

    async def crashed(request: Request, exc: Exception):
        log = _log(exc, f"kaohe serve: {request.method} {request.url.path}")
        return page(request, "message.html", 500, title="出错了",
                    message=f"kaohe 遇到意外错误（{type(exc).__name__}）。输入文件没有被修改。"
                            f"详细信息已写入 {log}，请把它发给维护人员。", link="/")

    routes = [
        Route("/", home),
        Route("/months", new_month, methods=["POST"]),
        Route("/m/{month}", month_page),
        Route("/m/{month}/print", print_page),
        Route("/m/{month}/upload", upload, methods=["POST"]),
        Route("/m/{month}/run", run, methods=["POST"]),
        Route("/m/{month}/files/{name}", download),
        Route("/m/{month}/pdf/{name}", pdf),
        Route("/jobs/{job}", job_status),
        Route("/forms", forms_page),
        Route("/forms", forms_make, methods=["POST"]),
        Route("/forms/{month}.zip", forms_zip),
        Route("/sign", sign_page),
        Route("/sign", sign_post, methods=["POST"]),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # (no icon: no 404 in every page's log)
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, settings=settings, page=page)],
                    exception_handlers={HTTPException: not_found, Exception: crashed})
    app.state.jobs = jobs
    app.state.settings = settings
    return app


def _limits() -> dict:
    from kaohe_excel.flows.upload import MAX_FILE_BYTES, MAX_FILES

    return {"files": MAX_FILES, "file_mb": MAX_FILE_BYTES // 1048576, "request_mb": MAX_REQUEST_BYTES // 1048576}


async def _copy_upload(f, out) -> None:
    while chunk := await f.read(1 << 20):
        out.write(chunk)


async def _threaded(fn, *args):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


def _log(exc: BaseException, heading: str) -> str:
    from kaohe_excel.fsutil import write_crash_log

    return write_crash_log(exc, heading)


def _attachment(name: str) -> dict:
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "-_." else "_" for ch in name)
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{urllib.parse.quote(name)}"}


def _file_response(path: Path) -> Response:
    from starlette.responses import FileResponse

    media = {".pdf": "application/pdf",
             ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(
        path.suffix.lower(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    inline = path.suffix.lower() == ".pdf"
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{urllib.parse.quote(path.name)}"} if inline \
        else _attachment(path.name)
    return FileResponse(path, media_type=media, headers=headers)


__all__ = ["create_app"]
