"""Issue 15, point 3: the page's safety rules over plain HTTP (starlette's TestClient).

Loopback Host only (no DNS rebinding), a token for another --host, Origin and CSRF on every
POST, bounded uploads, clean names that never overwrite, content checked by the CLI's own
reader, downloads only from output/, the workspace lock, no traceback on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.month_fixtures import take_back_a_report
from tests.serve_fixtures import DEMO, demo_workspace

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx.*")
MONTH = "2023-08"
SAMPLE = DEMO / MONTH / "叶县司法局2023年8月指标进展情况.xlsx"


def _client(ws: Path, **kw):
    from starlette.testclient import TestClient

    from kaohe_excel.web.app import create_app
    from kaohe_excel.web.security import Settings

    settings = Settings(port=8765, **kw)
    if settings.token is None:
        settings.allowed_hosts.add("testserver")  # TestClient's Host: stands for 127.0.0.1:<port>
    return TestClient(create_app(ws, settings), raise_server_exceptions=False), settings


ORIGIN = {"origin": "http://testserver"}


@pytest.fixture()
def ws(tmp_path):
    return demo_workspace(tmp_path)


def _upload(c, settings, *files, month=MONTH):
    return c.post(f"/m/{month}/upload", files=[("files", f) for f in files], data={"csrf": settings.csrf},
                  headers={**ORIGIN, "accept": "application/json"})


def test_a_post_from_a_foreign_origin_or_without_one_is_refused(ws):
    c, s = _client(ws)
    for headers in ({"origin": "http://evil.example"}, {"origin": "null"}, {}):
        r = c.post("/months", data={"month": "2023-09", "csrf": s.csrf}, headers=headers)
        assert r.status_code == 403 and "请求被拒绝" in r.text
    r = c.post(f"/m/{MONTH}/upload", files=[("files", ("a.xlsx", SAMPLE.read_bytes()))], data={"csrf": s.csrf},
               headers={"origin": "http://127.0.0.1:9999"})
    assert r.status_code == 403
    assert not (ws / "input" / "2023-09").exists() and not (ws / "input" / MONTH / "a.xlsx").exists()
    # the same request from the page itself goes through
    r = c.post("/months", data={"month": "2023-09", "csrf": s.csrf}, headers=ORIGIN, follow_redirects=False)
    assert r.status_code == 303 and (ws / "input" / "2023-09").is_dir()


def test_a_post_without_the_pages_csrf_token_is_refused(ws):
    c, s = _client(ws)
    for data in ({"month": "2023-10"}, {"month": "2023-10", "csrf": "x" + s.csrf}):
        r = c.post("/months", data=data, headers=ORIGIN)
        assert r.status_code == 403 and "安全校验未通过" in r.text
    r = c.post(f"/m/{MONTH}/run", data={}, headers=ORIGIN)
    assert r.status_code == 403
    assert not (ws / "input" / "2023-10").exists() and not (ws / "output").exists()


def test_only_a_loopback_host_header_is_answered(ws):
    c, _ = _client(ws)
    r = c.get("/", headers={"host": "rebind.attacker.example:8765"})
    assert r.status_code == 400 and "127.0.0.1:8765" in r.text
    assert c.get("/", headers={"host": "127.0.0.1:8765"}).status_code == 200
    assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_another_host_needs_the_printed_token(ws):
    c, s = _client(ws, host="0.0.0.0")
    assert s.token and len(s.token) >= 20
    r = c.get("/")
    assert r.status_code == 403 and "token" in r.text
    assert c.get("/?token=wrong").status_code == 403
    r = c.get(f"/?token={s.token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    assert c.get("/").status_code == 200  # the cookie carries it from now on


def test_upload_names_are_cleaned_and_never_overwrite(ws):
    c, s = _client(ws)
    data = SAMPLE.read_bytes()
    folder = ws / "input" / MONTH
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    r = _upload(c, s, ("../../x.xlsx", data), ("..\\..\\CON.xlsx", data), ("a:b*?.xlsx", data))
    names = [x["name"] for x in r.json()["saved"]]
    assert names == ["x.xlsx", "上传文件_CON.xlsx", "a_b__.xlsx"]
    assert not (ws / "x.xlsx").exists() and not (ws / "input" / "x.xlsx").exists()
    # a name that exists: both kept, and said so
    existing = SAMPLE.name
    r = _upload(c, s, (existing, b"" + data), ("x.xlsx", data))
    saved = r.json()["saved"]
    assert [x["name"] for x in saved] == [SAMPLE.stem + "（2）.xlsx", "x（2）.xlsx"]
    assert "两份都保留" in saved[0]["note"]
    for name, content in before.items():  # nothing that was there changed
        assert (folder / name).read_bytes() == content


def test_a_long_chinese_name_is_shortened_and_the_batch_saved_whole(ws):
    """A 102-character Chinese name (306 bytes in UTF-8: Windows keeps it, Linux refuses over
    255) between two others: shortened to fit, and all three saved (helper-36: HTTP 500 and the
    third file lost)."""
    c, s = _client(ws)
    data = SAMPLE.read_bytes()
    long = "叶县" + "发改委关于报送二〇二三年八月高质量发展综合绩效考核指标完成情况的函" * 3 + ".xlsx"
    assert len(long.encode("utf-8")) > 255
    r = _upload(c, s, ("甲.xlsx", data), (long, data), ("乙.xlsx", data))
    assert r.status_code == 200, r.text
    names = [x["name"] for x in r.json()["saved"]]
    assert len(names) == 3 and names[0] == "甲.xlsx" and names[2] == "乙.xlsx", names
    assert names[1].endswith(".xlsx") and len(names[1].encode("utf-8")) <= 255 and long.startswith(names[1][:-5])
    assert all((ws / "input" / MONTH / n).is_file() for n in names)


def test_uploads_are_checked_by_content_with_the_readers_message(ws):
    c, s = _client(ws)
    folder = ws / "input" / MONTH
    r = _upload(c, s, ("月报.xlsx", b"\xd0\xcf\x11\xe0 not really"), ("说明.txt", "请查收".encode("utf-8")),
                ("空.xlsx", b""))
    j = r.json()
    assert j["saved"] == [] and len(j["refused"]) == 3
    assert all("「" in m for m in j["refused"])
    assert "空文件" in j["refused"][2]
    assert not any((folder / n).exists() for n in ("月报.xlsx", "说明.txt", "空.xlsx"))
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no staged leftovers


def test_upload_size_and_count_are_bounded(ws, monkeypatch):
    import kaohe_excel.flows.upload as U
    import kaohe_excel.web.security as S

    c, s = _client(ws)
    monkeypatch.setattr(U, "MAX_FILE_BYTES", 1000)
    r = _upload(c, s, ("big.xlsx", SAMPLE.read_bytes()))
    assert r.json()["saved"] == [] and "上限" in r.json()["refused"][0]
    monkeypatch.setattr(U, "MAX_FILES", 2)
    r = _upload(c, s, *[(f"{i}.xlsx", b"x") for i in range(3)])
    assert "一次最多上传 2 个文件" in r.json()["error"]
    monkeypatch.setattr(S, "MAX_REQUEST_BYTES", 1000)
    r = c.post(f"/m/{MONTH}/upload", files=[("files", ("a.xlsx", SAMPLE.read_bytes()))], data={"csrf": s.csrf},
               headers=ORIGIN)
    assert r.status_code == 413 and "分几次上传" in r.text


def test_downloads_come_only_from_the_months_output(ws):
    c, s = _client(ws)
    (ws / "output" / MONTH).mkdir(parents=True)
    (ws / "output" / MONTH / "报表.xlsx").write_bytes(b"PK")
    assert c.get(f"/m/{MONTH}/files/报表.xlsx").status_code == 200
    for bad in (f"/m/{MONTH}/files/..%2F..%2Finput%2F{MONTH}%2F{SAMPLE.name}", f"/m/{MONTH}/files/%2E%2E",
                "/m/../files/报表.xlsx", "/m/2023-8/files/报表.xlsx", f"/m/{MONTH}/files/.kaohe.lock"):
        assert c.get(bad).status_code == 404, bad


def test_a_busy_workspace_gets_the_clis_message(ws):
    from kaohe_excel.fsutil import workspace_lock

    c, s = _client(ws)
    with workspace_lock(ws):
        r = _upload(c, s, ("x.xlsx", SAMPLE.read_bytes()))
        assert "另一个 kaohe 正在处理该工作区" in r.json()["error"]
        r = c.post(f"/m/{MONTH}/run", data={"csrf": s.csrf}, headers=ORIGIN, follow_redirects=False)
        job = r.headers["location"].split("job=")[1]
        jobs = c.app.state.jobs
        for _ in range(200):
            if jobs.get(job).state != "running":
                break
            import time

            time.sleep(0.05)
        assert jobs.get(job).state == "failed" and "另一个 kaohe 正在处理该工作区" in jobs.get(job).error
    assert not (ws / "input" / MONTH / "x.xlsx").exists()
    assert not list((ws / "output").glob(f"{MONTH}/*.xlsx"))


def test_an_unexpected_error_is_a_chinese_page_and_a_log_never_a_traceback(ws, monkeypatch):
    import kaohe_excel.flows.desk as D

    def boom(*_a):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(D, "month_view", boom)
    c, _ = _client(ws)
    r = c.get(f"/m/{MONTH}")
    assert r.status_code == 500
    assert "意外错误" in r.text and "Traceback" not in r.text and "secret internals" not in r.text
    log = r.text.split("详细信息已写入 ")[1].split("，")[0]
    assert "secret internals" in Path(log).read_text(encoding="utf-8")
    Path(log).unlink()


def test_sign_from_the_page_keeps_the_rules_of_kaohe_sign(ws):
    c, s = _client(ws)
    out = ws / "output" / MONTH
    out.mkdir(parents=True)
    (out / "报表.xlsx").write_bytes(SAMPLE.read_bytes())
    r = c.post("/sign", data={"csrf": s.csrf, "report": f"{MONTH}/报表.xlsx", "reviewer": " ", "issuer": "乙"},
               headers=ORIGIN)
    assert "审核人和签发人都要填写姓名" in r.text and "--reviewer" not in r.text
    # refused: what was typed is back in the form, the report still chosen (helper-36)
    assert 'value="乙"' in r.text and f'value="{MONTH}/报表.xlsx" selected' in r.text
    r = c.post("/sign", data={"csrf": s.csrf, "report": f"{MONTH}/../../input/{MONTH}/{SAMPLE.name}",
                              "reviewer": "甲", "issuer": "乙"}, headers=ORIGIN)
    assert "请先选择要签发的报表" in r.text
    assert not (ws / "input" / MONTH / "签发记录.json").exists()
    r = c.post("/sign", data={"csrf": s.csrf, "report": f"{MONTH}/报表.xlsx", "reviewer": "甲", "issuer": "乙",
                              "date": "2023年9月6日"}, headers=ORIGIN)
    assert "已登记签发" in r.text
    from kaohe_excel.write.signoff import read_registry

    assert read_registry(out)["报表.xlsx"][0]["日期"] == "2023-09-06"


def test_the_page_shows_the_newest_version_whatever_the_file_times(ws):
    """A signed 一览表 and the 第2版 a later run wrote beside it: the page shows the 第2版 even when
    the signed file's time is the later one (signing rewrites it; a clock stepped back at boot
    once put it after the 第2版 in CI), and still after the 第2版 is signed in turn."""
    import os

    from kaohe_excel.flows.desk import overview_file
    from kaohe_excel.flows.run import run_workspace
    from kaohe_excel.write.signoff import sign

    first = run_workspace(ws, MONTH)
    signed = next(p for p in first.written if "一览表" in p.name)
    sign(signed, "甲", "乙", "2023-09-06")
    take_back_a_report(ws / "input" / MONTH)  # the figures change: a 第2版 beside the signed one
    second = run_workspace(ws, MONTH)
    v2 = next(p for p in second.written if "一览表" in p.name)
    assert v2.name == signed.stem + "（第2版）.xlsx"
    later = v2.stat().st_mtime_ns + 5_000_000_000
    os.utime(signed, ns=(later, later))  # the signed file's time after the 第2版's
    assert overview_file(ws, MONTH) == v2
    c, _ = _client(ws)
    assert "第2版" in c.get(f"/m/{MONTH}").text.split('id="overview"', 1)[1]
    sign(v2, "甲", "乙", "2023-09-07")  # signed in turn, no run since: still the newest there is
    assert overview_file(ws, MONTH) == v2


def test_a_job_that_ends_while_the_page_is_made_shows_as_running_not_done_beside_old_files(ws, monkeypatch):
    """The page reads the month's files, then shows the job: a run that finished in between was
    shown as done beside the 一览表 of before it (a browser test saw the signed file named after
    a second run, not its 第2版). The job is taken as it stood before the files were read."""
    from kaohe_excel.flows import desk
    from kaohe_excel.web.jobs import Job

    c, _ = _client(ws)
    jobs = c.app.state.jobs
    job = Job("f" * 16, MONTH)  # a run under way
    jobs._jobs[job.id] = job
    real_view = desk.month_view

    def view_while_the_run_ends(*args, **kw):
        got = real_view(*args, **kw)
        job.summary, job.state = ["叶县 2023年8月 报表已生成："], "done"  # the thread finishes now
        return got

    monkeypatch.setattr(desk, "month_view", view_while_the_run_ends)
    page = c.get(f"/m/{MONTH}?job={job.id}").text
    assert 'id="job-step"' in page and 'id="job-done"' not in page  # still running: the page polls again
    monkeypatch.setattr(desk, "month_view", real_view)
    page = c.get(f"/m/{MONTH}?job={job.id}").text  # the reload the poll makes
    assert 'id="job-done"' in page and "报表已生成" in page


def test_new_month_from_the_page(ws):
    c, s = _client(ws)
    r = c.post("/months", data={"month": "2023年9月", "csrf": s.csrf}, headers=ORIGIN)
    assert "已新建 input/2023-09/" in r.text and (ws / "input" / "2023-09").is_dir()
    r = c.post("/months", data={"month": "../../etc", "csrf": s.csrf}, headers=ORIGIN)
    assert "无法识别" in r.text
    assert sorted(p.name for p in (ws / "input").iterdir() if p.is_dir()) == ["2023-07", "2023-08", "2023-09"]


def test_home_shows_the_figures_kaohe_run_prints(ws):
    """报送 x/y and the red/yellow/green counts on the home page are assess's, as run's summary."""
    from kaohe_excel.flows.run import run_workspace

    c, _ = _client(ws)
    html = c.get("/").text
    summary = run_workspace(ws, MONTH)
    row = html.split('href="/m/2023-08"><b>2023年8月</b></a></td>')[1].split("</tr>")[0]
    cells = [x.split(">", 1)[1].split("<")[0].strip() for x in row.split("<td")[1:]]
    owed = len(summary.sent) + len(summary.not_sent)
    assert cells[0] == f"{len(summary.sent)}/{owed}"
    assert cells[2:5] == [str(summary.colours["red"]), str(summary.colours["yellow"]), str(summary.colours["green"])]


def test_kaohe_serve_starts_on_loopback_and_ctrl_c_stops_it(ws):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.serve_fixtures import ROOT, free_port

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "kaohe_excel", "serve", "--workspace", str(ws), "--port", str(port),
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        first = proc.stdout.readline().decode("utf-8")
        assert f"http://127.0.0.1:{port}/" in first and "token" not in first
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
                    assert "各月情况" in r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the page did not answer")
        # bound to loopback only: the machine's other addresses do not answer
        other = socket.gethostbyname(socket.gethostname())
        if not other.startswith("127."):
            with pytest.raises(OSError):
                socket.create_connection((other, port), timeout=2).close()
        # a second serve on the same port says so in Chinese
        busy = subprocess.run([sys.executable, "-m", "kaohe_excel", "serve", "--workspace", str(ws), "--port", str(port),
                               "--no-browser"], capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                              timeout=60)
        assert busy.returncode == 2 and f"端口 {port} 已被占用" in busy.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode("utf-8")[-2000:]
    assert "已停止" in out.decode("utf-8") and "Traceback" not in err.decode("utf-8")


def test_the_bulletin_is_listed_downloaded_as_word_and_signed_from_the_page(ws):
    """The run's Word bulletin is a report like the workbooks: on the month page, downloadable
    (as a Word file), signable; other files of the folder stay out of reach."""
    c, s = _client(ws)
    out = ws / "output" / MONTH
    out.mkdir(parents=True)
    (out / "叶县2023年8月份综合绩效考核情况通报（稿）.docx").write_bytes(b"PK\x03\x04 not a real document")
    (out / "说明.txt").write_text("不是报表", encoding="utf-8")
    page = c.get(f"/m/{MONTH}").text
    assert "综合绩效考核情况通报（稿）.docx" in page and ">Word</a>" in page and "说明.txt" not in page
    r = c.get(f"/m/{MONTH}/files/叶县2023年8月份综合绩效考核情况通报（稿）.docx")
    assert r.status_code == 200 and "wordprocessingml" in r.headers["content-type"]
    assert c.get(f"/m/{MONTH}/files/说明.txt").status_code == 404
    r = c.post("/sign", data={"csrf": s.csrf, "report": f"{MONTH}/叶县2023年8月份综合绩效考核情况通报（稿）.docx",
                              "reviewer": "甲", "issuer": "乙"}, headers=ORIGIN)
    assert "已登记签发" in r.text, r.text
    from kaohe_excel.write.signoff import read_registry

    assert read_registry(out)["叶县2023年8月份综合绩效考核情况通报（稿）.docx"][0]["签发"] == "乙"


def test_a_lock_file_upload_is_refused_with_why_and_a_forms_address_opened_is_said_in_chinese(ws):
    """~$月报.xlsx (Excel's lock file, here a real workbook under that name) was 已保存 and then
    never read; a form's address opened in the address bar said 'Method Not Allowed' (helper-36)."""
    c, s = _client(ws)
    r = _upload(c, s, ("~$叶县商务局8月月报.xlsx", SAMPLE.read_bytes()))
    j = r.json()
    assert j["saved"] == [] and "临时文件" in j["refused"][0] and "~$" in j["refused"][0], j
    assert not (ws / "input" / MONTH / "~$叶县商务局8月月报.xlsx").exists()
    page = c.get(f"/m/{MONTH}/upload")
    assert page.status_code == 405 and "不能直接打开" in page.text and "Method Not Allowed" not in page.text


def test_an_uploaded_name_loses_the_marks_that_turn_it_around():
    """A right-to-left override in a sent name (報表 then U+202E then 'xslx.exe' shows as ...exe.xlsx)
    and other invisible marks are not kept in the saved name (helper-36)."""
    from kaohe_excel.flows.upload import clean_name

    assert clean_name("报表\u202exslx.exe") == "报表xslx.exe"
    assert clean_name("\ufeff叶县\u200b发改委8月.xlsx") == "叶县发改委8月.xlsx"
