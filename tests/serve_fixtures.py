"""Helpers for the `kaohe serve` tests: a demo workspace copy and the page served on a free port."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "input"


def demo_workspace(tmp: Path, *, empty_month: str | None = None) -> Path:
    """A copy of the repository's demo workspace; `empty_month`'s folder left empty."""
    ws = tmp / "工作区"
    shutil.copytree(DEMO, ws / "input")
    if empty_month:
        folder = ws / "input" / empty_month
        shutil.rmtree(folder)
        folder.mkdir()
    return ws


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(workspace: Path, **settings_kw):
    """The page for `workspace` on 127.0.0.1:<free port> in a thread: yields (base URL, settings)."""
    import uvicorn

    from kaohe_excel.web.app import create_app
    from kaohe_excel.web.security import Settings

    port = free_port()
    settings = Settings(port=port, **settings_kw)
    server = uvicorn.Server(uvicorn.Config(create_app(workspace, settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("the page did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", settings
    finally:
        server.should_exit = True
        thread.join(10)


def chromium_or_skip() -> str:
    """Debian's chromium; missing, the browser tests skip here but fail in CI (CI must not
    silently skip them: .ci/run installs it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: the browser tests of kaohe serve need it (.ci/run installs it with apt)")
    pytest.skip("chromium not installed (CI installs it; the browser tests of kaohe serve need it)")


def shots_dir(tmp: Path) -> Path:
    """Where screenshots go: $KAOHE_SHOTS when set (to look at them), else the test's tmp folder."""
    d = Path(os.environ.get("KAOHE_SHOTS") or tmp / "shots")
    d.mkdir(parents=True, exist_ok=True)
    return d
