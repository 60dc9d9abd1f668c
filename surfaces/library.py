"""The built-in surfaces, each with its analytic gradient, minima and source.

In the manner of scipy's `rosen`/`rosen_der` and its global-optimization benchmarks:
every function broadcasts over arrays and states its range, minima and origin.
Minima that have no closed form were found with SymPy's `nsolve` at 30 digits.
"""

from __future__ import annotations

import numpy as np

from .regression import regression_surface
from .surface import Surface

# --- quadratics ------------------------------------------------------------------------


def _quadratic(a: float, b: float) -> dict:
    """f = a·x1² + b·x2², Hessian diag(2a, 2b)."""
    diagonal = np.array([[2 * a], [2 * b]])

    def f(x1, x2):
        return a * x1**2 + b * x2**2

    def grad(x1, x2):
        return 2 * a * x1, 2 * b * x2

    def stacked_grad(x):
        return diagonal * x  # one pass instead of two products and two copies

    return dict(f=f, grad=grad, stacked_grad=stacked_grad, hessian_eigenvalues=(2 * a, 2 * b),
                code=f"{a!r} * x1**2 + {b!r} * x2**2")


QUADRATIC = Surface(
    "quadratic",
    "Ill-conditioned quadratic 0.1·x1² + 2·x2²",
    **_quadratic(0.1, 2.0),
    latex=r"f(x) = 0.1\,x_1^2 + 2\,x_2^2",
    bounds=((-5.5, 2.5), (-3.0, 3.0)),
    start=(-5.0, -2.0),
    lr=0.4,
    minima=((0.0, 0.0),),
    source="Dive into Deep Learning §7.4 (also §7.5, §7.6)",
    words={"zh": {"name": "病态二次函数 0.1·x1² + 2·x2²"}},
)

BOWL = Surface(
    "bowl",
    "Bowl x1² + 2·x2²",
    **_quadratic(1.0, 2.0),
    latex=r"f(x) = x_1^2 + 2\,x_2^2",
    bounds=((-5.5, 2.5), (-3.0, 3.0)),
    start=(-5.0, -2.0),
    lr=0.1,
    minima=((0.0, 0.0),),
    source="Dive into Deep Learning §7.2",
    words={"zh": {"name": "碗形函数 x1² + 2·x2²"}},
)


def _ravine_f(x1, x2):
    return 0.05 * (x1 + x2) ** 2 + 2.0 * (x1 - x2) ** 2


def _ravine_grad(x1, x2):
    along, across = 0.1 * (x1 + x2), 4.0 * (x1 - x2)
    return along + across, along - across


RAVINE = Surface(
    "ravine",
    "Diagonal ravine",
    _ravine_f,
    _ravine_grad,
    latex=r"f(x) = 0.05\,(x_1 + x_2)^2 + 2\,(x_1 - x_2)^2",
    code="0.05 * (x1 + x2) ** 2 + 2.0 * (x1 - x2) ** 2",
    bounds=((-5.0, 5.0), (-5.0, 5.0)),
    start=(-4.5, -2.5),
    lr=0.1,
    minima=((0.0, 0.0),),
    hessian_eigenvalues=(0.2, 8.0),
    source="a narrow valley along the diagonal: GD zig-zags across it (seed 002, 'oscillation')",
    words={"zh": {"name": "斜向峡谷"}},
)

# --- classic test functions ----------------------------------------------------------


def _rosenbrock_f(x1, x2):
    return (1 - x1) ** 2 + 100 * (x2 - x1**2) ** 2


def _rosenbrock_grad(x1, x2):
    inner = x2 - x1**2
    return -2 * (1 - x1) - 400 * x1 * inner, 200 * inner


ROSENBROCK = Surface(
    "rosenbrock",
    "Rosenbrock's banana valley",
    _rosenbrock_f,
    _rosenbrock_grad,
    latex=r"f(x) = (1 - x_1)^2 + 100\,(x_2 - x_1^2)^2",
    code="(1 - x1) ** 2 + 100 * (x2 - x1**2) ** 2",
    bounds=((-2.0, 2.0), (-1.0, 3.0)),
    start=(-1.2, 1.0),
    lr=0.002,
    minima=((1.0, 1.0),),
    source="H. H. Rosenbrock (1960); scipy.optimize.rosen",
    words={"zh": {"name": "Rosenbrock 香蕉形山谷"}},
)


def _himmelblau_f(x1, x2):
    return (x1**2 + x2 - 11) ** 2 + (x1 + x2**2 - 7) ** 2


def _himmelblau_grad(x1, x2):
    a, b = x1**2 + x2 - 11, x1 + x2**2 - 7
    return 4 * x1 * a + 2 * b, 2 * a + 4 * x2 * b


HIMMELBLAU = Surface(
    "himmelblau",
    "Himmelblau (four minima)",
    _himmelblau_f,
    _himmelblau_grad,
    latex=r"f(x) = (x_1^2 + x_2 - 11)^2 + (x_1 + x_2^2 - 7)^2",
    code="(x1**2 + x2 - 11) ** 2 + (x1 + x2**2 - 7) ** 2",
    bounds=((-5.0, 5.0), (-5.0, 5.0)),
    start=(-0.5, -0.5),
    lr=0.01,
    minima=(
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.2831859912861696),
        (3.5844283403304917, -1.8481265269644036),
    ),
    source="D. M. Himmelblau, Applied Nonlinear Programming (1972)",
    words={"zh": {"name": "Himmelblau 函数（四个极小值）"}},
)


def _rastrigin_f(x1, x2):
    return 20 + x1**2 - 10 * np.cos(2 * np.pi * x1) + x2**2 - 10 * np.cos(2 * np.pi * x2)


def _rastrigin_grad(x1, x2):
    return (
        2 * x1 + 20 * np.pi * np.sin(2 * np.pi * x1),
        2 * x2 + 20 * np.pi * np.sin(2 * np.pi * x2),
    )


RASTRIGIN = Surface(
    "rastrigin",
    "Rastrigin (many local minima)",
    _rastrigin_f,
    _rastrigin_grad,
    latex=r"f(x) = 20 + \sum_{i=1}^{2} \left(x_i^2 - 10\cos 2\pi x_i\right)",
    code="20 + x1**2 - 10 * torch.cos(2 * math.pi * x1) + x2**2 - 10 * torch.cos(2 * math.pi * x2)",
    bounds=((-5.12, 5.12), (-5.12, 5.12)),
    start=(3.2, -2.7),
    lr=0.002,  # below 2/λ = 0.005 at the minima (λ ≈ 397): GD settles into the nearest one
    minima=((0.0, 0.0),),
    source="L. A. Rastrigin (1974); global minimum only, one local minimum near every integer point",
    words={"zh": {"name": "Rastrigin 函数（大量局部极小值）"}},
)


def _camel_f(x1, x2):
    return (4 - 2.1 * x1**2 + x1**4 / 3) * x1**2 + x1 * x2 + (-4 + 4 * x2**2) * x2**2


def _camel_grad(x1, x2):
    return 8 * x1 - 8.4 * x1**3 + 2 * x1**5 + x2, x1 - 8 * x2 + 16 * x2**3


_CAMEL_MINIMA = (
    (0.08984201310031806, -0.7126564030207396),
    (-1.703606714969981, 0.7960835686726251),
    (-1.6071047529201972, -0.5686514548841314),
)

CAMEL = Surface(
    "camel",
    "Six-hump camel",
    _camel_f,
    _camel_grad,
    latex=r"f(x) = \left(4 - 2.1\,x_1^2 + \tfrac{x_1^4}{3}\right) x_1^2 + x_1 x_2 + (4 x_2^2 - 4)\, x_2^2",
    code="(4 - 2.1 * x1**2 + x1**4 / 3) * x1**2 + x1 * x2 + (-4 + 4 * x2**2) * x2**2",
    bounds=((-2.0, 2.0), (-1.1, 1.1)),
    start=(-1.8, -1.0),
    # symmetric under x → −x: two global minima (f = −1.0316) and four local ones
    lr=0.05,
    minima=_CAMEL_MINIMA + tuple((-a, -b) for a, b in _CAMEL_MINIMA),
    source="L. C. W. Dixon and G. P. Szegö (1978)",
    log_contours=False,
    words={"zh": {"name": "六峰驼背函数"}},
)


def _beale_terms(x1, x2):
    return 1.5 - x1 + x1 * x2, 2.25 - x1 + x1 * x2**2, 2.625 - x1 + x1 * x2**3


def _beale_f(x1, x2):
    a, b, c = _beale_terms(x1, x2)
    return a**2 + b**2 + c**2


def _beale_grad(x1, x2):
    a, b, c = _beale_terms(x1, x2)
    return (
        2 * a * (x2 - 1) + 2 * b * (x2**2 - 1) + 2 * c * (x2**3 - 1),
        2 * a * x1 + 4 * b * x1 * x2 + 6 * c * x1 * x2**2,
    )


BEALE = Surface(
    "beale",
    "Beale",
    _beale_f,
    _beale_grad,
    latex=r"f(x) = (1.5 - x_1 + x_1 x_2)^2 + (2.25 - x_1 + x_1 x_2^2)^2 + (2.625 - x_1 + x_1 x_2^3)^2",
    code="(1.5 - x1 + x1 * x2) ** 2 + (2.25 - x1 + x1 * x2**2) ** 2 + (2.625 - x1 + x1 * x2**3) ** 2",
    bounds=((-4.5, 4.5), (-4.5, 4.5)),
    start=(1.0, 1.4),
    lr=0.01,
    minima=((3.0, 0.5),),
    source="E. M. L. Beale (1958)",
    words={"zh": {"name": "Beale 函数"}},
)

# --- the shapes the seeds talk about -------------------------------------------------------


def _saddle_f(x1, x2):
    return x1**2 - x2**2 + 0.25 * x2**4


def _saddle_grad(x1, x2):
    return 2 * x1, -2 * x2 + x2**3


SADDLE = Surface(
    "saddle",
    "Saddle point",
    _saddle_f,
    _saddle_grad,
    latex=r"f(x) = x_1^2 - x_2^2 + \tfrac14 x_2^4",
    code="x1**2 - x2**2 + 0.25 * x2**4",
    bounds=((-5.0, 5.0), (-3.0, 3.0)),
    start=(-4.5, 0.01),
    # the origin is a saddle (Hessian diag(2, −2)); the two minima lie beside it
    lr=0.1,
    minima=((0.0, np.sqrt(2.0)), (0.0, -np.sqrt(2.0))),
    source="seed 001 §7.1 and seed 002: gradients vanish at a saddle, so GD lingers there",
    log_contours=False,
    words={"zh": {"name": "鞍点"}},
)


def _plateau_f(x1, x2):
    return 1 - np.exp(-(x1**2 + x2**2) / 10)


def _plateau_grad(x1, x2):
    slope = np.exp(-(x1**2 + x2**2) / 10) / 5
    return slope * x1, slope * x2


PLATEAU = Surface(
    "plateau",
    "Plateau",
    _plateau_f,
    _plateau_grad,
    latex=r"f(x) = 1 - e^{-(x_1^2 + x_2^2)/10}",
    code="1 - torch.exp(-(x1**2 + x2**2) / 10)",
    bounds=((-8.0, 8.0), (-8.0, 8.0)),
    start=(-5.0, 4.0),
    lr=1.0,
    minima=((0.0, 0.0),),
    source="seed 002: on a plateau the gradient is almost zero; momentum keeps the ball rolling",
    words={"zh": {"name": "高原（平坦区域）"}},
)

# Two Gaussian pits on the way down a shallow valley (seed 003's picture).
_PIT_CENTRES = (-4.0, -2.5)
_PIT_DEPTH, _PIT_WIDTH = 0.25, 0.3


def _pits_f(x1, x2):
    pits = sum(np.exp(-((x1 - c) ** 2) / (2 * _PIT_WIDTH**2)) for c in _PIT_CENTRES)
    return 0.05 * x1**2 - _PIT_DEPTH * pits + x2**2


def _pits_grad(x1, x2):
    slope = sum(
        (x1 - c) / _PIT_WIDTH**2 * np.exp(-((x1 - c) ** 2) / (2 * _PIT_WIDTH**2)) for c in _PIT_CENTRES
    )
    return 0.1 * x1 + _PIT_DEPTH * slope, 2 * x2


PITS = Surface(
    "pits",
    "Valley with small pits",
    _pits_f,
    _pits_grad,
    latex=r"f(x) = 0.05\,x_1^2 - 0.25 \sum_{c \in \{-4, -2.5\}} e^{-(x_1 - c)^2 / 0.18} + x_2^2",
    code="0.05 * x1**2 - 0.25 * (torch.exp(-(x1 + 4.0) ** 2 / 0.18) + torch.exp(-(x1 + 2.5) ** 2 / 0.18)) + x2**2",
    bounds=((-7.0, 2.0), (-2.0, 2.0)),
    start=(-6.0, 1.5),
    # the global minimum at 0 (the pits' tails move it by 1e-13); each pit is a local minimum, higher
    # than the valley floor (a pit deeper than the valley would be the global minimum: no lesson)
    lr=0.1,
    minima=((0.0, 0.0), (-3.8407396432235856, 0.0), (-2.409205415354144, 0.0)),
    source="seed 003 (Laobing, “Momentum gradient descent”): GD stops in the first pit (η = 0.1); undamped "
    "momentum γ = 0.9 rolls through both pits to the valley floor",
    log_contours=False,
    words={"zh": {"name": "带小坑的山谷"}},
)

SURFACES: dict[str, Surface] = {
    s.key: s
    for s in (
        QUADRATIC,
        BOWL,
        ROSENBROCK,
        RAVINE,
        SADDLE,
        PLATEAU,
        PITS,
        HIMMELBLAU,
        RASTRIGIN,
        CAMEL,
        BEALE,
        regression_surface(),
    )
}
