"""Engine stage 2, layout: the row program of each sheet instance is run, and the row
map is recorded — which output rows every template row became, in the whole sheet
(`Layout.produced`) and in every iteration of every row loop (`Layout.iters`: one
`Iter` per iteration, so a formula inside a loop points into its own iteration). Also
the per-render state every later stage reads (`Job`) and the `{%sheet …%}` contexts."""

from __future__ import annotations

import time
from collections import defaultdict

import jinja2

from kaohe_excel.write._tpl_refs import MAX_ROW
from kaohe_excel.write._tpl_sandbox import MAX_OUT_ROWS, MAX_SHEETS, RENDER_SECONDS, row_program_callback
from kaohe_excel.write._tpl_sheet import FOR_RE, TemplateError, jinja_message


class Job:
    """One render of a template: the template, the deadline, the cell styles this
    render appends, and the rendered sheet instances by template sheet name."""

    def __init__(self, tpl):
        self.tpl = tpl
        self.file = tpl.file
        self.env = tpl.env
        self.strict = tpl.strict
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.session = tpl.styles.session()  # cellXfs this render appends (dates in General cells)
        self.by_name: dict[str, list[Instance]] = {}

    def bounds(self, ts, rows: int) -> None:
        """Stop a template that would write more rows than a sheet holds or run past its
        time: a loop over range() inside a loop, or a very slow expression."""
        if rows > MAX_OUT_ROWS:
            raise TemplateError(self.file, ts.name, None, f"生成的行数超过 Excel 一个工作表的上限 {MAX_OUT_ROWS} 行，"
                                                         "请检查 {%row for %} 循环")
        if time.monotonic() > self.deadline:
            raise TemplateError(self.file, ts.name, None, f"生成报表超过 {RENDER_SECONDS:.0f} 秒仍未完成，已停止；"
                                                         "请检查模板中的循环是否过多")


class LoopInfo:
    """`loop` inside a row loop: index, index0, first, last, length, revindex, parent."""

    __slots__ = ("index0", "length", "parent")

    def __init__(self, index0: int, length: int, parent):
        self.index0, self.length, self.parent = index0, length, parent

    index = property(lambda s: s.index0 + 1)
    first = property(lambda s: s.index0 == 0)
    last = property(lambda s: s.index0 == s.length - 1)
    revindex = property(lambda s: s.length - s.index0)
    revindex0 = property(lambda s: s.length - s.index0 - 1)

    def cycle(self, *args):
        return args[self.index0 % len(args)]


class Iter:
    """One iteration of a row loop: which output rows each template row became in it."""

    __slots__ = ("start", "end", "rows")

    def __init__(self, start: int, end: int):
        self.start, self.end, self.rows = start, end, {}


class Layout:
    """Template row -> output rows, for one sheet instance."""

    def __init__(self, max_trow: int):
        self.max_trow = max_trow
        self.produced: dict[int, list[int]] = {}
        self.iters: dict[int, list[Iter]] = defaultdict(list)
        self.total = 0
        self._lo: dict = {}
        self._hi: dict = {}
        self._pos: dict = {}

    @property
    def delta(self) -> int:
        return self.total - self.max_trow

    def pos(self, u: int) -> int:
        """Where row u is (or would have been) in the output."""
        if u > self.max_trow:
            return min(u + self.delta, MAX_ROW)
        p = self._pos.get(u)
        if p is None:
            lst = self.produced.get(u)
            if lst:
                p = lst[0]
            else:
                p = min((self.produced[v][0] for v in range(u + 1, self.max_trow + 1) if v in self.produced),
                        default=self.total + 1)
            self._pos[u] = p
        return p

    def last_or_pos(self, u: int) -> int:
        lst = self.produced.get(u) if u <= self.max_trow else None
        return lst[-1] if lst else self.pos(u) - 1

    @staticmethod
    def _scope(u: int, chain):
        if chain:
            for it in reversed(chain):
                if it.start <= u <= it.end:
                    return it
        return None

    def single(self, u: int, chain=None) -> int:
        it = self._scope(u, chain)
        if it is not None:
            lst = it.rows.get(u)
            if lst:
                return lst[0]
        return self.pos(u)

    def glo(self, r1: int, r2: int):
        key = (r1, r2)
        if key in self._lo:
            return self._lo[key]
        best = None
        prod = self.produced
        for u in range(r1, min(r2, self.max_trow) + 1):
            lst = prod.get(u)
            if lst and (best is None or lst[0] < best):
                best = lst[0]
        if best is None and r2 > self.max_trow:
            best = min(max(r1, self.max_trow + 1) + self.delta, MAX_ROW)
        self._lo[key] = best
        return best

    def ghi(self, r1: int, r2: int):
        key = (r1, r2)
        if key in self._hi:
            return self._hi[key]
        if r2 > self.max_trow:
            best = min(r2 + self.delta, MAX_ROW)
        else:
            best = None
            prod = self.produced
            for u in range(r1, r2 + 1):
                lst = prod.get(u)
                if lst and (best is None or lst[-1] > best):
                    best = lst[-1]
        self._hi[key] = best
        return best

    @staticmethod
    def ilo(it: Iter, r1: int, r2: int):
        """The first output row template rows r1..r2 became in this loop iteration."""
        return min((lst[0] for u in range(max(r1, it.start), min(r2, it.end) + 1) if (lst := it.rows.get(u))),
                   default=None)

    @staticmethod
    def ihi(it: Iter, r1: int, r2: int):
        """The last output row template rows r1..r2 became in this loop iteration."""
        return max((lst[-1] for u in range(max(r1, it.start), min(r2, it.end) + 1) if (lst := it.rows.get(u))),
                   default=None)

    def span(self, r1: int, r2: int, chain1=None, chain2=None):
        """(first, last) output rows of the template rows r1..r2, or None if all vanished.
        A relative end inside an enclosing loop stays within the current iteration."""
        it1 = self._scope(r1, chain1)
        it2 = self._scope(r2, chain2)
        a = self.ilo(it1, r1, r2) if it1 is not None else None
        if a is None:
            a = self.glo(r1, r2)
        b = self.ihi(it2, r1, r2) if it2 is not None else None
        if b is None:
            b = self.ghi(r1, r2)
        if a is None or b is None:
            return None
        if a > b:
            a, b = b, a
        return a, b

    def runs(self, r1: int, r2: int) -> list[tuple[int, int]]:
        """All output rows of template rows r1..r2, as sorted contiguous runs."""
        rows = []
        prod = self.produced
        for u in range(r1, min(r2, self.max_trow) + 1):
            lst = prod.get(u)
            if lst:
                rows.extend(lst)
        out: list[list[int]] = []
        if rows:
            rows.sort()
            a = b = rows[0]
            for x in rows[1:]:
                if x == b + 1 or x == b:
                    b = x
                else:
                    out.append([a, b])
                    a = b = x
            out.append([a, b])
        if r2 > self.max_trow:
            a = min(max(r1, self.max_trow + 1) + self.delta, MAX_ROW)
            b = min(r2 + self.delta, MAX_ROW)
            if out and out[-1][1] + 1 >= a:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
        return [tuple(x) for x in out]


class Instance:
    """One output sheet: a template sheet rendered with one context."""

    def __init__(self, tsheet, ctx: dict, name: str):
        self.tsheet, self.ctx, self.name = tsheet, ctx, name
        self.layout: Layout | None = None
        self.out: list = []  # (template row, context, loop chain, output row number)
        self.part = ""
        self.rid = ""
        self.index = 0
        self.copy_no = 0  # 0: the first instance of its template sheet


# ---------------------------------------------------------------- evaluation ----

def evaluate(job: Job, ts, expr, ctx, cell):
    """A compiled tag expression's value; an error names the tag's cell. Undefined is an
    error in a strict environment, None otherwise."""
    try:
        v = expr(ctx)
    except Exception as ex:
        raise ts.err(cell, jinja_message(ex)) from None
    return defined(v, job.strict, ts, cell)


def defined(v, strict: bool, ts, cell):
    """A tag's value, None for Undefined; in a strict environment Undefined is the error it
    raises, naming the tag's cell."""
    if isinstance(v, jinja2.Undefined):
        if strict:
            try:
                str(v)
            except Exception as ex:
                raise ts.err(cell, jinja_message(ex)) from None
        return None
    return v


def as_list(ts, items, cell) -> list:
    """What a row or sheet loop goes through: None is empty, a dict gives its items."""
    if items is None:
        return []
    if isinstance(items, dict):
        return list(items.items())
    if isinstance(items, (str, bytes)):
        raise ts.err(cell, "循环的对象是一段文字，不是列表")
    try:
        return list(items)
    except TypeError:
        raise ts.err(cell, f"循环的对象不是列表（{type(items).__name__}）") from None


def assign(ts, ctx, targets, item, cell):
    if len(targets) == 1:
        ctx[targets[0]] = item
        return
    try:
        vals = list(item)
    except TypeError:
        raise ts.err(cell, f"无法把 {type(item).__name__} 拆成 {len(targets)} 个循环变量") from None
    if len(vals) != len(targets):
        raise ts.err(cell, f"循环变量有 {len(targets)} 个，但每项有 {len(vals)} 个值")
    ctx.update(zip(targets, vals))


def sheet_contexts(job: Job, ts, base: dict) -> list[dict]:
    """One context per output sheet of template sheet `ts`: its `{%sheet for %}` items,
    none when its `{%sheet if %}` is false, else just `base`."""
    if ts.sheet_tag is None:
        return [base]
    stmt, cell = ts.sheet_tag
    if stmt.startswith("for"):
        m = FOR_RE.match(stmt)
        if not m:
            raise ts.err(cell, f"写法应为「{{%sheet for 变量 in 列表 %}}」，实际是「{stmt}」")
        targets = [t.strip() for t in m.group(1).strip("() ").split(",")]
        expr = ts.compile_expr(m.group(2), cell)
        items = as_list(ts, evaluate(job, ts, expr, base, cell), cell)
        if len(items) > MAX_SHEETS:
            raise ts.err(cell, f"{{%sheet for %}} 要生成 {len(items)} 个工作表，超过上限 {MAX_SHEETS} 个")
        out = []
        for k, item in enumerate(items):
            ctx = dict(base)
            assign(ts, ctx, targets, item, cell)
            ctx["loop"] = LoopInfo(k, len(items), None)
            out.append(ctx)
        return out
    if stmt.startswith("if"):
        expr = ts.compile_expr(stmt[2:].strip(), cell)
        return [base] if evaluate(job, ts, expr, base, cell) else []
    raise ts.err(cell, f"不认识的工作表标记「{stmt}」（可用：for / if）")


# ---------------------------------------------------------------- the run -------

class RowLoop:
    """`loop` inside a row loop, one per iteration: what Jinja's own loop gives (index,
    index0, first, last, length, revindex, revindex0, previtem, nextitem, depth, cycle(),
    changed()) as of this iteration, so the rows rendered afterwards (stage 4) still see
    their own iteration; plus `parent`, the enclosing loop's `loop`. For a loop without a
    filter the items are its list (`seq`); with a filter Jinja's loop is asked when the
    iteration starts. `changed()` asks Jinja's loop while the row program runs (row tags)
    and, for cells, keeps its own memory per loop run, called in row order as the cells
    are rendered."""

    __slots__ = ("index0", "length", "parent", "_seq", "_prev", "_next", "_live", "_memo", "_running")

    def __init__(self, live, seq, parent, memo: list, running: list):
        self.index0 = live.index0
        self.parent = parent
        self._live, self._memo, self._running, self._seq = live, memo, running, seq
        if seq is None:
            self.length = live.length
            self._prev, self._next = live.previtem, live.nextitem
        else:
            self.length = len(seq)

    index = property(lambda s: s.index0 + 1)
    first = property(lambda s: s.index0 == 0)
    last = property(lambda s: s.index0 == s.length - 1)
    revindex = property(lambda s: s.length - s.index0)
    revindex0 = property(lambda s: s.length - s.index0 - 1)
    depth = property(lambda s: 1)  # `recursive` is refused (_tpl_sheet)
    depth0 = property(lambda s: 0)

    @property
    def previtem(self):
        if self._seq is None:
            return self._prev
        k = self.index0
        return self._seq[k - 1] if k else self._live._undefined("there is no previous item")

    @property
    def nextitem(self):
        if self._seq is None:
            return self._next
        k = self.index0 + 1
        return self._seq[k] if k < len(self._seq) else self._live._undefined("there is no next item")

    def cycle(self, *args):
        if not args:
            raise TypeError("no items for cycling given")
        return args[self.index0 % len(args)]

    def changed(self, *value) -> bool:
        if self._running[0]:
            return self._live.changed(*value)
        if self._memo[0] != value:
            self._memo[0] = value
            return True
        return False

    def __repr__(self) -> str:
        return f"<RowLoop {self.index}/{self.length}>"


_NOTHING = object()


def layout(job: Job, inst: Instance) -> None:
    """Run the row program of `inst` (compiled to one Jinja template, _tpl_rowloops) and
    record its row map in `inst.layout` and the rows to write, in order, in `inst.out`:
    (template row, its context, the chain of enclosing iterations, output row number)."""
    ts = inst.tsheet
    prog = ts.row_program
    L = Layout(ts.max_row)
    out = inst.out
    rows = ts.rows
    produced = L.produced
    base = inst.ctx
    sites = prog.sites
    loops = prog.loops
    iters = [L.iters[id(node)] for node in loops]
    current: list = [None] * len(loops)  # the iteration in progress of each loop
    memos: list = [None] * len(loops)  # (Jinja's loop, changed() memory for cells) per loop run
    seqs: list = [None] * len(loops)  # the list of the run in progress of each loop without a filter
    counter = 0
    ticks = 0  # iterations and filter tests since the last time check (loops that make no rows)
    at = [None]  # the cell of the tag being evaluated (error messages)
    running = [True]
    strict = job.strict
    sheet_loop = base.get("loop")

    @row_program_callback
    def row(key, local):
        nonlocal counter
        if not running[0]:  # kept by a template ({%row set f = __row %}) and called from a cell later
            raise ts.err(None, "模板不允许这样写（不能调用生成程序内部的函数）")
        trows, loop_ks = sites[key]
        chain = tuple(map(current.__getitem__, loop_ks)) if loop_ks else ()
        if local:
            ctx = dict(base)
            ctx.update(local)
        else:
            ctx = base
        for u in trows:
            counter += 1
            n = counter
            if not n & 4095:
                job.bounds(ts, n)
            lst = produced.get(u)
            if lst is None:
                produced[u] = [n]
            else:
                lst.append(n)
            for it in chain:
                l2 = it.rows.get(u)
                if l2 is None:
                    it.rows[u] = [n]
                else:
                    l2.append(n)
            tr = rows.get(u)
            if tr is not None:
                out.append((tr, ctx, chain, n))

    def converter(k, node):
        @row_program_callback
        def convert(v):
            nonlocal ticks
            if isinstance(v, jinja2.Undefined):
                if strict:
                    try:
                        str(v)
                    except Exception as ex:
                        raise ts.err(node.cell, jinja_message(ex)) from None
                v = None
            lst = as_list(ts, v, node.cell)
            if node.test is None:
                seqs[k] = lst
            if len(node.targets) > 1:
                for item in lst:
                    assign(ts, {}, node.targets, item, node.cell)
            ticks += len(lst)
            if ticks > 4096:
                ticks = 0
                job.bounds(ts, counter)
            return lst
        return convert

    def checker(cell):
        @row_program_callback
        def value(v):
            nonlocal ticks
            ticks += 1
            if ticks > 4096:
                ticks = 0
                job.bounds(ts, counter)
            return defined(v, strict, ts, cell)
        return value

    converters = [converter(k, node) for k, node in enumerate(loops)]
    checkers = [checker(cell) for cell in prog.cells]

    @row_program_callback
    def items(k):
        """`__items(k)(xs)`: the list of loop k (noted before xs is evaluated)."""
        at[0] = loops[k].cell
        return converters[k]

    @row_program_callback
    def check(t):
        """`__test(t)(c)`, `__val(t)(v)`: a tag's value; Undefined raises when strict."""
        at[0] = prog.cells[t]
        return checkers[t]

    @row_program_callback
    def iteration(k, live, parent, key=None, local=None):
        if not running[0]:
            raise ts.err(None, "模板不允许这样写（不能调用生成程序内部的函数）")
        node = loops[k]
        it = Iter(node.start, node.end)
        iters[k].append(it)
        current[k] = it
        memo = memos[k]
        if memo is None or memo[0] is not live:
            memo = memos[k] = (live, [_NOTHING])
        info = RowLoop(live, seqs[k], sheet_loop if parent is None else parent, memo[1], running)
        if key is not None:  # the rows the loop body starts with
            local["loop"] = info
            row(key, local)
        return info

    names = {"__row": row, "__items": items, "__test": check, "__val": check, "__iter": iteration}
    tpl = prog.template
    try:
        for _ in tpl.root_render_func(tpl.new_context(dict(base, **names))):
            pass
    except TemplateError:
        raise
    except Exception as ex:
        raise ts.err(at[0], jinja_message(ex)) from None
    finally:
        running[0] = False
    L.total = counter
    inst.layout = L


__all__ = ["Job", "LoopInfo", "RowLoop", "Iter", "Layout", "Instance", "layout", "sheet_contexts", "as_list", "evaluate"]
