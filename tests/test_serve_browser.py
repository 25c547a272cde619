"""Issue 15: `kaohe serve` driven in a real browser (Debian's chromium through Playwright).

A month's files are added through the page's file input, 「生成报表」 is pressed, the 一览表
is downloaded and compared cell by cell with what `kaohe run` writes for the same input
(a separate workspace, the command line in a subprocess); the missing department shows as
未报送; an upload named ../../x.xlsx lands inside the month folder under a clean name; a
form on a foreign origin is refused; every page is screenshotted."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.month_fixtures import take_back_a_report
from tests.serve_fixtures import DEMO, ROOT, chromium_or_skip, demo_workspace, free_port, served, shots_dir

MONTH = "2023-08"
playwright = pytest.importorskip("playwright.sync_api")


def _cells(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return [wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names]


@pytest.fixture()
def browser():
    exe = chromium_or_skip()
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def test_a_month_through_the_page_gives_the_reports_kaohe_run_writes(tmp_path, browser):
    ws = demo_workspace(tmp_path, empty_month=MONTH)
    month_files = sorted(p for p in (DEMO / MONTH).iterdir() if p.is_file())
    assert len(month_files) > 10
    # the same input, the command line's way
    cli_ws = tmp_path / "命令行"
    shutil.copytree(DEMO, cli_ws / "input")
    proc = subprocess.run([sys.executable, "-m", "kaohe_excel", "run", "--month", MONTH, "--workspace", str(cli_ws)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    cli_overview = next((cli_ws / "output" / MONTH).glob("*一览表*.xlsx"))

    shots = shots_dir(tmp_path)
    with served(ws) as (base, _settings):
        page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        page.goto(base + "/")
        assert "2023年8月" in page.inner_text("table.months")
        page.screenshot(path=str(shots / "01-首页.png"), full_page=True)

        page.goto(f"{base}/m/{MONTH}")
        assert "这个月份文件夹里还没有文件" in page.inner_text("#files-read")
        page.set_input_files("#files", [str(p) for p in month_files])
        page.click("#upload-btn")
        page.wait_for_selector(".msg.good")
        saved = {p.name for p in (ws / "input" / MONTH).iterdir()}
        assert saved == {p.name for p in month_files}
        for p in month_files:  # saved as they came
            assert (ws / "input" / MONTH / p.name).read_bytes() == p.read_bytes()
        # what was read from each file, with its problems by sheet and cell
        files = page.inner_text("#files-read")
        assert "8月份招商服务中心月报.xlsx" in files and "单元格 G6" in files and "#DIV/0!" in files
        # the department that sent nothing: 未报送
        status = page.inner_text("#status")
        assert "未报送" in status and "水利局" in status
        row = page.locator("#status-table tr", has_text="水利局")
        assert row.locator("td.st").text_content().strip() == "未报送"  # in the closed 各单位明细 too
        page.screenshot(path=str(shots / "02-月份-生成前.png"), full_page=True)

        page.click("#run-btn")
        page.wait_for_selector("#job-done, #job-error", timeout=180_000)
        assert page.locator("#job-error").count() == 0, page.inner_text("#job")
        summary = page.inner_text("#job-done")
        assert "报表已生成" in summary and "未报送：水利局" in summary
        page.screenshot(path=str(shots / "03-月份-生成后.png"), full_page=True)
        page.locator("#run").screenshot(path=str(shots / "03b-生成结果.png"))

        link = page.locator("#outputs tr", has_text="一览表").locator("a", has_text="Excel")
        with page.expect_download() as dl:
            link.click()
        got = tmp_path / "下载的一览表.xlsx"
        dl.value.save_as(got)
        assert dl.value.suggested_filename == cli_overview.name
        # the downloaded 一览表 holds exactly what `kaohe run` writes for the same input
        assert _cells(got) == _cells(cli_overview)

        # the 一览表 on the page: the written cells, coloured as Excel colours them
        table = page.locator("#overview table.sheet")
        shown = [[c.strip() for c in r] for r in table.locator("tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText))")]
        written = _cells(got)[0]
        texts = [[("" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))).strip()
                  for v in row] for row in written]
        assert [[t for t in r if t] for r in shown] == [[t for t in r if t] for r in texts]
        red = table.locator("td", has_text="红").first
        assert red.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(255, 199, 206)"
        green = table.locator("td", has_text="绿").first
        assert green.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(198, 239, 206)"
        page.locator("#overview").screenshot(path=str(shots / "04-一览表.png"))
        page.goto(f"{base}/m/{MONTH}/print")
        page.screenshot(path=str(shots / "05-打印.png"), full_page=True)

        # forms: next month's as one zip, with the deadline
        page.goto(base + "/forms")
        assert "2023年10月6日" in page.inner_text("main")
        page.click("#forms-btn")
        page.wait_for_selector("#forms-zip")
        with page.expect_download() as dl:
            page.click("#forms-zip")
        import zipfile

        zpath = tmp_path / "填报表.zip"
        dl.value.save_as(zpath)
        names = zipfile.ZipFile(zpath).namelist()
        written_forms = sorted(p.name for p in (ws / "output" / "填报表" / "2023-09").glob("*.xlsx"))
        assert sorted(n.split("/")[-1] for n in names) == written_forms and len(written_forms) > 10
        page.screenshot(path=str(shots / "06-填报表.png"), full_page=True)

        # sign-off: the same rules as kaohe sign
        page.goto(base + "/sign")
        page.select_option("#report", label=cli_overview.name)
        page.fill("#reviewer", "张三")
        page.fill("#issuer", "李四")
        page.fill("#date", "2023-09-31")
        page.click("#sign-btn")
        assert "不存在" in page.inner_text(".msg.bad")  # no 31 September
        page.select_option("#report", label=cli_overview.name)
        page.fill("#reviewer", "张三")
        page.fill("#issuer", "李四")
        page.fill("#date", "2023-09-06")
        page.click("#sign-btn")
        assert "已登记签发" in page.inner_text(".msg.good")
        from kaohe_excel.write.signoff import read_registry

        entry = read_registry(ws / "output" / MONTH)[cli_overview.name][0]
        assert (entry["审核"], entry["签发"], entry["日期"]) == ("张三", "李四", "2023-09-06")
        page.screenshot(path=str(shots / "07-签发.png"), full_page=True)
        # signed, then the figures change: a second run writes 第2版 beside it and the page shows it
        take_back_a_report(ws / "input" / MONTH)
        page.goto(f"{base}/m/{MONTH}")
        page.click("#run-btn")
        page.wait_for_selector("#job-done", timeout=180_000)
        assert any("第2版" in n for n in (p.name for p in (ws / "output" / MONTH).iterdir()))
        assert "第2版" in page.inner_text("#overview")


def test_an_upload_named_with_a_path_lands_in_the_month_folder(tmp_path, browser):
    ws = demo_workspace(tmp_path)
    data = (DEMO / MONTH / "叶县司法局2023年8月指标进展情况.xlsx").read_bytes()
    before = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    with served(ws) as (base, _):
        page = browser.new_page()
        page.goto(f"{base}/m/{MONTH}")
        page.set_input_files("#files", [{"name": "../../x.xlsx", "mimeType": "application/octet-stream", "buffer": data}])
        page.click("#upload-btn")
        page.wait_for_selector(".msg.good")
    after = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")} - before
    new_inputs = [p for p in after if p.parts[:2] == ("工作区", "input")]
    assert new_inputs == [Path("工作区", "input", MONTH, "x.xlsx")]
    assert (ws / "input" / MONTH / "x.xlsx").read_bytes() == data
    assert not (tmp_path / "x.xlsx").exists() and not (ws / "x.xlsx").exists()


class _Evil(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self):  # noqa: N802 - http.server's name
        body = (f'<html><body><form id="f" method="post" action="{self.target}/months">'
                f'<input name="month" value="2023-12"><input name="csrf" value="guess"></form>'
                '<script>document.getElementById("f").submit()</script></body></html>').encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_form_on_a_foreign_origin_is_refused(tmp_path, browser):
    ws = demo_workspace(tmp_path)
    with served(ws) as (base, _):
        _Evil.target = base
        evil = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Evil)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        try:
            page = browser.new_page()
            page.goto(f"http://localhost:{evil.server_address[1]}/")  # another origin
            page.wait_for_url(base + "/months")
            assert "请求被拒绝" in page.inner_text("body")
        finally:
            evil.shutdown()
    assert not (ws / "input" / "2023-12").exists()


def test_on_a_phones_width_the_bar_wraps_and_nothing_overlaps(tmp_path, browser):
    """390 px wide: the links and the workspace line sit one above the other inside the bar, and
    the page below starts under it (helper-36: 审核签发 dropped below the bar, white on white);
    no console error either (the favicon)."""
    ws = demo_workspace(tmp_path)
    with served(ws) as (base, _settings):
        page = browser.new_page(viewport={"width": 390, "height": 800})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + f"/m/{MONTH}")
        page.screenshot(path=str(shots_dir(tmp_path) / "narrow.png"))
        bar = page.locator("header.top").bounding_box()
        sign = page.locator("header.top nav a", has_text="审核签发").bounding_box()
        where = page.locator("header.top .ws").bounding_box()
        main = page.locator("main").bounding_box()
        assert sign["y"] + sign["height"] <= bar["y"] + bar["height"] + 0.5, (sign, bar)
        assert where["y"] >= sign["y"] + sign["height"] - 0.5 and where["y"] + where["height"] <= bar["y"] + bar["height"] + 0.5
        assert main["y"] >= bar["y"] + bar["height"] - 0.5
        assert not errors, errors
