"""Checks made before a workbook is parsed, so a broken or hostile file is named
instead of being expanded in memory. (Issue 6 deepens these.)"""

from __future__ import annotations

from pathlib import Path

from kaohe_excel.problems import ERROR, InputError, Problem


def check_file(path: Path) -> None:
    from kaohe_excel.read.grid import sniff

    def fail(msg: str) -> InputError:
        return InputError(Problem(path.name, None, None, ERROR, msg))

    if not path.exists():
        raise fail("文件不存在")
    kind = sniff(path)
    if kind == "empty":
        raise fail("文件是空的（0 字节），请重新报送")
    if kind == "text":
        raise fail("该文件不是 Excel 工作簿（内容是文本，可能是改了扩展名的 CSV 或网页），请另存为 .xlsx 后重新报送")
    if kind == "unknown":
        raise fail("该文件不是 Excel 工作簿（无法识别的文件格式），请另存为 .xlsx 后重新报送")
