"""The sandbox a template runs in: Jinja's immutable sandbox with bounds on what one
expression, one cell loop or one render may build, so a template (a file from anyone)
cannot run code, fill memory or run for hours. Engine stage 0: before any sheet is parsed."""

from __future__ import annotations

import re
import threading
import time

import jinja2

MAX_TEXT = 32_767  # characters one template expression may build (what an Excel cell holds)
MAX_CELL_LOOP = 2_000  # items a {% for %} inside one cell may go through
MAX_POWER = 64  # largest exponent `**` may take
MAX_RANGE = 20_000  # items range() may give
MAX_OUT_ROWS = 1_048_576  # Excel's rows per sheet
MAX_SHEETS = 2_000  # sheets one template may make
RENDER_SECONDS = 60.0  # one report, start to end (a province's league renders in about a second)
MAX_DOCUMENT = 20_000_000  # characters one Word template part may render to (a bulletin is ~100 000)
CELL_CHARS = 32_767  # what Excel keeps in a cell; a longer one makes the file "damaged"
NESTED_TOO_DEEP = "nesting too deep"  # (a TemplateSyntaxError's message, said in Chinese by jinja_message)
_WIDE_FORMAT = re.compile(r"\{[^{}]*?:[^{}]*?(\d{6,})[^{}]*\}|%[-#0 +]*(\d{6,})")


def _report_sandbox(document: bool = False):
    """Jinja's immutable sandbox with bounds: a template is a file from anyone, and one
    expression must not build a gigabyte string or an astronomically large number, nor a
    loop run for hours ({{ 'x' * 10**9 }}, {{ 9**9**9 }}, '{:>999999999}'.format(1)).
    `document`: a Word template is one Jinja text, its loops nest (department -> items);
    the whole render is bounded instead (_BoundedTemplate)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def too_big(what: str):
        return SecurityError(f"模板中的{what}过大（一个表达式最多生成 {MAX_TEXT} 个字符，乘方最多 {MAX_POWER} 次）")

    def size(v, budget: int = MAX_TEXT + 1, depth: int = 0) -> int:
        """What a value weighs once written out: a text its characters, a list the weight of its
        items (each at least 1), nested ones too ([['a']*32767]*32767 is a thousand million,
        not 32767); counted only up to `budget`."""
        if isinstance(v, str):
            return len(v)
        if not isinstance(v, (list, tuple)):
            return 0
        if depth > 32:
            return budget
        total = 0
        for x in v:
            total += max(1, size(x, budget - total, depth + 1))
            if total >= budget:
                break
        return total

    from jinja2.compiler import CodeGenerator

    class BoundedCodeGenerator(CodeGenerator):
        """`a ~ b` compiles to a plain join Jinja never hands the sandbox (its binops are + - * …):
        each join's result is weighed as `+`'s is, so doubling a text fifteen times cannot build
        gigabytes."""

        def visit_Concat(self, node, frame):
            self.write("environment.bounded_concat(")
            super().visit_Concat(node, frame)
            self.write(")")

    class ReportSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "+", "%"])
        code_generator_class = BoundedCodeGenerator

        def bounded_concat(self, joined):
            if size(joined) > MAX_TEXT:
                raise too_big("文字")
            return joined
        if document:
            template_class = _bounded_template()

        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            """Jinja's compile, its code kept per user across runs (_tpl_codecache)."""
            if raw:
                return super().compile(source, name, filename, raw, defer_init)
            from kaohe_excel.write._tpl_codecache import compiled

            try:
                return compiled(self, source, name, filename, defer_init,
                                lambda: ImmutableSandboxedEnvironment.compile(self, source, name, filename,
                                                                              False, defer_init))
            except (RecursionError, SyntaxError, MemoryError):
                # 3,000 nested brackets, a filter 5,000 times over, 150 {%row if %} inside each other:
                # Jinja's parser or Python's compiler gives up; a syntax error of the template's own
                raise jinja2.TemplateSyntaxError(NESTED_TOO_DEEP, 1) from None

        def _parse(self, source, name, filename):
            """No loop inside a loop, no macro in a cell: the engine's {%row for %} does the
            repeating (bounded by rows and time); inside one cell they would be unbounded."""
            try:
                tree = super()._parse(source, name, filename)
                _static_bounds(tree)
            except RecursionError:  # (3,000 nested brackets: Jinja's parser recurses once a level)
                raise jinja2.TemplateSyntaxError(NESTED_TOO_DEEP, 1) from None
            for node in tree.find_all((jinja2.nodes.Macro, jinja2.nodes.CallBlock)):
                raise jinja2.TemplateSyntaxError("macro/call blocks are not allowed in a cell", node.lineno)
            for loop in tree.find_all(jinja2.nodes.For):
                for inner in () if document else loop.find_all(jinja2.nodes.For):
                    raise jinja2.TemplateSyntaxError("nested for loops are not allowed in a cell", inner.lineno)
                loop.iter = jinja2.nodes.Call(jinja2.nodes.Name("cell_loop_items", "load"), [loop.iter], [], None, None)
            return tree

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and not isinstance(right, bool) \
                    and abs(right) > MAX_POWER and not (isinstance(left, (int, float)) and abs(left) <= 1):
                raise too_big("乘方")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(n, int) and (w := size(seq)) and w * n > MAX_TEXT:
                        raise too_big("重复文字")
                if isinstance(left, int) and isinstance(right, int) and \
                        left.bit_length() + right.bit_length() > 4 * MAX_TEXT:
                    raise too_big("数字")
            if operator == "+" and size(left) + size(right) > MAX_TEXT:
                raise too_big("文字")
            if operator == "%" and isinstance(left, str) and (_WIDE_FORMAT.search(left) or "*" in left and any(
                    isinstance(x, int) and not isinstance(x, bool) and abs(x) > MAX_TEXT
                    for x in (right if isinstance(right, tuple) else (right,)))):
                raise too_big("格式宽度")  # ('%*d' % (2 * 10**9, 1): the width handed in by the '*')
            out = super().call_binop(context, operator, left, right)
            if size(out) > MAX_TEXT:
                raise too_big("文字")
            return out

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
            if getattr(__obj, "row_program_callback", False) is True:
                # the engine's own callbacks in a compiled row program (_tpl_layout): they hand
                # values (a list, a number) through untouched and build nothing from them
                return __obj(*args)  # (Jinja adds _loop_vars / _block_vars inside loops and blocks)
            for a in list(args) + list(kwargs.values()):
                if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_TEXT:
                    raise too_big("参数")
            name = getattr(__obj, "__name__", "")
            owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # str.format comes wrapped
            if isinstance(owner, str):
                if name in ("format", "format_map") and (_WIDE_FORMAT.search(owner) or any(
                        _wide_text(v) for v in list(args) + list(kwargs.values())
                        + [x for a in args if isinstance(a, dict) for x in a.values()])):
                    raise too_big("格式宽度")  # ('{:>{w}}'.format('x', w='1999999999'): a width handed in as text)
                if name == "replace" and len(args) >= 2 and isinstance(args[1], str) and \
                        (len(owner) + 1) * max(len(args[1]), 1) > MAX_TEXT and len(args[1]) > len(str(args[0])):
                    raise too_big("文字")
                if name == "join" and args and sum(size(x) if isinstance(x, str) else 16 for x in args[0]) + \
                        len(owner) * len(args[0]) > MAX_TEXT:
                    raise too_big("文字")
            out = super().call(__context, __obj, *args, **kwargs)
            if size(out) > MAX_TEXT:
                raise too_big("文字")
            return out

    return ReportSandbox


def _wide_text(v) -> bool:
    """A text of digits too large for a width: a nested format field ({:>{w}}) takes it as one."""
    return isinstance(v, str) and len(v) > 5 and v.strip().isdigit() and int(v) > MAX_TEXT


def _bounded_template():
    """A Jinja template whose render stops past MAX_DOCUMENT characters or RENDER_SECONDS:
    nested loops in a Word template multiply, and no single bound on one loop caps them."""
    from jinja2.exceptions import SecurityError

    class _BoundedTemplate(jinja2.Template):
        def render(self, *args, **kwargs):
            start, size, out = time.monotonic(), 0, []
            before = getattr(_CLOCK, "deadline", None)
            _CLOCK.deadline = start + RENDER_SECONDS  # (loops that write nothing look at it: _cell_loop_items)
            try:
                for chunk in self.generate(*args, **kwargs):
                    size += len(chunk)
                    if size > MAX_DOCUMENT:
                        raise SecurityError(f"模板生成的内容过多（超过 {MAX_DOCUMENT} 个字符）")
                    if time.monotonic() - start > RENDER_SECONDS:
                        raise SecurityError(f"模板运行超过 {RENDER_SECONDS:g} 秒")
                    out.append(chunk)
            finally:
                _CLOCK.deadline = before
            return "".join(out)

    return _BoundedTemplate


def _static(node):
    """The value of a constant expression (10**9, 'x' * 3), computed only within bounds."""
    n = jinja2.nodes
    if isinstance(node, n.Const):
        return node.value
    if isinstance(node, n.Neg):
        v = _static(node.node)
        return -v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    if isinstance(node, (n.Pow, n.Mul, n.Add)):
        a, b = _static(node.left), _static(node.right)
        if a is None or b is None:
            return None
        try:
            if isinstance(node, n.Pow):
                return a ** b if isinstance(b, (int, float)) and abs(b) <= MAX_POWER else None
            if isinstance(node, n.Mul):
                if isinstance(a, (str, list, tuple)) or isinstance(b, (str, list, tuple)):
                    return None
                return a * b
            return a + b if not isinstance(a, (str, list, tuple)) else None
        except Exception:
            return None
    return None


def _weight(node) -> int | None:
    """What a constant text or list expression weighs written out (as ReportSandbox's size):
    `[['a'] * 32767] * 32767` a thousand million; None when not known before the render."""
    n = jinja2.nodes
    if isinstance(node, n.Const):
        return len(node.value) if isinstance(node.value, str) else None
    if isinstance(node, (n.List, n.Tuple)):
        return sum(max(1, _weight(x) or 0) for x in node.items)
    if isinstance(node, n.Mul):
        for seq, k in ((node.left, _static(node.right)), (node.right, _static(node.left))):
            w = _weight(seq)
            if w is not None and isinstance(k, int) and not isinstance(k, bool):
                return w * max(k, 0)
    if isinstance(node, n.Filter) and node.name == "join" and node.node is not None:
        return _weight(node.node)
    return None


def _static_bounds(tree) -> None:
    """Refuse at compile time what a bound would stop at render time, so `template check`
    names the cell: `'x' * 10**9`, `9 ** 999999`, `center(10**9)`."""
    n = jinja2.nodes

    def big(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) > MAX_TEXT

    def wide(x) -> bool:
        return isinstance(x, n.Const) and isinstance(x.value, str) and bool(_WIDE_FORMAT.search(x.value))

    for node in tree.find_all((n.Pow, n.Mul, n.Call, n.Filter, n.Mod)):
        if isinstance(node, n.Mod):
            if wide(node.left):
                raise jinja2.TemplateSyntaxError("argument too large", node.lineno)
        elif isinstance(node, n.Call) and isinstance(node.node, n.Getattr) and \
                node.node.attr in ("format", "format_map") and wide(node.node.node):
            raise jinja2.TemplateSyntaxError("argument too large", node.lineno)
        if isinstance(node, n.Mod):
            continue
        if isinstance(node, n.Pow):
            e = _static(node.right)
            if isinstance(e, (int, float)) and not isinstance(e, bool) and abs(e) > MAX_POWER:
                raise jinja2.TemplateSyntaxError("power too large", node.lineno)
        elif isinstance(node, n.Mul):
            a, b = _static(node.left), _static(node.right)
            for seq, k in ((node.left, b), (node.right, a)):
                if isinstance(seq, n.Const) and isinstance(seq.value, str) and isinstance(k, int) and \
                        len(seq.value) * k > MAX_TEXT:
                    raise jinja2.TemplateSyntaxError("repetition too large", node.lineno)
            if big(a) and big(b):
                raise jinja2.TemplateSyntaxError("number too large", node.lineno)
            w = _weight(node)
            if w is not None and w > MAX_TEXT:  # [['a'] * 32767] * 32767
                raise jinja2.TemplateSyntaxError("repetition too large", node.lineno)
        else:
            if any(big(_static(x)) for x in list(node.args) + [k.value for k in node.kwargs]):
                raise jinja2.TemplateSyntaxError("argument too large", node.lineno)


def _bounded_filter(f):
    """A built-in filter that refuses widths and counts no report needs (center(10**9))."""
    import functools

    from jinja2.exceptions import SecurityError

    @functools.wraps(f)
    def guarded(*args, **kwargs):
        for a in list(args[1:]) + list(kwargs.values()):
            if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_TEXT:
                raise SecurityError(f"模板中的参数过大（最多 {MAX_TEXT}）")
        out = f(*args, **kwargs)
        if isinstance(out, str) and len(out) > MAX_TEXT:
            raise SecurityError(f"模板中的文字过长（一个表达式最多生成 {MAX_TEXT} 个字符）")
        return out

    return guarded


_CLOCK = threading.local()  # the deadline of the Word template this thread renders (_BoundedTemplate)


def _cell_loop_items(items):
    """What a {% for %} inside a cell goes through, at most MAX_CELL_LOOP items. A Word template's
    loops nest (three of 2,000 with nothing inside write nothing for hours): every 256 items the
    render's clock is looked at, as its output is."""
    from jinja2.exceptions import SecurityError

    deadline = getattr(_CLOCK, "deadline", None)
    for n, x in enumerate(items, 1):
        if n > MAX_CELL_LOOP:
            raise SecurityError(f"模板中单元格内的循环项数过多（最多 {MAX_CELL_LOOP} 项）")
        if deadline is not None and not n & 255 and time.monotonic() > deadline:
            raise SecurityError(f"模板运行超过 {RENDER_SECONDS:g} 秒（循环过多）")
        yield x


def _bounded_range(*args):
    from jinja2.exceptions import SecurityError

    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"模板中的 range 太大（最多 {MAX_RANGE} 项）")
    return r


def row_program_callback(fn):
    """Mark `fn` as one of the engine's row-program callbacks, which the sandbox calls
    without its argument and result bounds (a row loop's list may be longer than
    MAX_TEXT; rows and time bound it instead)."""
    fn.row_program_callback = True
    return fn


_PLAIN_ENVS: dict[tuple[bool, bool], jinja2.Environment] = {}


def make_environment(*, strict: bool = True, filters: dict | None = None,
                     globals: dict | None = None, document: bool = False) -> jinja2.Environment:
    """The environment for these settings; one per process for templates with no filters or
    globals of their own (every report of a run: nothing changes an environment once made)."""
    if filters or globals:
        return _new_environment(strict, filters, globals, document)
    env = _PLAIN_ENVS.get((strict, document))
    if env is None:
        env = _PLAIN_ENVS[(strict, document)] = _new_environment(strict, None, None, document)
    return env


def _new_environment(strict: bool, filters: dict | None, globals: dict | None, document: bool) -> jinja2.Environment:
    """The Jinja environment templates are compiled in (StrictUndefined by default, so a
    misspelt name is an error that points at its cell instead of an empty cell). Sandboxed
    and immutable: a template is data from anyone (a colleague's copy in templates/), so it
    reaches no attribute starting with `_`, no unsafe callable, changes nothing it is given;
    `range`, repetition, powers, widths and text length are bounded (_report_sandbox).
    `document`: for a Word template (XML text): values escaped, loops may nest."""
    env = _report_sandbox(document)(undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
                                    autoescape=document, keep_trailing_newline=True)
    for name in ("lipsum", "cycler", "joiner", "namespace"):  # nothing a report needs; namespace carries state
        env.globals.pop(name, None)
    env.globals["range"] = _bounded_range
    env.globals["cell_loop_items"] = _cell_loop_items
    env.filters = {k: _bounded_filter(f) for k, f in env.filters.items()}
    if filters:
        env.filters.update(filters)
    if globals:
        env.globals.update(globals)
    return env


__all__ = ["make_environment", "row_program_callback", "NESTED_TOO_DEEP", "MAX_TEXT", "MAX_OUT_ROWS", "MAX_SHEETS", "RENDER_SECONDS", "CELL_CHARS"]
