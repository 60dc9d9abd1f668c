"""The registry OPTIMIZERS: each optimizer's rule, hyperparameters and LaTeX.

The UI is generated from these entries, so a new optimizer added here appears in
the menus with its sliders without any change to page code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import reference, rules
from .hyperparams import Hyperparameter as H


@dataclass(frozen=True)
class TorchForm:
    """How PyTorch writes an optimizer (for the snippet that reproduces a run): its torch.optim class,
    its keyword arguments from our values, and when its points differ from ours (the reasons, as keys
    of the string tables: torch_differs_<reason>)."""

    cls: str
    args: Callable[[dict], dict]
    differs: Callable[[dict], tuple[str, ...]] = lambda values: ()


@dataclass(frozen=True)
class Optimizer:
    key: str
    name: str
    rule: rules.Rule
    hyperparameters: tuple[H, ...]
    latex: str  # the update rule, one equation per line (aligned)
    data_latex: str = ""  # the rule on a surface with data (surfaces' `examples`), where it differs
    note: str = ""  # where our form differs from the textbook's or other libraries'
    momentum: str | None = None  # the hyperparameter that weights past gradients (γ, β1), if any
    damping: str | None = None  # the hyperparameter d that scales each new gradient in v by 1 − d, if any
    map_axis: str | None = None  # the stability map's second axis; None: epochs
    # its step is η times the raw gradient, so a sensible η depends on the surface's curvature:
    # a new surface brings its own GD η (Surface.lr), times this share (Nesterov's stable range is
    # narrower); 0: the optimizer keeps its η (adaptive steps are about η long on any surface)
    lr_from_surface: float = 0.0
    torch: TorchForm | None = None
    # what the vectors panel reads of the rule's own state: the field that is its velocity (drawn as
    # |v| and as an arrow), and whether its step scales g per coordinate (its effective rates drawn)
    velocity: str | None = None
    scaled: bool = False
    # the rule as a plain scalar loop (optimizers/reference.py), which the batched `rule` must agree with
    reference: Callable | None = field(default=None, compare=False)

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.hyperparameters}

    def hyperparameter(self, name: str) -> H:
        for p in self.hyperparameters:
            if p.name == name:
                return p
        raise KeyError(name)


def _lr(default: float, slider=(0.001, 3.0)) -> H:
    return H("lr", r"\eta", "learning rate η", default, low=0.0, low_open=True, slider=slider, log=True, glyph="η",
             in_label=True, live=True)


def _eps(default: float) -> H:
    return H("eps", r"\epsilon", "ε", default, low=0.0, low_open=True, slider=(1e-8, 1e-1), log=True, glyph="ε")


def _decay(name: str, symbol: str, label: str, default: float, glyph: str, *, allow_one=False) -> H:
    return H(name, symbol, label, default, low=0.0, high=1.0, high_open=not allow_one, slider=(0.0, 0.999),
             glyph=glyph, in_label=True, live=True)


EPS_NOTE = "AdaGrad, RMSProp and AdaDelta put ε inside the square root (the textbook's choice); Adam puts it outside."


OPTIMIZERS: dict[str, Optimizer] = {
    o.key: o
    for o in [
        Optimizer(
            "gd",
            "Gradient descent",
            rules.GD,
            (_lr(0.4),),
            r"x \leftarrow x - \eta\, g",
            lr_from_surface=1.0,
            torch=TorchForm("SGD", lambda v: {"lr": v["lr"]}),
            reference=reference.gd,
        ),
        Optimizer(
            "sgd",
            "Stochastic gradient descent",
            rules.SGD,
            (
                _lr(0.1),
                H("noise", r"\sigma", "gradient noise σ", 1.0, low=0.0, slider=(0.0, 5.0), glyph="σ",
                  applies="without data"),
                H("batch_size", r"|\mathcal B|", "batch size |B|", 10, low=1, high=10_000, slider=(1, 100),
                  kind="int", glyph="|B|", in_label=True, applies="with data"),
                H("seed", r"\mathrm{seed}", "random seed", 0, low=0, high=2**32 - 1, slider=(0, 100), kind="int"),
            ),
            r"\tilde g = g + \sigma\,\xi,\quad \xi \sim \mathcal N(0, I) \\ x \leftarrow x - \eta\, \tilde g",
            data_latex=r"\tilde g = \frac{1}{|\mathcal B|} \sum_{i \in \mathcal B} \nabla f_i(x),\quad "
            r"\mathcal B \text{ drawn without replacement} \\ x \leftarrow x - \eta\, \tilde g",
            note="The noise depends only on the seed, so runs with the same seed feel the same noise.",
            lr_from_surface=1.0,
            torch=TorchForm("SGD", lambda v: {"lr": v["lr"]}, lambda v: ("noise",) if v["noise"] else ()),
            reference=reference.sgd,
        ),
        Optimizer(
            "momentum",
            "Momentum",
            rules.MOMENTUM,
            (
                _lr(0.4),
                _decay("momentum", r"\gamma", "momentum γ", 0.5, "γ"),
                H("dampening", "d", "dampening d", 0.0, low=0.0, high=1.0, slider=(0.0, 0.999), glyph="d"),
                H("bias_correction", r"\mathrm{bc}", "bias correction", False, kind="bool", glyph="bias correction"),
            ),
            r"v \leftarrow \gamma\, v + (1 - d)\,\eta\, g \\ x \leftarrow x - v"
            r"\quad\text{or, with bias correction, } x \leftarrow x - \frac{v}{1 - \gamma^t}",
            note=(
                "With d = γ this is the exponentially-weighted-average form v ← γv + (1 − γ)ηg of the articles "
                "“Momentum-based gradient descent” and Laobing's “Momentum gradient descent”. PyTorch's "
                "SGD(momentum=γ) gives the same points when d = 0; with d ≠ 0 PyTorch differs "
                "at the first step, because its buffer starts at g."
            ),
            momentum="momentum",
            damping="dampening",
            map_axis="momentum",
            velocity="v",
            lr_from_surface=1.0,
            torch=TorchForm("SGD", lambda v: {"lr": v["lr"], "momentum": v["momentum"], "dampening": v["dampening"]},
                            lambda v: (("dampening",) if v["dampening"] else ())
                            + (("bias_correction",) if v["bias_correction"] else ())),
            reference=reference.momentum,
        ),
        Optimizer(
            "nesterov",
            "Nesterov momentum",
            rules.NESTEROV,
            (_lr(0.4), _decay("momentum", r"\gamma", "momentum γ", 0.5, "γ")),
            r"v \leftarrow \gamma\, v + \eta\, \nabla f(x - \gamma v) \\ x \leftarrow x - v",
            note="These are the points x of the formula; PyTorch's nesterov=True iterates the look-ahead points x − γv "
            "instead.",
            momentum="momentum",
            map_axis="momentum",
            velocity="v",
            lr_from_surface=0.5,
            torch=TorchForm("SGD", lambda v: {"lr": v["lr"], "momentum": v["momentum"], "nesterov": True},
                            lambda v: ("nesterov",)),
            reference=reference.nesterov,
        ),
        Optimizer(
            "adagrad",
            "AdaGrad",
            rules.ADAGRAD,
            (_lr(0.4, slider=(0.001, 5.0)), _eps(1e-6)),
            r"s \leftarrow s + g \odot g \\ x \leftarrow x - \frac{\eta}{\sqrt{s + \epsilon}} \odot g",
            note=EPS_NOTE,
            scaled=True,
            torch=TorchForm("Adagrad", lambda v: {"lr": v["lr"], "eps": v["eps"]}, lambda v: ("eps",)),
            reference=reference.adagrad,
        ),
        Optimizer(
            "rmsprop",
            "RMSProp",
            rules.RMSPROP,
            (_lr(0.4), _decay("gamma", r"\gamma", "decay rate γ", 0.9, "γ", allow_one=True), _eps(1e-6)),
            r"s \leftarrow \gamma\, s + (1 - \gamma)\, g \odot g \\"
            r" x \leftarrow x - \frac{\eta}{\sqrt{s + \epsilon}} \odot g",
            note=EPS_NOTE,
            map_axis="gamma",
            scaled=True,
            torch=TorchForm("RMSprop", lambda v: {"lr": v["lr"], "alpha": v["gamma"], "eps": v["eps"]},
                            lambda v: ("eps",)),
            reference=reference.rmsprop,
        ),
        Optimizer(
            "adadelta",
            "AdaDelta",
            rules.ADADELTA,
            (_decay("rho", r"\rho", "decay rate ρ", 0.9, "ρ"), _eps(1e-5), _lr(1.0, slider=(0.01, 10.0))),
            r"s \leftarrow \rho\, s + (1 - \rho)\, g \odot g \\"
            r" g' \leftarrow \sqrt{\frac{\Delta x + \epsilon}{s + \epsilon}} \odot g \\"
            r" x \leftarrow x - \eta\, g' \\"
            r" \Delta x \leftarrow \rho\, \Delta x + (1 - \rho)\, g' \odot g'",
            note=EPS_NOTE,
            map_axis="rho",
            scaled=True,
            torch=TorchForm("Adadelta", lambda v: {"lr": v["lr"], "rho": v["rho"], "eps": v["eps"]}),
            reference=reference.adadelta,
        ),
        Optimizer(
            "adam",
            "Adam",
            rules.ADAM,
            (
                _lr(0.1),
                _decay("beta1", r"\beta_1", "β1", 0.9, "β1"),
                replace(_decay("beta2", r"\beta_2", "β2", 0.999, "β2"), in_label=False),
                _eps(1e-6),
            ),
            r"v \leftarrow \beta_1 v + (1 - \beta_1)\, g \\ s \leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\"
            r" \hat v = \frac{v}{1 - \beta_1^t},\quad \hat s = \frac{s}{1 - \beta_2^t} \\"
            r" x \leftarrow x - \frac{\eta\, \hat v}{\sqrt{\hat s} + \epsilon}",
            note=EPS_NOTE,
            momentum="beta1",
            damping="beta1",  # v ← β1 v + (1 − β1) g: an average
            map_axis="beta1",
            velocity="v",
            scaled=True,
            torch=TorchForm("Adam", lambda v: {"lr": v["lr"], "betas": (v["beta1"], v["beta2"]), "eps": v["eps"]}),
            reference=reference.adam,
        ),
    ]
}
