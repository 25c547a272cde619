"""「生成报表」 in a background thread: the same job as `kaohe run`, its progress visible.

The thread calls flows.run.run_workspace with a progress callback; the page polls
/jobs/<id>. run_workspace takes the workspace lock itself, so a run from the page and one
from the command line (or a second press) never interleave: the later one gets the CLI's
Chinese 'busy' message. An unexpected error is logged like the CLI's crash log and shown
as one Chinese sentence.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

# the steps run_workspace announces: reading, assessing, then one per report
_STEPS = 2 + 6


@dataclass
class Job:
    id: str
    month: str
    state: str = "running"  # running | done | failed
    steps: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the lines `kaohe run` prints
    written: list[str] = field(default_factory=list)  # file names in output/<month>/
    error: str = ""
    problems: int = 0
    started: float = field(default_factory=time.time)

    def snapshot(self) -> "Job":
        """A copy the run's thread no longer changes (a page is made from one moment)."""
        return replace(self, steps=list(self.steps), summary=list(self.summary),
                                   written=list(self.written))

    def to_json(self) -> dict:
        done = len(self.steps) if self.state == "running" else _STEPS
        return {"id": self.id, "month": self.month, "state": self.state, "step": self.steps[-1] if self.steps else "",
                "percent": min(100, round(100 * done / _STEPS)), "summary": self.summary, "written": self.written,
                "error": self.error}


class Jobs:
    def __init__(self, workspace: Path):
        self.workspace = Path(workspace)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self, month: str) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values() if j.month == month and j.state == "running"), None)

    def start(self, month: str) -> Job:
        job = Job(secrets.token_hex(8), month)
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job,), name=f"kaohe-run-{month}", daemon=True).start()
        return job

    def _run(self, job: Job) -> None:
        from kaohe_excel.flows.run import run_workspace, summary_text
        from kaohe_excel.fsutil import write_crash_log

        try:
            summary = run_workspace(self.workspace, job.month, progress=job.steps.append)
            if summary.fatal:
                job.error = summary.fatal
                job.state = "failed"
                return
            # the lines `kaohe run` prints, the paths written from the workspace (the page's own folder)
            prefix = str(self.workspace) + os.sep
            job.summary = [line.replace(prefix, "", 1) for line in summary_text(summary).splitlines()]
            job.written = [Path(p).name for p in summary.written]
            job.problems = len(summary.problems)
            job.state = "done"
        except Exception as exc:  # noqa: BLE001 - never a traceback on the page
            log = write_crash_log(exc, f"kaohe serve: 生成报表 {job.month}")
            job.error = (f"kaohe 遇到意外错误（{type(exc).__name__}）。输入文件没有被修改。"
                         f"详细信息已写入 {log}，请把它发给维护人员。")
            job.state = "failed"


__all__ = ["Job", "Jobs"]
