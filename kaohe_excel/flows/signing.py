"""`kaohe sign` and the page's sign-off: the checks before a report is recorded as signed.

    sign_output(file, reviewer, issuer, date) -> entry     SignRefused (Chinese) when not

One set of rules for the command line and the page: only an .xlsx (or the .docx bulletin) under a workspace's
output/ (never input/), a regular file, recorded under the workspace lock (never while a
run is writing), names not empty and a date that exists (write/signoff.sign).
"""

from __future__ import annotations

from pathlib import Path


class SignRefused(Exception):
    """Not recorded; str() is the Chinese reason."""


def workspace_of_output(path: Path) -> Path | None:
    """The workspace holding `path` under its output/ (the last output/ in the path), else None."""
    path = Path(path).resolve()
    outs = [i for i, p in enumerate(path.parts[:-1]) if p == "output"]
    if not outs or "input" in path.parts[outs[-1]:-1]:
        return None
    return Path(*path.parts[:outs[-1]])


def sign_output(file: Path, reviewer: str, issuer: str, date: str | None = None) -> dict:
    from kaohe_excel.fsutil import WorkspaceBusy, cannot_write_message, workspace_lock
    from kaohe_excel.write.signoff import RecordError, sign

    path = Path(file).resolve()
    workspace = workspace_of_output(path)
    if workspace is None or path.suffix.lower() not in (".xlsx", ".docx"):
        raise SignRefused(f"只能登记 output/ 中生成的报表（kaohe run 写出的 .xlsx 报表或 .docx 通报），「{file}」不是")
    if not path.is_file():  # a FIFO or device named .xlsx would block the reading
        raise SignRefused(f"「{file}」不是普通文件（可能是设备、管道或文件夹），不能登记签发")
    try:
        with workspace_lock(workspace):  # never while a run is writing (or another sign is)
            return sign(path, reviewer, issuer, date)
    except (ValueError, WorkspaceBusy) as exc:
        raise SignRefused(str(exc)) from None
    except RecordError as exc:
        raise SignRefused(exc.problem.message) from None
    except OSError as exc:  # the month's folder read-only, a full disk
        raise SignRefused(cannot_write_message(exc)) from None


__all__ = ["SignRefused", "sign_output", "workspace_of_output"]
