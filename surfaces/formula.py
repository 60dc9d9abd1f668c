"""A surface from a typed formula, safely and at a bounded cost.

The text is parsed with Python's `ast` into a whitelist of nodes (numbers, the two
variables, + - * / ** ^, unary minus and plus, calls of a fixed list of functions,
the constants pi and e), and only that tree is turned into a SymPy expression,
node by node. Raw text never reaches eval, exec, sympify or parse_expr.

Cost is bounded three times. Before the text leaves the server, a screen computes
the syntax tree in floats at a few points of the plot (`screen`, no SymPy): a power
of parts that are constant there, even written with variables that cancel
((x2-x2+7)^(x1-x1+999999999999)), is refused by the logarithm of its size. While
reading, every constant part is also computed as a float, including the parts
SymPy makes constant by cancelling variables, so a constant beyond float64's range
(3^64^64^…, 1e12^64) is refused before SymPy would compute it exactly, and exact
numbers that grow too long become floats. And all SymPy work on user text (parsing, the gradient, LaTeX and
the NumPy code lambdify prints) runs in a worker process with a time limit
(`surfaces.sandbox`), so no formula can hold the server. The worker also checks
the compiled f and ∇f on a grid over the plot: a formula that is nowhere finite,
or whose gradient is undefined where f is defined, is refused with its reason.

Every refusal is a `FormulaError` with a `reason` (a key of `MESSAGES`, which the
UI's string tables translate) and the `details` its message needs: numbers, the
user's own text, lists and keys (of `CONSTRUCTS`), never English prose, so that the
message can be said in any language.
"""

from __future__ import annotations

import ast
import functools
import math
import re

import numpy as np

from . import sandbox
from .surface import Surface

MAX_LENGTH = 200
MAX_DEPTH = 24  # of nesting (brackets, calls, powers); a flat sum or product does not nest
MAX_NODES = 120  # numbers, names, operators and calls
MAX_OPERATIONS = 150  # NumPy operations in the compiled f and ∇f together (about 0.5 ms each on 40,000 points)
MAX_EXPONENT = 64  # |constant exponent| of a variable
MAX_NUMBER = 1e12  # |number literal|
FLOAT_LIMIT = 300  # |log10| of any constant part: float64 reaches about 1e308
EXACT_BITS = 200  # exact rationals longer than this become floats
DEFAULT_BOUNDS = ((-5.0, 5.0), (-5.0, 5.0))
BOUND_LIMIT = 1e4
PROBE = 64  # the grid (PROBE × PROBE) on which the compiled f and ∇f are checked
OFF_GRID = 0.4142  # a share of a probe cell, far from the round numbers
BUDGET = 2.0  # seconds of worker time for one formula

FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh", "arctan")
VARIABLE_NAMES = {"x1": "x1", "x2": "x2", "x": "x1", "y": "x2"}

MESSAGES = {
    "not_text": "the formula must be text",
    "too_long": "the formula is longer than {limit} characters",
    "empty": "the formula is empty",
    "bad_character": "the character {char!r} is not allowed (column {column})",
    "too_deep": "the formula is nested too deeply at column {column} (at most {limit} levels of brackets, calls "
    "and powers)",
    "too_many_parts": "the formula has too many parts (more than {limit} numbers, names and operations)",
    "too_costly": "f and its gradient together take {count} operations per point, more than the {limit} that keep "
    "the page quick; try a shorter formula",
    "syntax": "syntax error at column {column}",
    "not_a_number": "only numbers are allowed at column {column}",
    "number_too_large": "the number at column {column} is too large (at most {limit:g})",
    "unknown_name": "unknown name {name!r} at column {column}; use x1, x2 (or x, y), pi, e and the functions "
    "{functions}",
    "unknown_function": "unknown function at column {column}; use one of {functions}",
    "one_argument": "{name}() takes exactly one argument (column {column})",
    "not_allowed": "{text!r} at column {column} is not allowed: {what}",
    "exponent_too_large": "the exponent at column {column} is too large (at most {limit} for a power of a variable)",
    "constant_too_large": "the constant at column {column} is beyond the range of floating-point numbers "
    "(about 1e{limit})",
    "constant_too_small": "the constant at column {column} is closer to zero than floating-point numbers reach "
    "(about 1e-{limit})",
    "division_by_zero": "division by zero at column {column}",
    "not_real": "the constant at column {column} is not a real number",
    "complex": "the formula has complex values",
    "nowhere_finite": "f has no finite value anywhere on the plot",
    "gradient_undefined": "the gradient of f is undefined wherever f is defined on the plot",
    "too_slow": "the formula is too slow to compute (analysing it took more than {seconds:g} s); try a simpler one",
    "too_big": "the formula's numbers grow too large to compute; try smaller constants",
    "busy": "the server is busy analysing other formulas; try again in a moment",
    "unsupported": "the formula could not be analysed; try writing it another way",
    "bad_bounds": "each plot range needs min < max within ±{limit:g}",
    "bad_start": "the start must be a finite point within ±{limit:g}",
}

# a refused construct is named by a key (translated by the UI's tables), in English here
CONSTRUCTS = {
    "attribute": "attribute access", "indexing": "indexing", "lambda": "lambda", "comprehension": "a comprehension",
    "assignment": "assignment (:=)", "conditional": "if/else", "comparison": "a comparison", "logic": "and/or",
    "tuple": "a tuple", "list": "a list", "dict": "a dict", "set": "a set", "starred": "*", "string": "a string",
    "operator": "this operator", "call": "this call", "other": "this construct",
}
_NOT_ALLOWED = {
    ast.Attribute: "attribute", ast.Subscript: "indexing", ast.Lambda: "lambda", ast.ListComp: "comprehension",
    ast.GeneratorExp: "comprehension", ast.SetComp: "comprehension", ast.DictComp: "comprehension",
    ast.NamedExpr: "assignment", ast.IfExp: "conditional", ast.Compare: "comparison", ast.BoolOp: "logic",
    ast.Tuple: "tuple", ast.List: "list", ast.Dict: "dict", ast.Set: "set", ast.Starred: "starred",
    ast.JoinedStr: "string", ast.BinOp: "operator", ast.UnaryOp: "operator", ast.Call: "call",
}
_FLOAT_FUNCTIONS = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "exp": math.exp, "log": math.log, "sqrt": math.sqrt,
    "abs": abs, "tanh": math.tanh, "sinh": math.sinh, "cosh": math.cosh, "arctan": math.atan,
}


class FormulaError(ValueError):
    """A refused formula: `reason` names what is wrong, `details` fill in its message."""

    def __init__(self, reason: str, details: dict | None = None):
        super().__init__(reason, dict(details or {}))
        self.reason, self.details = reason, dict(details or {})

    def __str__(self) -> str:
        return MESSAGES[self.reason].format(**english(self.details))


def english(details: dict) -> dict:
    """The details as the English message says them: a list joined by commas, a construct by its name.
    (The UI's tables say them in the page's language: ui.i18n.explain.)"""
    return {name: ", ".join(value) if isinstance(value, (list, tuple))
            else CONSTRUCTS.get(value, value) if name == "what" else value
            for name, value in details.items()}


# --- reading the text: runs in the worker -----------------------------------------------


class _Reader:
    """Turns the whitelisted syntax tree into SymPy. Each part comes back with its float
    value when it is a constant (None when it depends on x1 or x2), which bounds the
    constant arithmetic before SymPy does it exactly."""

    def __init__(self, text: str, columns: list[int]):
        import sympy as sp

        self.sp, self.text, self.columns = sp, text, columns
        self.x1, self.x2 = _symbols()
        self.nodes = 0

    def fail(self, reason: str, node=None, **details):
        if node is not None:
            details["column"] = _column(self.columns, node)
        raise FormulaError(reason, details)

    def read(self, node, depth: int = 0):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail("too_many_parts", limit=MAX_NODES)
        if depth > MAX_DEPTH:
            self.fail("too_deep", node, limit=MAX_DEPTH)
        expr, value = self._read(node, depth)
        if value is None and not expr.free_symbols:  # SymPy cancelled the variables: x2 - x2 + 7 is 7
            value = self._value(expr, node)
        if value is not None:
            if not math.isfinite(value) or (value and abs(math.log10(abs(value))) > FLOAT_LIMIT):
                self.fail("constant_too_large" if not math.isfinite(value) or abs(value) > 1 else "constant_too_small",
                          node, limit=FLOAT_LIMIT)
        return self._settle(expr, value), value

    def _read(self, node, depth):
        sp = self.sp
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail("not_a_number", node)
            if not abs(value) <= MAX_NUMBER:
                self.fail("number_too_large", node, limit=MAX_NUMBER)
            return (sp.Integer(value) if isinstance(value, int) else sp.Float(value)), float(value)
        if isinstance(node, ast.Name):
            if node.id in VARIABLE_NAMES:
                return (self.x1 if VARIABLE_NAMES[node.id] == "x1" else self.x2), None
            if node.id == "pi":
                return sp.pi, math.pi
            if node.id == "e":
                return sp.E, math.e
            self.fail("unknown_name", node, name=node.id[:20], functions=FUNCTIONS)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner, value = self.read(node.operand, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return inner, value
            return -inner, (None if value is None else -value)
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            if isinstance(node.op, ast.Pow):
                return self.power(node, depth)
            return self.arithmetic(node, depth)
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name not in FUNCTIONS:
                self.fail("unknown_function", node, functions=FUNCTIONS)
            if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                self.fail("one_argument", node, name=name)
            arg, value = self.read(node.args[0], depth + 1)
            if value is not None:
                try:
                    value = float(_FLOAT_FUNCTIONS[name](value))
                except OverflowError:
                    self.fail("constant_too_large", node, limit=FLOAT_LIMIT)
                except (ValueError, ZeroDivisionError):
                    self.fail("not_real", node)
            function = {"abs": sp.Abs, "arctan": sp.atan}.get(name) or getattr(sp, name)
            return function(arg), value
        segment = (ast.get_source_segment(self.text, node) or "")[:20]
        self.fail("not_allowed", node, text=segment, what=_NOT_ALLOWED.get(type(node), "other"))

    def arithmetic(self, node, depth):
        sp = self.sp
        family = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (ast.Mult, ast.Div)
        # a chain a + b + c nests only in the syntax tree: it costs no depth
        chained = isinstance(node.left, ast.BinOp) and isinstance(node.left.op, family)
        (left, a), (right, b) = self.read(node.left, depth if chained else depth + 1), self.read(node.right, depth + 1)
        both = a is not None and b is not None
        if isinstance(node.op, ast.Add):
            return sp.Add(left, right), (a + b if both else None)
        if isinstance(node.op, ast.Sub):
            return sp.Add(left, -right), (a - b if both else None)
        if isinstance(node.op, ast.Div) and b == 0:
            self.fail("division_by_zero", node)
        if not both:
            return (sp.Mul(left, right) if isinstance(node.op, ast.Mult) else sp.Mul(left, sp.Pow(right, -1))), None
        sign = 1 if isinstance(node.op, ast.Mult) else -1
        size = math.log10(abs(a)) + sign * math.log10(abs(b)) if a and b else 0.0
        if abs(size) > FLOAT_LIMIT:  # in logarithms: a float product would overflow silently
            self.fail("constant_too_large" if size > 0 else "constant_too_small", node, limit=FLOAT_LIMIT)
        if isinstance(node.op, ast.Mult):
            return sp.Mul(left, right), a * b
        return sp.Mul(left, sp.Pow(right, -1)), a / b

    def power(self, node, depth):
        sp = self.sp
        base, b = self.read(node.left, depth + 1)
        exponent, p = self.read(node.right, depth + 1)
        if p is not None and b is None and not abs(p) <= MAX_EXPONENT:
            self.fail("exponent_too_large", node, limit=MAX_EXPONENT)
        if p is None or b is None:
            return sp.Pow(base, exponent), None
        if b == 0:
            if p < 0:
                self.fail("division_by_zero", node)
            return sp.Pow(base, exponent), (1.0 if p == 0 else 0.0)
        if b < 0 and not float(p).is_integer():
            self.fail("not_real", node)
        size = p * math.log10(abs(b))  # log10 of the result, before computing it
        if abs(size) > FLOAT_LIMIT:
            self.fail("constant_too_large" if size > 0 else "constant_too_small", node, limit=FLOAT_LIMIT)
        value = math.copysign(abs(b) ** p, -1.0 if b < 0 and int(p) % 2 else 1.0)
        if exponent.is_Integer and _exact_bits(base) * abs(int(exponent)) > EXACT_BITS:
            return sp.Float(value), value  # the exact power would be a very long number
        return sp.Pow(base, exponent), value

    def _value(self, expr, node):
        """The float value of a part that SymPy made constant although it was written with
        x1 or x2 (x2 - x2 + 7, x1/x1): it is bounded like any other constant from here on."""
        sp = self.sp
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            self.fail("division_by_zero", node)
        try:
            value = complex(expr if expr.is_Number else expr.evalf(20))
        except OverflowError:  # an exact integer beyond float's range
            self.fail("constant_too_large", node, limit=FLOAT_LIMIT)
        except (TypeError, ValueError):  # not a number SymPy can evaluate: left as a variable part
            return None
        if value.imag and not math.isnan(value.imag):
            self.fail("not_real", node)
        return value.real

    def _settle(self, expr, value):
        """Exact numbers grown too long become floats (SymPy would print thousands of digits)."""
        if value is not None and _exact_bits(expr) > EXACT_BITS:
            return self.sp.Float(value)
        big = {r: self.sp.Float(r) for r in expr.atoms(self.sp.Rational) if _bits(r) > EXACT_BITS}
        return expr.xreplace(big) if big else expr


def _symbols():
    import sympy as sp

    return sp.Symbol("x1", real=True), sp.Symbol("x2", real=True)


def _bits(r) -> int:
    return int(r.p).bit_length() + int(r.q).bit_length()


def _exact_bits(expr) -> int:
    import sympy as sp

    return sum(_bits(r) for r in expr.atoms(sp.Rational))


def _tree(text: str):
    """The checks of the text and its syntax tree, without SymPy (the server runs them too):
    the tree's body, the text it was read from ('^' written as '**') and, for each of its
    characters, the user's column."""
    if not isinstance(text, str):
        raise FormulaError("not_text")
    if len(text) > MAX_LENGTH:
        raise FormulaError("too_long", {"limit": MAX_LENGTH})
    if not text.strip():
        raise FormulaError("empty")
    bad = re.search(r"[^0-9A-Za-z_+\-*/^(). \t]", text)
    if bad:
        raise FormulaError("bad_character", {"char": bad.group(), "column": bad.start() + 1})
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth > MAX_DEPTH:
            raise FormulaError("too_deep", {"column": i + 1, "limit": MAX_DEPTH})
    # '^' means power, as on slides; map columns of the rewritten text back to the user's
    columns, rewritten = [], []
    for i, ch in enumerate(text):
        rewritten.append("**" if ch == "^" else ch)
        columns.extend([i, i] if ch == "^" else [i])
    columns.append(len(text))
    source = "".join(rewritten)
    leading = len(source) - len(source.lstrip())
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        if not err.offset:  # the text ended where more was needed ('x1**'): the column after its last character
            raise FormulaError("syntax", {"column": len(text.rstrip()) + 1}) from None
        col = columns[min(leading + err.offset - 1, len(columns) - 1)]
        raise FormulaError("syntax", {"column": col + 1}) from None
    except (RecursionError, MemoryError):
        raise FormulaError("too_deep", {"column": 1, "limit": MAX_DEPTH}) from None
    return tree.body, source.strip(), columns[leading:]


def _column(columns: list[int], node) -> int:
    """The user's column (from 1) of a node of the tree `_tree` read."""
    return columns[min(getattr(node, "col_offset", 0), len(columns) - 1)] + 1


def parse_formula(text: str):
    """The SymPy expression of `text`, or FormulaError saying what is wrong and where.

    Call it in a worker (as `compile_formula` is): it bounds constant arithmetic, but
    SymPy's own work on an accepted expression is not bounded here."""
    import sympy as sp

    body, source, columns = _tree(text)
    expr, _ = _Reader(source, columns).read(body)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise FormulaError("division_by_zero", {"column": 1})
    if expr.has(sp.I):
        raise FormulaError("complex")
    return expr


def compile_formula(text: str, bounds) -> dict:
    """Everything the app needs from a formula, as plain data (it crosses a process
    boundary): the LaTeX of f and ∇f, and the NumPy source of f and of ∇f.
    Raises FormulaError. Runs in the worker."""
    try:
        return _compile(text, bounds)
    except (OverflowError, MemoryError):
        raise FormulaError("too_big") from None
    except ValueError as err:  # Python's limit on the digits of an int (4,300) met in SymPy's printing
        if isinstance(err, FormulaError) or "digits" not in str(err):
            raise
        raise FormulaError("too_big") from None


def _compile(text: str, bounds) -> dict:
    import inspect

    import sympy as sp
    from sympy.printing.numpy import NumPyPrinter

    expr = parse_formula(text)
    x1, x2 = _symbols()
    gradient = [sp.diff(expr, v) for v in (x1, x2)]
    if any(g.has(sp.zoo, sp.nan) for g in gradient):
        raise FormulaError("gradient_undefined")
    printer = NumPyPrinter({"fully_qualified_modules": True})  # the code names numpy.sin, …: one global
    sources = [inspect.getsource(sp.lambdify((x1, x2), _floats(e), modules="numpy", printer=printer, cse=True))
               for e in (expr, gradient)]
    count = sum(operations(source) for source in sources)
    if count > MAX_OPERATIONS:  # the cost of every evaluation: a map evaluates ∇f millions of times
        raise FormulaError("too_costly", {"count": count, "limit": MAX_OPERATIONS})
    f, grad = _function(sources[0]), _function(sources[1])
    _probe(f, grad, _check_bounds(bounds))
    poles = _poles(expr)
    return {
        "poles_latex": [_latex(p) for p in poles],
        "poles_source": inspect.getsource(sp.lambdify((x1, x2), _floats(poles), modules="numpy", printer=printer))
        if poles else "",
        "latex": "f(x) = " + _latex(expr),
        "gradient_latex": r"\nabla f = \left(" + ",\\; ".join(_latex(g) for g in gradient) + r"\right)",
        "f_source": sources[0],
        "grad_source": sources[1],
        "code": torch_code(sp.pycode(expr, fully_qualified_modules=True)),
    }


def _latex(expr) -> str:
    import sympy as sp

    return sp.latex(expr).replace("x_{1}", "x_1").replace("x_{2}", "x_2")


def _poles(expr) -> list:
    """Where f goes to ±∞, as expressions that change sign there: the factors of its denominator (1/x1: x1;
    tan(x1): cos(x1)). A step from one side to the other jumps over the pole."""
    import sympy as sp

    x1, x2 = _symbols()
    denominator = sp.fraction(sp.together(expr.replace(sp.tan, lambda a: sp.sin(a) / sp.cos(a))))[1]
    try:
        factors = [factor for factor, power in sp.factor_list(denominator, x1, x2)[1]]
    except sp.PolynomialError:
        factors = [denominator]
    return sorted({f for f in factors if f.free_symbols}, key=sp.default_sort_key)


def torch_code(python: str) -> str:
    """SymPy's Python code of f with math's functions as torch's (its constants stay math's)."""
    import re

    return re.sub(r"\bmath\.(?!pi\b|e\b)", "torch.", python)


def operations(source: str) -> int:
    """The arithmetic operations and calls in compiled code: its cost per point, up to a constant
    (common subexpressions are computed once, as lambdify(cse=True) writes them)."""
    import ast

    return sum(isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)) for node in ast.walk(ast.parse(source)))


def _floats(expr):
    """Exact numbers too large for float64's integers become floats, so NumPy never
    meets a Python int it cannot convert (8**28 would be an object array)."""
    import sympy as sp

    if isinstance(expr, list):
        return [_floats(e) for e in expr]
    big = {r: sp.Float(r) for r in expr.atoms(sp.Rational) if max(abs(r.p), abs(r.q)) > 2**53}
    return expr.xreplace(big) if big else expr


def _probe(f, grad, bounds) -> None:
    """Refuse a formula that is nowhere finite on the plot, or whose gradient is
    undefined (at most of the points) where f is defined."""
    (a, b), (c, d) = bounds
    x1, x2 = np.meshgrid(np.linspace(a, b, PROBE), np.linspace(c, d, PROBE))
    # and a grid off the round numbers: (−1e-250)^x1 is finite only where x1 is a whole number
    u1, u2 = np.meshgrid(np.linspace(a, b, PROBE) + OFF_GRID * (b - a) / PROBE,
                         np.linspace(c, d, PROBE) + OFF_GRID * (d - c) / PROBE)
    with np.errstate(all="ignore"):
        defined = np.isfinite(_real(f(x1, x2), x1, x2))
        off_grid = np.isfinite(_real(f(u1, u2), u1, u2))[:-1, :-1]  # the last row and column are past b, d
        g1, g2 = grad(x1, x2)
        smooth = defined & np.isfinite(_real(g1, x1, x2)) & np.isfinite(_real(g2, x1, x2))
    if not defined.any() or not off_grid.any():
        raise FormulaError("nowhere_finite")
    if smooth.sum() < 0.5 * defined.sum():
        raise FormulaError("gradient_undefined")


def warm_up() -> None:
    """Called once when a worker starts: the first SymPy call pays for its imports."""
    compile_formula("sin(x1)*x2^2 + 1", DEFAULT_BOUNDS)


# --- the server's side -------------------------------------------------------------------


def _function(source: str):
    """The function lambdify printed. Its code comes from SymPy's printer over the
    whitelisted tree (numbers, x1, x2, numpy.* calls): it is what lambdify itself
    would exec, done here so that no SymPy work happens in the server."""
    namespace = {"numpy": np}
    exec(compile(source, "<formula>", "exec"), namespace)  # noqa: S102 - see the docstring
    return namespace["_lambdifygenerated"]


class _Unsure(Exception):
    """The screen leaves this formula to the worker (which names the problem, if any)."""


_NUMPY_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "arctan": np.arctan,
}


class _Screen:
    """The server's quick look at the syntax tree before the worker, without SymPy.

    SymPy cancels variables as it builds an expression (x2 - x2 + 7 is 7, x1/x1 is 1), so
    a power written with them can still be a power of numbers, which SymPy would compute
    exactly: (x2-x2+7)^(x1-x1+999999999999) never ends. Here every part is computed in
    floats at a few points of the plot; a part with the same value at all of them is taken
    for a constant, and a power of constants is bounded by the logarithm of its size
    before it is computed, as the worker's reader bounds a power of literal numbers. A part
    the worker would refuse for another reason (an unknown name, log of a negative
    constant, …) stops the screen: the worker names it."""

    SAMPLES = 16
    SAME = 1e-9  # relative spread of the values below which a part counts as constant

    def __init__(self, columns: list[int], bounds):
        (a, b), (c, d) = bounds
        k = np.arange(1, self.SAMPLES + 1)
        # points spread over the plot and off its round numbers (sin(pi*x1) is 0 at whole x1)
        self.x1 = a + (b - a) * np.modf(k * 0.6180339887498949)[0]
        self.x2 = c + (d - c) * np.modf(k * 0.4142135623730951 + 0.0381)[0]
        self.columns, self.nodes = columns, 0

    def fail(self, reason: str, node, **details):
        raise FormulaError(reason, {"column": _column(self.columns, node), **details})

    def read(self, node, depth: int = 0):
        """The values of `node` at the sample points and, when it is constant, its value."""
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _Unsure
        values, parts = self._read(node, depth)
        value = self.constant(values)
        if parts and all(part is not None for part in parts) and value is None:
            raise _Unsure  # a constant operation with no finite value: 1/0, log(-1), exp(1e6)
        return values, value

    def constant(self, values):
        finite = values[np.isfinite(values)]
        if finite.size < 2:
            return None
        high, low = finite.max(), finite.min()
        return float(finite[0]) if high - low <= self.SAME * max(abs(high), abs(low)) else None

    def _read(self, node, depth):
        """The values of `node`, and the constant values of its parts (None for a leaf)."""
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= MAX_NUMBER:
                raise _Unsure
            return np.full(self.SAMPLES, float(value)), None
        if isinstance(node, ast.Name):
            named = {"x1": self.x1, "x2": self.x2, "x": self.x1, "y": self.x2}.get(node.id)
            if named is None and node.id not in ("pi", "e"):
                raise _Unsure
            return (named if named is not None else np.full(self.SAMPLES, math.pi if node.id == "pi" else math.e)), None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            values, value = self.read(node.operand, depth + 1)
            return (-values if isinstance(node.op, ast.USub) else values), [value]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            return self.power(node, depth)
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div):
            family = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (ast.Mult, ast.Div)
            chained = isinstance(node.left, ast.BinOp) and isinstance(node.left.op, family)  # as the reader counts
            left, a = self.read(node.left, depth if chained else depth + 1)
            right, b = self.read(node.right, depth + 1)
            operation = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
            return operation[type(node.op)](left, right), [a, b]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
            if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                raise _Unsure
            values, value = self.read(node.args[0], depth + 1)
            return _NUMPY_FUNCTIONS[node.func.id](values), [value]
        raise _Unsure

    def power(self, node, depth):
        (base, b), (exponent, p) = self.read(node.left, depth + 1), self.read(node.right, depth + 1)
        if p is not None and b is None and not abs(p) <= MAX_EXPONENT:
            self.fail("exponent_too_large", node, limit=MAX_EXPONENT)
        if p is not None and b:  # a power of numbers: its size in logarithms, before computing it
            size = p * math.log10(abs(b))
            if abs(size) > FLOAT_LIMIT:
                self.fail("constant_too_large" if size > 0 else "constant_too_small", node, limit=FLOAT_LIMIT)
        return np.power(base, exponent), [b, p]


def screen(text: str, bounds=DEFAULT_BOUNDS) -> None:
    """Refuse, in the server and in well under a millisecond, what the worker would refuse
    only after long exact arithmetic: powers of numbers beyond float's range, even when
    they are written with variables that cancel. Raises FormulaError; a formula it passes
    still goes to the worker, which checks everything (and bounds what SymPy simplifies)."""
    body, _, columns = _tree(text)
    try:
        with np.errstate(all="ignore"):
            _Screen(columns, bounds).read(body)
    except FormulaError:
        raise
    except (_Unsure, ArithmeticError, ValueError, TypeError, RecursionError):
        pass  # the worker decides


@functools.lru_cache(maxsize=256)  # refusals too: a slow formula costs its budget once
def _compiled(text: str, bounds) -> dict:
    try:
        return sandbox.call("surfaces.formula:compile_formula", text, bounds, timeout=BUDGET)
    except sandbox.Timeout:
        return {"reason": "too_slow", "details": {"seconds": BUDGET}}
    except sandbox.Failed as failed:
        if failed.name == "FormulaError":
            reason, details = failed.error_args
            return {"reason": reason, "details": details}
        return {"reason": "unsupported", "details": {}}


def from_formula(text: str, bounds=None, start=None) -> Surface:
    """A Surface from a typed formula f(x1, x2), with its SymPy gradient.

    Values are NaN where the formula is undefined (log of a negative number, say).
    Raises FormulaError with the reason when the formula is refused."""
    if not isinstance(text, str):
        raise FormulaError("not_text")
    if len(text) > MAX_LENGTH:  # before the text crosses to the worker
        raise FormulaError("too_long", {"limit": MAX_LENGTH})
    bounds = _check_bounds(DEFAULT_BOUNDS if bounds is None else bounds)
    (a, b), (c, d) = bounds
    chosen = start is not None
    start = _check_start((a + 0.2 * (b - a), c + 0.8 * (d - c)) if start is None else start)
    screen(text, bounds)  # before the worker and its cache: quick refusals cost no worker time
    try:
        compiled = _compiled(text, bounds)
    except sandbox.Busy:
        raise FormulaError("busy") from None
    if "reason" in compiled:
        raise FormulaError(compiled["reason"], compiled["details"])
    f_num, grad_num = _function(compiled["f_source"]), _function(compiled["grad_source"])

    def f(x1, x2):
        x1, x2 = np.asarray(x1, float), np.asarray(x2, float)  # NumPy semantics: 1/0 is inf, not an error
        with np.errstate(all="ignore"):
            return _real(f_num(x1, x2), x1, x2)

    def grad(x1, x2):
        """∇f, NaN where f itself is undefined (log(x1) at x1 < 0: 1/x1 exists, f does not)."""
        x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
        with np.errstate(all="ignore"):
            g1, g2 = grad_num(x1, x2)
            undefined = np.isnan(_real(f_num(x1, x2), x1, x2))
            return np.where(undefined, np.nan, _real(g1, x1, x2)), np.where(undefined, np.nan, _real(g2, x1, x2))

    if not chosen:
        start = _defined_start(f, grad, bounds, start)
    poles = _function(compiled["poles_source"]) if compiled.get("poles_source") else None
    return Surface("custom", text, f, grad, latex=compiled["latex"], bounds=bounds, start=start,
                   source="typed by the user", code=compiled["code"],
                   extra={"gradient_latex": compiled["gradient_latex"], "formula": text,
                          "poles": (poles, compiled.get("poles_latex", []))})


def jump_over_pole(surface: Surface, points: np.ndarray) -> tuple[int, str] | None:
    """The first epoch whose step jumped over a pole of a typed f (1/x1: from x1 < 0 to x1 > 0), and the pole
    as LaTeX ("x_1 = 0"); None if no step did. The gradient on one side says nothing of the other."""
    poles, names = surface.extra.get("poles", (None, []))
    if poles is None or len(points) < 2:
        return None
    with np.errstate(all="ignore"):
        values = np.array([_real(v, points[:, 0], points[:, 1]) for v in poles(points[:, 0], points[:, 1])])
        crossed = (values[:, 1:] * values[:, :-1] < 0).any(axis=0)  # a sign change: NaN never counts
    if not crossed.any():
        return None
    epoch = int(np.argmax(crossed)) + 1
    which = int(np.argmax(values[:, epoch] * values[:, epoch - 1] < 0))
    return epoch, f"{names[which]} = 0"


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
        raise FormulaError("bad_bounds", {"limit": BOUND_LIMIT}) from None
    for lo, hi in ((a, b), (c, d)):
        if not (-BOUND_LIMIT <= lo < hi <= BOUND_LIMIT):
            raise FormulaError("bad_bounds", {"limit": BOUND_LIMIT})
    return (a, b), (c, d)


def _defined_start(f, grad, bounds, preferred, size: int = 41):
    """The point nearest to `preferred`, on a grid over the plot, where f and ∇f are finite
    (log(x1) has no value at the usual start, left of the plot's middle)."""
    (a, b), (c, d) = bounds
    x1, x2 = (v.ravel() for v in np.meshgrid(np.linspace(a, b, size), np.linspace(c, d, size)))
    x1, x2 = np.append(preferred[0], x1), np.append(preferred[1], x2)
    g1, g2 = grad(x1, x2)
    finite = np.isfinite(f(x1, x2)) & np.isfinite(g1) & np.isfinite(g2)
    if not finite.any():  # the probe found f finite somewhere on a finer grid; keep the usual start
        return preferred
    far = np.hypot((x1 - preferred[0]) / (b - a), (x2 - preferred[1]) / (d - c))
    best = int(np.argmin(np.where(finite, far, np.inf)))
    return float(round(x1[best], 4)), float(round(x2[best], 4))


def _check_start(start):
    try:
        x1, x2 = (float(v) for v in start)
    except (TypeError, ValueError):
        raise FormulaError("bad_start", {"limit": BOUND_LIMIT}) from None
    if not (np.isfinite([x1, x2]).all() and max(abs(x1), abs(x2)) <= BOUND_LIMIT):
        raise FormulaError("bad_start", {"limit": BOUND_LIMIT})
    return x1, x2
