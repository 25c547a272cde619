"""`kaohe serve`: the page on this machine, opened in the clerk's own browser."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path


class ServeError(Exception):
    """str() is the Chinese reason the page could not start."""


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ServeError(f"端口 {port} 已被占用或不能使用（{exc.strerror or exc}）：可能已经有一个 kaohe serve 在运行"
                             f"（直接在浏览器打开 http://127.0.0.1:{port}/），或换一个端口：kaohe serve --port 8766") from None


def serve(workspace: Path, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True,
          say=print) -> None:
    import python_multipart  # noqa: F401 - starlette parses uploads with it: missing, say so now, not at the first upload
    import uvicorn

    from kaohe_excel.web.app import create_app
    from kaohe_excel.web.security import Settings, is_loopback

    workspace = Path(workspace)
    if not workspace.is_dir():
        raise ServeError(f"工作区文件夹「{workspace.resolve()}」不存在；请检查 --workspace 后面的路径")
    _check_port(host, port)
    settings = Settings(host=host, port=port)
    shown = "127.0.0.1" if is_loopback(host) else (host if host not in ("0.0.0.0", "::") else socket.gethostname())
    url = f"http://{shown}:{port}/" + (f"?token={settings.token}" if settings.token else "")
    if settings.token:
        settings.allowed_hosts = set()  # the token guards every request; any name of this machine works
    say(f"考核报表页面已启动：{url}")
    say(f"工作区：{workspace.resolve()}")
    if settings.token:
        say("注意：页面对本机以外开放，只有拿到上面完整网址（含 token）的人才能打开；不用时请关闭。")
    say("不要关闭这个窗口；用完后按 Ctrl-C 停止。")
    if open_browser:
        threading.Timer(0.8, lambda: webbrowser.open(url)).start()
    config = uvicorn.Config(create_app(workspace, settings), host=host, port=port, log_level="warning",
                            access_log=False, server_header=False, timeout_graceful_shutdown=3)
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:  # Ctrl-C is how the page is stopped: uvicorn has shut down cleanly, then re-raised it
        pass
    say("考核报表页面已停止。")


__all__ = ["serve", "ServeError"]
