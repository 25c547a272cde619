"""Engine stage 2a, the row program compiled to Jinja: a sheet's row tags become one
Jinja template, so Jinja itself runs the row loops (loop filters, `else`, `loop.previtem`,
`loop.nextitem`, `loop.changed()`, `loop.cycle()` behave as in any Jinja template).

    {%row for c in cats %}                 {% for c in __items(0)(cats) %}
    {%row if loop.changed(c.kind) %}         {% set __lp0 = __iter(0, loop, None) %}
    {{ c.kind }}                 ->          {% if __test(0)(__lp0.changed(c.kind)) %}
    {%row endif %}                             {% do __row("s0", {"c": c, "loop": __lp0}) %}
    {{ c.name }}                             {% endif %}
    {%row endfor %}                          {% do __row("s1", {"c": c, "loop": __lp0}) %}
                                           {% endfor %}

The template is built as a Jinja AST from the parsed row program (_tpl_sheet), not as
text: the tag expressions are already parsed, a loop filter is kept apart from its list,
and `loop` in a tag is re-pointed at the iteration's `RowLoop` (the loop's `loop` with
`parent`, which Jinja's own has not). Each run of template rows becomes one `__row(site,
locals)` call: Jinja cannot hand a callable its loop variables, so the compiler, which
knows the loop targets and `{%row set %}` names in scope at every site, passes them in a
dict. A loop body that starts with rows hands their site to `__iter` instead (one
callback an iteration). The callbacks (stage 2, _tpl_layout) record the output row numbers, the row's
context and the chain of `Iter`s (one per iteration of each enclosing loop) for the
row map. `{%row set %}` keeps its scope: to the end of the enclosing loop body or if/else
branch (a branch that sets a name is wrapped in a Jinja scope)."""

from __future__ import annotations

import copy

from jinja2 import nodes
from jinja2.visitor import NodeTransformer

from kaohe_excel.write._tpl_sheet import ForNode, IfNode, SetNode


class RowProgram:
    """A sheet's row program as one compiled Jinja template, and what its callbacks need:
    `sites` key -> (template rows, indexes of the enclosing loops); `loops` by index;
    `cells` the template cell of every tag (error messages)."""

    def __init__(self, template, sites: dict, loops: list, cells: list):
        self.template, self.sites, self.loops, self.cells = template, sites, loops, cells


def _call(name: str, *args) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load"), list(args), [], None, None)


class _LoopRef(NodeTransformer):
    """`loop` in a tag expression -> the enclosing iteration's RowLoop (`__lpK`)."""

    def __init__(self, name: str | None):
        self.name = name

    def visit_Name(self, node):
        if node.name == "loop" and node.ctx == "load" and self.name is not None:
            return nodes.Name(self.name, "load", lineno=node.lineno)
        return node


def compile_program(ts, env) -> RowProgram:
    """Compile template sheet `ts`'s row program for environment `env`."""
    sites: dict[str, tuple] = {}
    loops: list[ForNode] = []
    cells: list[str] = []

    def expr(e, loop_k):
        return _LoopRef(None if loop_k is None else f"__lp{loop_k}").visit(copy.deepcopy(e))

    def checked(fn: str, e, cell: str, loop_k):
        """fn(tag)(e): the tag's cell noted before e is evaluated (errors name it)."""
        cells.append(cell)
        return nodes.Call(_call(fn, nodes.Const(len(cells) - 1)), [expr(e, loop_k)], [], None, None)

    def row_call(rows: list[int], names: list[str], loop_ks: tuple):
        key = f"s{len(sites)}"
        sites[key] = (tuple(rows), loop_ks)
        pairs = [nodes.Pair(nodes.Const(n), nodes.Name(n, "load")) for n in names]
        if loop_ks:
            pairs.append(nodes.Pair(nodes.Const("loop"), nodes.Name(f"__lp{loop_ks[-1]}", "load")))
        stmt = nodes.ExprStmt(_call("__row", nodes.Const(key), nodes.Dict(pairs)))
        stmt.row_site = (key, pairs)  # noted for the loop head (compile_program only)
        return stmt

    def block(body: list, names: list[str], loop_ks: tuple, scoped: bool) -> list:
        names = list(names)
        out: list = []
        run: list[int] = []
        sets = False
        loop_k = loop_ks[-1] if loop_ks else None
        for n in body:
            if type(n) is int:
                run.append(n)
                continue
            if run:
                out.append(row_call(run, names, loop_ks))
                run = []
            if type(n) is ForNode:
                k = len(loops)
                loops.append(n)
                it = nodes.Call(_call("__items", nodes.Const(k)), [expr(n.iter, loop_k)], [], None, None)  # notes the cell
                test = checked("__test", n.test, n.cell, loop_k) if n.test is not None else None
                if len(n.targets) == 1:
                    target = nodes.Name(n.targets[0], "store")
                else:
                    target = nodes.Tuple([nodes.Name(t, "store") for t in n.targets], "store")
                parent = nodes.Name(f"__lp{loop_k}", "load") if loop_k is not None else nodes.Const(None)
                inner = names + [t for t in n.targets if t not in names]
                body_nodes = block(n.body, inner, loop_ks + (k,), False)
                args = [nodes.Const(k), nodes.Name("loop", "load"), parent]
                if body_nodes and getattr(body_nodes[0], "row_site", None):
                    # the body starts with rows: __iter records them too (one call an iteration)
                    key, pairs = body_nodes.pop(0).row_site
                    args += [nodes.Const(key), nodes.Dict(pairs[:-1])]  # __iter adds the loop itself
                body_nodes.insert(0, nodes.Assign(nodes.Name(f"__lp{k}", "store"), _call("__iter", *args)))
                else_nodes = block(n.else_body, names, loop_ks, True) if n.else_body else []
                out.append(nodes.For(target, it, body_nodes, else_nodes, test, False))
            elif type(n) is IfNode:
                first = None
                for src, e, body, cell in n.branches:
                    node = nodes.If(checked("__test", e, cell, loop_k), block(body, names, loop_ks, True), [], [])
                    if first is None:
                        first = node
                    else:
                        first.elif_.append(node)
                if n.else_body:
                    first.else_ = block(n.else_body, names, loop_ks, True)
                out.append(first)
            elif type(n) is SetNode:
                sets = True
                out.append(nodes.Assign(nodes.Name(n.name, "store"), checked("__val", n.expr, n.cell, loop_k)))
                if n.name not in names:
                    names.append(n.name)
        if run:
            out.append(row_call(run, names, loop_ks))
        if scoped and sets:
            return [nodes.Scope(out)]
        return out

    tree = nodes.Template(block(ts.program, [], (), False))
    tree.set_environment(env)
    for n in tree.find_all(nodes.Node):
        if getattr(n, "lineno", None) is None:
            n.lineno = 1
    tree.lineno = 1
    code = env.compile(tree, name=f"<row program of {ts.name}>")
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    return RowProgram(template, sites, loops, cells)


__all__ = ["RowProgram", "compile_program"]
