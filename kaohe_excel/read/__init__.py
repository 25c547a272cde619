"""read: input files -> model objects and problems. It never writes a file.

One reader interface (grid.py) over one small module per engine, in layers; a
module imports only from its own layer or below, never upward, not even inside a
function (function-level imports are for lazy third-party libraries only):

  engines     safety            checks before any parse (what the bytes are, bombs)
              engine_base       what the engines share: caps, CellFlags, failure words
              engine_calamine   python-calamine: .xlsx/.xlsm and most .xls, + .xlsx flags
              engine_xlrd       xlrd: .xls calamine would garble, + .xls flags
  grid        grid              Grid, read_grids, sheet_cell_flags (the interface)
  tables      tables            finding a table in a sheet, column roles
              values            pure text -> value parsing (values, ranks, dates; the
                                text rules under it are kaohe_excel/text.py, shared)
  matching    columns           the columns of a 附件2-layout table (resolve_columns)
              matching          which indicator a row means (IndicatorMatcher)
  readers     system            the indicator system (任务分工表 / 一览表)
              submission        a department's monthly sheet (月报)
              peers             the peer counties' data (六县市数据)
  top         workbook          a workbook as the clerk sees it (hidden sheets), and
                                read_system / read_submissions / read_peers by path
              month_files       a workspace month's files found and told apart (system,
                                peer data, departments' sheets, units' own reports)

Nothing is imported here: import the module you need.
"""
