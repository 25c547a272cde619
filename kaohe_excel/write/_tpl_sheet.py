"""One template worksheet: its rows and cells cut out of the sheet XML, the row
directives (`{%row for ... %}` …) parsed into a small program, and the cell
templates compiled once per row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
from jinja2.parser import Parser

from kaohe_excel.write._tpl_package import attrs, esc, esc_attr, unesc
from kaohe_excel.write._tpl_sandbox import MAX_RANGE, NESTED_TOO_DEEP
from kaohe_excel.write._tpl_refs import col_to_num, num_to_col, parse_formula, parse_range, split_cell, translate


class TemplateError(Exception):
    """A template cannot be rendered; the message names file, sheet and cell in Chinese."""

    def __init__(self, file: str, sheet: str | None, cell: str | None, detail: str):
        self.file, self.sheet, self.cell, self.detail = file, sheet, cell, detail
        where = f"模板「{file}」"
        if sheet is not None:
            where += f"工作表「{sheet}」"
        if cell:
            where += f"{'' if cell.startswith(('页', '工作表', '条件格式', '数据有效性', '名称', '部件')) else '单元格 '}{cell}"
        super().__init__(f"{where}：{detail}")

    def __reduce__(self):  # raised in a worker process (write/reports.stage_reports), raised again here
        return type(self), (self.file, self.sheet, self.cell, self.detail)


_SYNTAX_ZH = [
    (r"^nesting too deep$", lambda m: "括号、过滤器或 {%row if %} 一层套一层，嵌套太深，请简化"),
    (r"^unexpected char '(.)'", lambda m: f"有不能识别的字符「{m.group(1)}」（{{{{ }}}} 和 {{% %}} 里的括号、引号、逗号请用英文半角）"),
    (r"^unexpected '(\}\}?|%\}|\)|\]|\})'", lambda m: f"多了一个「{m.group(1)}」，或它前面少了内容"),
    (r"^unexpected end of template", lambda m: "标记没有写完（缺少 }}、%}、endfor 或 endif）"),
    (r"^Unexpected end of template\. Jinja was looking for the following tags: (.*?)\.",
     lambda m: "缺少结束标记 " + " 或 ".join(re.findall(r"'(\w+)'", m.group(1)))),
    (r"^Encountered unknown tag '(\w+)'", lambda m: f"不认识的标记「{m.group(1)}」（可用 for / endfor / if / elif / else / endif / set）"),
    (r"^expected token '(?:end of print statement|\))', got '(.+?)'", lambda m: f"{{{{ }}}} 里的写法不对，在「{m.group(1)}」处应该结束（两项之间缺少运算符，或多了字）"),
    (r"^expected token '(.+?)', got '(.+?)'", lambda m: f"写法不对：在「{m.group(2)}」处应为「{m.group(1)}」"),
    (r"^expected name or number", lambda m: "缺少变量名或数字（如 {{ }} 里是空的，或点号后没有名字）"),
    (r"^Expected an expression, got 'end of print statement'", lambda m: "{{ }} 里是空的，请写上要填的内容，如 {{ county }}"),
    (r"^unexpected 'end of print statement'", lambda m: "{{ }} 里的算式没有写完（如末尾多了 +、-）"),
    (r"^tag name expected", lambda m: "{% %} 里缺少标记名（如 for、if）"),
    (r"^missing endfor|^missing endif", lambda m: "缺少 endfor 或 endif"),
    (r"^macro/call blocks are not allowed", lambda m: "单元格里不能定义 macro 或 call 块（模板是数据，不是程序）"),
    (r"^nested for loops are not allowed", lambda m: "单元格里的 for 循环不能嵌套；要逐行列出请用 {%row for %}"),
    (r"^(power|repetition|number|argument) too large",
     lambda m: "模板中的数字过大（乘方最多 64 次，一个单元格最多 32767 个字符），模板是数据，不能用来制造超大内容"),
]


def _syntax_zh(text: str) -> str:
    for pat, fn in _SYNTAX_ZH:
        m = re.search(pat, text)
        if m:
            return fn(m)
    return "模板写法有误"


def jinja_message(exc: BaseException) -> str:
    """A template error in a clerk's words; Jinja's own English only after 技术信息."""
    name = type(exc).__name__
    msg = str(exc) or name
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"模板语法错误：{_syntax_zh(exc.message or '')}；技术信息：{exc.message}"
    if isinstance(exc, jinja2.UndefinedError):
        m = re.search(r"has no attribute '([^']+)'", msg) or re.search(r"'([^']+)' is undefined", msg)
        what = f"「{m.group(1)}」" if m else ""
        return f"模板用到的{what}报表数据里没有（是否写错了名字？可用 kaohe template check 检查）；技术信息：{msg}"
    from jinja2.exceptions import SecurityError

    if isinstance(exc, SecurityError) and msg.startswith("模板"):  # one of our bounds (_tpl_sandbox)
        return msg + ("，已停止；请检查模板中的循环" if "秒" in msg else "，请改小")
    if isinstance(exc, SecurityError):  # the sandbox said no: a template is data, not a program
        return f"模板不允许这样写（不能访问内部属性或调用不安全的函数、不能修改报表数据）；技术信息：{msg}"
    if isinstance(exc, OverflowError) and "range" in msg.lower():  # (no class of its own for a range too big)
        return f"模板中的 range 太大（最多 {MAX_RANGE} 项）；技术信息：{msg}"
    if isinstance(exc, (ZeroDivisionError, TypeError, ValueError)):
        return f"计算出错（如除以零、文字和数字相加）；技术信息：{name}: {msg}"
    return f"计算出错；技术信息：{name}: {msg}"


ROW_RE = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
CELL_RE = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
F_RE = re.compile(r"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
V_RE = re.compile(r"<v>(.*?)</v>", re.S)
IS_RE = re.compile(r"<is>(.*?)</is>", re.S)
T_RE = re.compile(r"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
RPH_RE = re.compile(r"<rPh\b.*?</rPh>", re.S)
R_ATTR_RE = re.compile(r'\s+r="[^"]*"')

TAG_RE = re.compile(r"\{%-?\s*(row|sheet|cell)\s+(.*?)\s*-?%\}", re.S)
WHOLE_RE = re.compile(r"^\s*\{\{-?(.*?)-?\}\}\s*$", re.S)
FOR_RE = re.compile(r"^for\s+(.+?)\s+in\s+(.+)$", re.S)
# {%cell merge %}: equal values down a column merged; {%cell merge KEY %}: rows whose KEY is the same
# (and not empty) merged, the first row's value shown (a points cell shared by a group of rows: two
# adjacent items worth 2 each must not merge)
MERGE_RE = re.compile(r"\{%-?\s*(?:cell\s+)?merge(?:\s+((?:(?!%\}).)+?))?\s*-?%\}")
SET_RE = re.compile(r"^set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$", re.S)


def rich_text(xml: str) -> str:
    """The plain text of an <si> or <is> body (rich runs joined, phonetics dropped)."""
    if "<rPh" in xml:
        xml = RPH_RE.sub("", xml)
    return "".join(unesc(t) for t in T_RE.findall(xml) if t)


_FW = re.compile(r"[｛{][％%]|[％%][｝}]|[｛{][｛{]|[｝}][｝}]")


def fullwidth_braces(text: str) -> str:
    """A Chinese input method types ｛％ ％｝ ｛｛ ｝｝: read them as the ASCII delimiters."""
    return _FW.sub(lambda m: m.group(0).translate({0xFF5B: "{", 0xFF5D: "}", 0xFF05: "%"}), text)


def has_jinja(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


# what a formula of a report must never do when the report is opened: a DDE call (cmd|' /C …'!A0,
# cmd|calc!A1: `|` means nothing else in a formula), a function that reaches the network or runs
# code, a reference into another workbook by its path ('\\host\share\[a.xlsx]S'!A1; a workbook
# linked the Excel way is [1]S!A1, its externalLink part checked by _tpl_package), a HYPERLINK to
# anything but a web page, a mail address or a place in the report itself (file:, \\host)
_REACHES_OUT = re.compile(r"\b(WEBSERVICE|FILTERXML|CALL|REGISTER(?:\.ID)?|EXEC|RTD|IMAGE|DDE|DDEAUTO|EVALUATE|"
                          r"STOCKHISTORY)\s*\(", re.I)
_LITERAL = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
_HYPERLINK = re.compile(r"\bHYPERLINK\s*\(\s*(?:\x01(\d+)\x02\s*([,)&]?))?", re.I)
_WEB = re.compile(r"^(https?://|mailto:)[^\\]*$", re.I)
_OWN_PLACE = re.compile(r"^#[^\[\]\\/:]*(?::[^\[\]\\/:]*)?$")  # #Sheet!A1, #'My sheet'!A1:B2 (no other book)
_BOOK = re.compile(r"\[(?!\d+\])[^\[\]]*\][^\s\[\](),;=+\-*/&<>^]*!")  # [a.xlsx]S!A1 (not a table's [Col])


def reaches_out(text: str) -> str | None:
    """What `text` (a formula: a cell's, a rule's, a defined name's) would do on its own when the
    report is opened, in a clerk's words, or None when it stays inside the report."""
    strings: list[str] = []
    names: list[str] = []

    def cut(m):
        t = m.group(0)
        if t[0] == '"':
            strings.append(t[1:-1].replace('""', '"'))
            return f"\x01{len(strings) - 1}\x02"
        names.append(t[1:-1].replace("''", "'"))
        return "\x03"

    bare = _LITERAL.sub(cut, text)
    if "|" in bare:
        return "运行外部程序（DDE）"
    if _REACHES_OUT.search(bare):
        return "访问网络或外部程序"
    if "\\" in bare or _BOOK.search(bare) or \
            any(re.search(r"[\[\]\\/]", re.sub(r"^\[\d+\]", "", n)) for n in names):
        return "打开另一个工作簿、外部文件或网络共享"
    for m in _HYPERLINK.finditer(bare):
        target = strings[int(m.group(1))] if m.group(1) is not None else None
        if target is None or not (_WEB.match(target) or (_OWN_PLACE.match(target) and m.group(2) in (",", ")"))):
            return "打开网页以外的链接（本机文件、网络共享或算出来的地址）"
    return None


def reach_message(text: str, what: str) -> str:
    return f"公式「{text[:60]}」会在打开报表时{what}，报表不能带着它发出；请删除该公式"


@dataclass(slots=True)
class TCell:
    col: int
    ref: str  # template cell, e.g. "B6"
    kind: str  # "static" | "jinja" | "formula"
    pre: str  # '<c r="B'
    post: str = ""  # static: rest of the element after the row number
    s_attr: str = ""  # ' s="3"' (and other attributes kept on generated cells)
    src: str = ""  # jinja source
    whole: bool = False  # the whole cell is one {{ expression }}
    fparts: list | None = None
    fattrs: str = ""
    array: bool = False
    merge_same: bool = False
    merge_key: str = ""  # {%cell merge KEY %}: the expression rows are merged by, else their values
    style: int = 0  # the cell's style index (s=)


@dataclass(slots=True)
class TRow:
    r: int
    attrs: str  # attributes of <row> without r
    cells: list
    control: bool = False
    opens: list = field(default_factory=list)  # (stmt, cellref)
    closes: list = field(default_factory=list)
    mids: list = field(default_factory=list)
    jcells: list = field(default_factory=list)  # the jinja cells
    tpl: object = None  # compiled row template (all jinja cells at once), see row_template
    tpl_src: str = ""  # its Jinja source
    cell_tpls: dict = field(default_factory=dict)  # col -> compiled template, made when a row falls back to one cell at a time
    fcells: bool = False
    keys: list = field(default_factory=list)  # names the row template sets, one per jinja cell
    field_cols: dict | None = None  # x.field -> column letter (engine.Formula)
    autofit: bool = False  # {%row autofit %}: height from the rendered wrapped text

    def row_template(self, env):
        """The row's cells as one compiled template, made on first use (rows of a branch never
        taken, or of an error path, cost no compile); None when the cells only work alone."""
        if self.tpl is None and self.tpl_src:
            try:
                self.tpl = env.from_string(self.tpl_src)
            except jinja2.TemplateSyntaxError:  # fine alone but not together ({% set %} …): one by one
                self.tpl = False
            self.tpl_src = ""
        return self.tpl or None
    keep: bool | int = False  # {%row keep %}: starts a block kept on one page; {%row keep 2 %}: with the next 2 rows
    fit: object = None  # the engine's precomputed autofit plan (engine.Template._fit_plan)


# ---- the row program -------------------------------------------------------------

@dataclass(eq=False)
class ForNode:
    targets: list
    src: str  # what follows `in`: the list, and a loop filter `if …` if any
    iter: object  # Jinja AST of the list expression
    test: object  # Jinja AST of the loop filter, or None
    cell: str
    start: int
    end: int = 0
    body: list = field(default_factory=list)
    else_body: list = field(default_factory=list)
    parent: "ForNode | None" = None
    in_else: bool = False
    else_row: int = 0  # the template row of its {%row else %}, if any


@dataclass(eq=False)
class IfNode:
    branches: list  # [(src, Jinja AST of the condition, body, cell)]
    else_body: list | None = None
    cell: str = ""


@dataclass(eq=False)
class SetNode:
    name: str
    src: str
    expr: object  # Jinja AST
    cell: str


class TemplateSheet:
    """A worksheet of the template, parsed."""

    def __init__(self, eng, name: str, part: str, xml: str, sst: list[str]):
        self.eng = eng
        self.name = name
        self.part = part
        self.file = eng.file
        m = re.search(r"<sheetData\b[^>]*?(/>|>)", xml)
        if not m:
            raise TemplateError(self.file, name, None, "工作表缺少 sheetData，无法识别")
        self.prefix = xml[: m.start()]
        if m.group(1) == "/>":
            body, self.suffix = "", xml[m.end():]
        else:
            end = xml.index("</sheetData>", m.end())
            body, self.suffix = xml[m.end(): end], xml[end + len("</sheetData>"):]
        self.sheet_tag = None  # (kind, stmt, cell)
        self.rows: dict[int, TRow] = {}
        self.max_col = 1
        self.title_rows: tuple[int, int] | None = None  # print titles (engine page placement)
        self.has_content = False  # any cell with a value, formula or tag
        self._parse_rows(body, sst)
        self.max_row = max(self.rows) if self.rows else 0
        self.has_formulas = any(tr.fcells for tr in self.rows.values())  # (their values kept: _tpl_calc)
        self._check_hidden_cells()
        self.fit_geometry = None  # column widths and merges, for {%row autofit %} (engine)
        self.blocks: list[ForNode] = []
        self.program = self._build_program()
        self._compile_rows()

    # -- errors
    def err(self, cell, detail):
        return TemplateError(self.file, self.name, cell, detail)

    def compile_expr(self, src: str, cell: str):
        try:
            return self.eng.env.compile_expression(src, undefined_to_none=False)
        except jinja2.TemplateSyntaxError as e:
            raise self.err(cell, jinja_message(e)) from None

    def parse_expr(self, src: str, cell: str):
        """The Jinja AST of a row tag's expression, parsed as compile_expression does."""
        try:
            p = Parser(self.eng.env, src, state="variable")
            node = p.parse_expression()
            if not p.stream.eos:
                raise jinja2.TemplateSyntaxError("chunk after expression", p.stream.current.lineno)
        except jinja2.TemplateSyntaxError as e:
            raise self.err(cell, jinja_message(e)) from None
        except RecursionError:
            raise self.err(cell, jinja_message(jinja2.TemplateSyntaxError(NESTED_TOO_DEEP, 1))) from None
        return node

    def parse_for(self, src: str, cell: str):
        """(list, loop filter or None): the part of `{%row for x in … %}` after `in`,
        parsed as Jinja's own for tag does (`xs if x.ok`)."""
        try:
            p = Parser(self.eng.env, src, state="variable")
            it = p.parse_tuple(with_condexpr=False, extra_end_rules=("name:recursive",))
            test = p.parse_expression() if p.stream.skip_if("name:if") else None
            if p.stream.current.test("name:recursive"):
                raise self.err(cell, "行循环不支持 recursive（递归循环）；层级数据请用嵌套的 {%row for %}")
            if not p.stream.eos:
                raise jinja2.TemplateSyntaxError("chunk after expression", p.stream.current.lineno)
        except jinja2.TemplateSyntaxError as e:
            raise self.err(cell, jinja_message(e)) from None
        except RecursionError:
            raise self.err(cell, jinja_message(jinja2.TemplateSyntaxError(NESTED_TOO_DEEP, 1))) from None
        return it, test

    # -- parsing
    def _parse_rows(self, body: str, sst: list[str]) -> None:
        shared: dict[str, tuple[str, int, int]] = {}  # si -> (formula, row, col)
        next_r = 1
        for rm in ROW_RE.finditer(body):
            ra = rm.group(1)
            a = attrs(ra)
            r = int(a["r"]) if "r" in a else next_r
            next_r = r + 1
            row_attrs = R_ATTR_RE.sub("", " " + ra.strip()).rstrip()
            row_attrs = (" " + row_attrs.strip()) if row_attrs.strip() else ""
            cells = []
            trow = TRow(r, row_attrs, cells)
            next_c = 1
            content = False
            for cm in CELL_RE.finditer(rm.group(2) or ""):
                ca, inner = cm.group(1), cm.group(2) or ""
                a = attrs(ca)
                if "r" in a:
                    rr, col = split_cell(a["r"])
                else:
                    col = next_c
                next_c = col + 1
                self.max_col = max(self.max_col, col)
                ref = f"{num_to_col(col)}{r}"
                other = R_ATTR_RE.sub("", " " + ca.strip()).strip()
                other = (" " + other) if other else ""
                pre = f'<c r="{num_to_col(col)}'
                t = a.get("t", "n")
                fm = F_RE.search(inner) if "<f" in inner else None
                keep = "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items() if k not in ("r", "t"))
                if fm:
                    fa = attrs(fm.group(1))
                    ftext = unesc(fm.group(2) or "")
                    if fa.get("t") == "shared":
                        si = fa.get("si", "")
                        if ftext:
                            shared[si] = (ftext, r, col)
                        elif si in shared:
                            ftext = _translate(*shared[si], r, col)
                        fa = {k: v for k, v in fa.items() if k not in ("t", "ref", "si")}
                    fattrs = "".join(f' {k}="{esc_attr(v)}"' for k, v in fa.items() if k != "ref")
                    reach = reaches_out(ftext)
                    if reach:  # a report must not call out (DDE cmd|'/C …', WEBSERVICE, \\host) when opened
                        raise self.err(ref, reach_message(ftext, reach))
                    cells.append(TCell(col, ref, "formula", pre, s_attr=keep, fparts=parse_formula(ftext),
                                       fattrs=fattrs, array=fa.get("t") == "array"))
                    trow.fcells = True
                    continue
                text = None
                if t == "s":
                    vm = V_RE.search(inner)
                    if vm:
                        try:
                            text = sst[int(vm.group(1))]
                        except (ValueError, IndexError):
                            text = None
                elif t == "inlineStr":
                    im = IS_RE.search(inner)
                    text = rich_text(im.group(1)) if im else ""
                elif t == "str":
                    vm = V_RE.search(inner)
                    text = unesc(vm.group(1)) if vm else ""
                if text is not None and ("｛" in text or "％" in text or "｝" in text):
                    text = fullwidth_braces(text)
                if text is not None and ("{%" in text):
                    text = self._take_tags(trow, text, ref)
                    if text is None:  # a pure tag cell: keep its formatting (borders) as an empty cell
                        cells.append(TCell(col, ref, "static", pre, post=f'"{keep}/>'))
                        continue
                    if not has_jinja(text):
                        content = True
                        cells.append(TCell(col, ref, "static", pre,
                                           post=f'"{keep} t="inlineStr"><is><t xml:space="preserve">{esc(text)}</t></is></c>'))
                        continue
                if text is not None and has_jinja(text):
                    merge, merge_key = False, ""
                    mm = MERGE_RE.search(text)
                    if mm:  # {%cell merge%}: merge equal values downwards (or rows of one KEY)
                        merge, text = True, text[: mm.start()] + text[mm.end():]
                        merge_key = (mm.group(1) or "").strip()
                    wm = WHOLE_RE.match(text)
                    whole = bool(wm) and "{{" not in wm.group(1) and "}}" not in wm.group(1) \
                        and "{%" not in wm.group(1)
                    cells.append(TCell(col, ref, "jinja", pre, s_attr=keep, src=wm.group(1) if whole else text,
                                       whole=whole, merge_same=merge, merge_key=merge_key,
                                       style=int(a["s"]) if a.get("s", "").isdigit() else 0))
                    continue
                rest = R_ATTR_RE.sub("", " " + ca.strip(), count=1).strip()
                rest = (" " + rest) if rest else ""
                post = f'"{rest}/>' if cm.group(0).endswith("/>") and not inner else f'"{rest}>{inner}</c>'
                cells.append(TCell(col, ref, "static", pre, post=post))
                if "<v" in inner or "<is" in inner:
                    content = True
            if content or trow.fcells or trow.opens or trow.closes or trow.mids or trow.autofit or trow.keep or \
                    any(c.kind != "static" for c in cells) or trow.r in self._tag_rows:
                self.has_content = True
            if trow.opens or trow.closes or trow.mids or trow.r in self._tag_rows:
                if not content and not any(c.kind != "static" for c in cells):
                    trow.control = True
                elif trow.mids:
                    raise self.err(trow.mids[0][1], "「else / elif」标记必须单独占一行（该行不能有其他内容）")
            self.rows[r] = trow

    _tag_rows: set = set()

    def _check_hidden_cells(self) -> None:
        """A `{{ … }}` in a merged range's covered cell never shows: Excel and WPS print
        only the top-left cell. LibreOffice keeps such cells when asked to merge without
        moving their contents, so the clerk's text would vanish from the report unseen."""
        m = re.search(r"<mergeCells\b.*?</mergeCells>", self.suffix, re.S)
        if not m:
            return
        for ref in re.findall(r'<mergeCell\b[^>]*\bref="([^"]+)"', m.group(0)):
            try:
                r1, c1, r2, c2 = parse_range(ref)
            except ValueError:
                continue
            for r in range(r1, min(r2, self.max_row) + 1):
                tr = self.rows.get(r)
                if tr is None:
                    continue
                for c in tr.cells:
                    if c.kind == "jinja" and c1 <= c.col <= c2 and (r, c.col) != (r1, c1):
                        anchor = f"{num_to_col(c1)}{r1}"
                        raise self.err(c.ref, f"在合并单元格 {ref} 里、被 {anchor} 遮住，其中的"
                                              f"「{c.src if not c.whole else '{{ ' + c.src.strip() + ' }}'}」不会显示。"
                                              f"请把内容移到 {anchor}，或取消合并")

    def _take_tags(self, trow: TRow, text: str, ref: str) -> str | None:
        """Remove {%row …%}, {%sheet …%} (and note {%cell …%}) from a cell's text."""
        found = False
        for m in TAG_RE.finditer(text):
            kind, stmt = m.group(1), m.group(2).strip()
            if kind == "cell":
                continue
            found = True
            if kind == "sheet":
                if self.sheet_tag is not None:
                    raise self.err(ref, "一个工作表只能有一个 {%sheet …%} 标记")
                self.sheet_tag = (stmt, ref)
                self._tag_rows = self._tag_rows | {trow.r}
                continue
            head = stmt.split(None, 1)[0] if stmt else ""
            if head == "autofit" and stmt == "autofit":
                trow.autofit = True
            elif head == "keep" and re.fullmatch(r"keep(?:\s+\d{1,3})?", stmt):
                trow.keep = int(stmt[4:]) if stmt[4:].strip() else True
            elif head in ("for", "if", "set"):
                trow.opens.append((stmt, ref))
            elif head in ("endfor", "endif"):
                trow.closes.append((stmt, ref))
            elif head in ("else", "elif"):
                trow.mids.append((stmt, ref))
            else:
                raise self.err(ref, f"不认识的行标记「{{%row {stmt} %}}」（可用：for / endfor / if / elif / else / endif / set / autofit / keep / keep 数字）")
        if not found:
            return text
        rest = TAG_RE.sub(lambda m: m.group(0) if m.group(1) == "cell" else "", text)
        return rest if rest.strip() else None

    def _build_program(self) -> list:
        top: list = []
        stack: list = []  # (node, list-being-filled)
        cur = top

        def open_(stmt, cell, r):
            nonlocal cur
            head = stmt.split(None, 1)[0]
            if head == "for":
                m = FOR_RE.match(stmt)
                if not m:
                    raise self.err(cell, f"循环标记写法应为「{{%row for 变量 in 列表 %}}」，实际是「{stmt}」")
                targets = [t.strip() for t in m.group(1).strip("() ").split(",")]
                for t in targets:
                    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", t):
                        raise self.err(cell, f"循环变量名「{t}」不合法")
                    if t == "loop":
                        raise self.err(cell, "「loop」是循环自带的变量（loop.index 等），不能用作循环变量名")
                parent = next((n for n, _ in reversed(stack) if isinstance(n, ForNode)), None)
                it, test = self.parse_for(m.group(2), cell)
                node = ForNode(targets, m.group(2), it, test, cell, r, parent=parent)
                self.blocks.append(node)
                cur.append(node)
                stack.append((node, cur))
                cur = node.body
            elif head == "if":
                src = stmt[2:].strip()
                node = IfNode([(src, self.parse_expr(src, cell), [], cell)], cell=cell)
                cur.append(node)
                stack.append((node, cur))
                cur = node.branches[0][2]
            else:  # set
                m = SET_RE.match(stmt)
                if not m:
                    raise self.err(cell, f"写法应为「{{%row set 变量 = 表达式 %}}」，实际是「{stmt}」")
                if m.group(1) == "loop":
                    raise self.err(cell, "「loop」是循环自带的变量（loop.index 等），不能用 set 改写")
                cur.append(SetNode(m.group(1), m.group(2), self.parse_expr(m.group(2), cell), cell))

        def mid(stmt, cell, r):
            nonlocal cur
            head = stmt.split(None, 1)[0]
            if not stack:
                raise self.err(cell, f"「{stmt}」前面没有对应的 for 或 if 标记")
            node, _ = stack[-1]
            if isinstance(node, ForNode):
                if head != "else" or node.in_else:
                    raise self.err(cell, f"循环里只能用一次「else」，不能用「{stmt}」")
                node.in_else = True
                node.else_row = r
                cur = node.else_body
            else:
                if node.else_body is not None:
                    raise self.err(cell, f"「else」之后不能再有「{stmt}」")
                if head == "else":
                    node.else_body = []
                    cur = node.else_body
                else:
                    src = stmt[4:].strip()
                    node.branches.append((src, self.parse_expr(src, cell), [], cell))
                    cur = node.branches[-1][2]

        def close(stmt, cell, r):
            nonlocal cur
            head = stmt.split(None, 1)[0]
            if not stack:
                raise self.err(cell, f"「{stmt}」前面没有对应的开始标记")
            node, parent_list = stack.pop()
            want = "endfor" if isinstance(node, ForNode) else "endif"
            if head != want:
                raise self.err(cell, f"标记不配对：单元格 {node.cell} 开始的块应以「{want}」结束，这里是「{stmt}」")
            if isinstance(node, ForNode):
                node.end = r
            cur = parent_list

        for r in range(1, self.max_row + 1):
            tr = self.rows.get(r)
            if tr is None:
                cur.append(r)
                continue
            if tr.control:
                # a control row: its tags run in cell order
                for stmt, cell in sorted(tr.opens + tr.closes + tr.mids, key=lambda t: split_cell(t[1])[1]):
                    head = stmt.split(None, 1)[0]
                    if head in ("for", "if", "set"):
                        open_(stmt, cell, r)
                    elif head in ("else", "elif"):
                        mid(stmt, cell, r)
                    else:
                        close(stmt, cell, r)
                continue
            for stmt, cell in tr.opens:
                open_(stmt, cell, r)
            cur.append(r)
            for stmt, cell in tr.closes:
                close(stmt, cell, r)
        if stack:
            node = stack[-1][0]
            raise self.err(node.cell, "这个 for / if 标记没有对应的 endfor / endif")
        return top

    def _compile_rows(self) -> None:
        from kaohe_excel.write._tpl_codecache import checked_before, mark_checked

        env = self.eng.env
        jinja = [c for tr in self.rows.values() for c in tr.cells if c.kind == "jinja"]
        sources = [("{{ (%s) }}" % c.src) if c.whole else c.src for c in jinja]
        keyed = [c for c in jinja if c.merge_key]
        jinja, sources = jinja + keyed, sources + ["{{ (%s) }}" % c.merge_key for c in keyed]
        mark = checked_before(env, sources)  # None: these very cells passed the check before
        if mark is not None:
            for c, src in zip(jinja, sources):
                try:  # checked here, so a wrong cell is named before anything is written; compiled
                    env.parse(src)  # only when the row needs it
                except jinja2.TemplateSyntaxError as e:
                    raise self.err(c.ref, jinja_message(e)) from None
            mark_checked(mark)
        for tr in self.rows.values():
            tr.jcells = [c for c in tr.cells if c.kind == "jinja"]
            if not tr.jcells:
                continue
            pieces = []
            tr.keys = [f"__k{k}" for k in range(len(tr.jcells))]
            for k, c in enumerate(tr.jcells):
                if c.whole:
                    pieces.append("{%% set __k%d = (%s) %%}" % (k, c.src))
                else:
                    pieces.append("{%% set __k%d %%}%s{%% endset %%}" % (k, c.src))
            for k, c in enumerate(tr.jcells):  # the merge keys after the values (rendered rows: vals[len(jcells):])
                if c.merge_key:
                    tr.keys.append(f"__m{k}")
                    pieces.append("{%% set __m%d = (%s) %%}" % (k, c.merge_key))
            tr.tpl_src = "".join(pieces)  # compiled when a row is first rendered (TRow.row_template)

    # -- for kaohe template check
    def expressions(self):
        """(Jinja source, where) of every Jinja text the sheet runs: its {%sheet%} tag, its
        cells, its row tags (the `where` names the cell, e.g. 工作表「一览表」单元格 B7)."""
        sheet = f"工作表「{self.name}」"
        if self.sheet_tag:
            stmt, cell = self.sheet_tag
            yield "{%% %s %%}{%% end%s %%}" % (stmt, stmt.split()[0]), f"{sheet}单元格 {cell}"
        for r in sorted(self.rows):
            for c in self.rows[r].jcells:
                yield ("{{ (%s) }}" % c.src) if c.whole else c.src, f"{sheet}单元格 {c.ref}"
                if c.merge_key:
                    yield "{{ (%s) }}" % c.merge_key, f"{sheet}单元格 {c.ref}"

        def walk(nodes):
            for n in nodes:
                if isinstance(n, ForNode):
                    yield "{{ (%s) }}" % n.src, f"{sheet}单元格 {n.cell}"
                    yield from walk(n.body)
                    yield from walk(n.else_body)
                elif isinstance(n, IfNode):
                    for src, _e, body, cell in n.branches:
                        yield "{{ (%s) }}" % src, f"{sheet}单元格 {cell}"
                        yield from walk(body)
                    yield from walk(n.else_body or [])
                elif isinstance(n, SetNode):
                    yield "{{ (%s) }}" % n.src, f"{sheet}单元格 {n.cell}"

        yield from walk(self.program)

    def jinja_source(self, sheet_name_src: str, header_src: list[str], extra_src: list[str] = ()) -> str:
        out = []

        def walk(nodes):
            for n in nodes:
                if isinstance(n, int):
                    tr = self.rows.get(n)
                    if tr:
                        for c in tr.jcells:
                            out.append(("{{ (%s) }}" % c.src) if c.whole else c.src)
                            if c.merge_key:
                                out.append("{{ (%s) }}" % c.merge_key)
                elif isinstance(n, ForNode):
                    out.append("{%% for %s in %s %%}" % (", ".join(n.targets), n.src))
                    walk(n.body)
                    if n.else_body:
                        out.append("{% else %}")
                        walk(n.else_body)
                    out.append("{% endfor %}")
                elif isinstance(n, IfNode):
                    for k, (src, _e, body, _c) in enumerate(n.branches):
                        out.append("{%% %s %s %%}" % ("if" if k == 0 else "elif", src))
                        walk(body)
                    if n.else_body is not None:
                        out.append("{% else %}")
                        walk(n.else_body)
                    out.append("{% endif %}")
                elif isinstance(n, SetNode):
                    out.append("{%% set %s = %s %%}" % (n.name, n.src))

        walk(self.program)
        inner = sheet_name_src + "".join(header_src) + "".join(extra_src) + "".join(out)
        if self.sheet_tag:
            stmt = self.sheet_tag[0]
            if stmt.startswith("for"):
                return "{%% %s %%}%s{%% endfor %%}" % (stmt, inner)
            return "{%% %s %%}%s{%% endif %%}" % (stmt, inner)
        return inner


def _translate(ftext: str, r0: int, c0: int, r: int, c: int) -> str:
    return translate(ftext, r - r0, c - c0)


__all__ = ["TemplateSheet", "TemplateError", "ForNode", "IfNode", "SetNode", "TRow", "TCell",
           "jinja_message", "has_jinja", "rich_text", "col_to_num"]
