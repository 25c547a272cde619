"""The whole suite keeps compiled template code in one folder of its own (write/_tpl_codecache),
never in the tester's ~/.cache: a run of the suite starts cold, and the cases after the first
render each template from kept code, so both ways are exercised."""

from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="kaohe-test-code-cache-")
os.environ["KAOHE_CACHE_DIR"] = _CACHE  # before any kaohe_excel import; CLI subprocesses inherit it


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
