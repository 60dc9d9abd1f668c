"""A surface from a typed formula, safely.

The text is parsed with Python's `ast` into a whitelist of nodes (numbers, the two
variables, + - * / ** ^, unary minus and plus, calls of a fixed list of functions,
the constants pi and e), and only that tree is turned into a SymPy expression,
node by node. Raw text never reaches eval, exec, sympify or parse_expr. SymPy
gives the gradient, the LaTeX and NumPy functions (lambdify, from the expression
it built, not from the user's text).
"""

from __future__ import annotations

import ast
import re

import numpy as np
import sympy as sp

from .surface import Surface

MAX_LENGTH = 200
MAX_DEPTH = 24  # of the syntax tree, and of brackets before parsing
MAX_NODES = 120
MAX_EXPONENT = 64  # |constant exponent|
MAX_NUMBER = 1e12  # |number literal|
DEFAULT_BOUNDS = ((-5.0, 5.0), (-5.0, 5.0))
BOUND_LIMIT = 1e4
GRID_FOR_FLOOR = 120

X1, X2 = sp.symbols("x1 x2", real=True)
VARIABLES = {"x1": X1, "x2": X2, "x": X1, "y": X2}
CONSTANTS = {"pi": sp.pi, "e": sp.E}
FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt,
    "abs": sp.Abs, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "arctan": sp.atan,
}
_BINARY = {ast.Add: sp.Add, ast.Mult: sp.Mul}


class _Reader:
    """Turns the whitelisted syntax tree into SymPy, naming the column of any problem."""

    def __init__(self, columns: list[int]):
        self.columns = columns  # column in the parsed text -> column in the user's text
        self.nodes = 0

    def where(self, node) -> str:
        col = getattr(node, "col_offset", 0)
        return f"at column {self.columns[min(col, len(self.columns) - 1)] + 1}"

    def read(self, node, depth: int = 0):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ValueError(f"formula has too many parts (more than {MAX_NODES})")
        if depth > MAX_DEPTH:
            raise ValueError(f"formula is nested too deeply {self.where(node)}")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"only numbers are allowed, not {type(value).__name__} {self.where(node)}")
            if not abs(value) <= MAX_NUMBER:
                raise ValueError(f"number too large {self.where(node)} (at most {MAX_NUMBER:g})")
            return sp.Integer(value) if isinstance(value, int) else sp.Float(value)
        if isinstance(node, ast.Name):
            if node.id in VARIABLES:
                return VARIABLES[node.id]
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            raise ValueError(f"unknown name {node.id[:20]!r} {self.where(node)}; use x1, x2 (or x, y), pi, e "
                             f"and the functions {', '.join(FUNCTIONS)}")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.read(node.operand, depth + 1)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            if isinstance(node.op, ast.Pow):
                return self.power(node, depth)
            left, right = self.read(node.left, depth + 1), self.read(node.right, depth + 1)
            if isinstance(node.op, ast.Sub):
                return sp.Add(left, -right)
            if isinstance(node.op, ast.Div):
                if right == 0:
                    raise ValueError(f"division by zero {self.where(node)}")
                return sp.Mul(left, sp.Pow(right, -1))
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name not in FUNCTIONS:
                raise ValueError(f"unknown function {self.where(node)}; use one of {', '.join(FUNCTIONS)}")
            if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                raise ValueError(f"{name}() takes exactly one argument {self.where(node)}")
            return FUNCTIONS[name](self.read(node.args[0], depth + 1))
        raise ValueError(f"{_describe(node)} is not allowed {self.where(node)}")

    def power(self, node, depth):
        base = self.read(node.left, depth + 1)
        exponent = self.read(node.right, depth + 1)
        if not exponent.free_symbols:
            try:
                value = complex(exponent.evalf(15))
            except (OverflowError, TypeError, ValueError):
                value = None
            if value is None or value.imag or not abs(value.real) <= MAX_EXPONENT:
                raise ValueError(f"exponent too large {self.where(node)} (at most {MAX_EXPONENT} for a constant)")
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise ValueError(f"division by zero {self.where(node)}")
        return sp.Pow(base, exponent)


def _describe(node) -> str:
    names = {ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.Lambda: "lambda",
             ast.ListComp: "a comprehension", ast.GeneratorExp: "a comprehension", ast.SetComp: "a comprehension",
             ast.DictComp: "a comprehension", ast.NamedExpr: "assignment (:=)", ast.IfExp: "if/else",
             ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.Tuple: "a tuple", ast.List: "a list",
             ast.Dict: "a dict", ast.Set: "a set", ast.Starred: "*", ast.JoinedStr: "a string"}
    if isinstance(node, ast.BinOp):
        return f"the operator {type(node.op).__name__}"
    if isinstance(node, ast.UnaryOp):
        return f"the operator {type(node.op).__name__}"
    return names.get(type(node), type(node).__name__)


def parse_formula(text: str) -> sp.Expr:
    """The SymPy expression of `text`, or ValueError saying what is wrong and where."""
    if not isinstance(text, str):
        raise ValueError("the formula must be text")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"formula longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ValueError("the formula is empty")
    bad = re.search(r"[^0-9A-Za-z_+\-*/^(). \t]", text)
    if bad:
        raise ValueError(f"character {bad.group()!r} is not allowed at column {bad.start() + 1}")
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth > MAX_DEPTH:
            raise ValueError(f"formula is nested too deeply at column {i + 1}")
    # '^' means power, as on slides; map columns of the rewritten text back to the user's
    columns, rewritten = [], []
    for i, ch in enumerate(text):
        rewritten.append("**" if ch == "^" else ch)
        columns.extend([i, i] if ch == "^" else [i])
    columns.append(len(text))
    try:
        tree = ast.parse("".join(rewritten).strip(), mode="eval")
    except SyntaxError as err:
        col = columns[min(max((err.offset or 1) - 1, 0), len(columns) - 1)]
        raise ValueError(f"syntax error at column {col + 1}") from None
    except (RecursionError, MemoryError):
        raise ValueError("formula is nested too deeply") from None
    leading = len(text) - len(text.lstrip())
    expr = _Reader([c for c in columns[leading:]]).read(tree.body)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ValueError("the formula divides by zero or is infinite")
    if expr.has(sp.I):
        raise ValueError("the formula has complex values")
    return expr


def from_formula(text: str, bounds=None, start=None) -> Surface:
    """A Surface from a typed formula f(x1, x2), with its SymPy gradient.

    Values are NaN where the formula is undefined (log of a negative number, say)."""
    expr = parse_formula(text)
    bounds = _check_bounds(DEFAULT_BOUNDS if bounds is None else bounds)
    (a, b), (c, d) = bounds
    start = _check_start((a + 0.2 * (b - a), c + 0.8 * (d - c)) if start is None else start)
    gradient = [sp.diff(expr, v) for v in (X1, X2)]
    f_num, *grad_num = (sp.lambdify((X1, X2), _floats(e), modules="numpy") for e in (expr, *gradient))

    def f(x1, x2):
        with np.errstate(all="ignore"):
            return _real(f_num(x1, x2), x1, x2)

    def grad(x1, x2):
        with np.errstate(all="ignore"):
            return _real(grad_num[0](x1, x2), x1, x2), _real(grad_num[1](x1, x2), x1, x2)

    latex = "f(x) = " + sp.latex(expr).replace("x_{1}", "x_1").replace("x_{2}", "x_2")
    grad_latex = r"\nabla f = \left(" + ",\\; ".join(sp.latex(g) for g in gradient) + r"\right)"
    return Surface("custom", text, f, grad, latex=latex, bounds=bounds, start=start, source="typed by the user",
                   extra={"gradient_latex": grad_latex, "formula": text})


def _floats(expr: sp.Expr) -> sp.Expr:
    """Exact numbers too large for float64's integers become floats, so NumPy never
    meets a Python int it cannot convert (8**28 would be an object array)."""
    big = {r: sp.Float(r) for r in expr.atoms(sp.Rational) if max(abs(r.p), abs(r.q)) > 2**53}
    return expr.xreplace(big) if big else expr


def _real(values, x1, x2):
    """Float arrays with the inputs' broadcast shape (constants come back as scalars)."""
    values = np.asarray(values)
    if np.iscomplexobj(values):
        values = np.where(values.imag == 0, values.real, np.nan)
    return np.broadcast_to(values.astype(float), np.broadcast_shapes(np.shape(x1), np.shape(x2)))


def _check_bounds(bounds):
    try:
        (a, b), (c, d) = ((float(a), float(b)) for a, b in bounds)
    except (TypeError, ValueError):
        raise ValueError("bounds must be ((x1 min, x1 max), (x2 min, x2 max))") from None
    for lo, hi in ((a, b), (c, d)):
        if not (-BOUND_LIMIT <= lo < hi <= BOUND_LIMIT):
            raise ValueError(f"each bound needs min < max within ±{BOUND_LIMIT:g}")
    return (a, b), (c, d)


def _check_start(start):
    try:
        x1, x2 = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError("start must be a point (x1, x2)") from None
    if not (np.isfinite([x1, x2]).all() and max(abs(x1), abs(x2)) <= BOUND_LIMIT):
        raise ValueError(f"start must be finite and within ±{BOUND_LIMIT:g}")
    return x1, x2
