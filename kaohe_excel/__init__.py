"""kaohe-excel: 考核 Excel 报表生成器.

The flow is read -> assess -> write (see DESIGN.md); `cli` wires them together.
Keep this module import-light: `kaohe --help` must start fast.
"""

__version__ = "0.1.0"
