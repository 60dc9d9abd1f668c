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
    # other optimizers of which it is a case, the same rule at these values (GD is momentum at γ = 0, and Nesterov's
    # at γ = 0): its runs are drawn on their stability maps, in the row of those values
    case_of: tuple[tuple[str, dict], ...] = ()
    # its words in other languages: {"zh": {"name": …, "note": …, "rule_1": …}} (rule_<n>: the n-th
    # \text{…} of `latex`, rule_data_<n> of `data_latex`); English is in the fields above
    words: dict = field(default_factory=dict, compare=False)

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
             in_label=True, live=True, words={"zh": {"label": "学习率 η"}})


def _eps(default: float) -> H:
    return H("eps", r"\epsilon", "ε", default, low=0.0, low_open=True, slider=(1e-8, 1e-1), log=True, glyph="ε",
             words={"zh": {"label": "ε"}})


def _decay(name: str, symbol: str, label: str, default: float, glyph: str, zh: str, *, allow_one=False) -> H:
    return H(name, symbol, label, default, low=0.0, high=1.0, high_open=not allow_one, slider=(0.0, 0.999),
             glyph=glyph, in_label=True, live=True, words={"zh": {"label": zh}})


def _betas(beta2: float = 0.999) -> tuple[H, H]:
    return (_decay("beta1", r"\beta_1", "β1", 0.9, "β1", "β1"),
            replace(_decay("beta2", r"\beta_2", "β2", beta2, "β2", "β2"), in_label=False))


def _weight_decay(default: float) -> H:
    # at most 1 and its slider to 0.2: with η up to 3, AdamW's x·(1 − ηλ) must not flip x's sign
    return H("weight_decay", r"\lambda", "weight decay λ", default, low=0.0, high=1.0, slider=(0.0, 0.2), glyph="λ",
             words={"zh": {"label": "权重衰减 λ"}})


def _adam_family(key: str, name: str, rule, hypers: tuple[H, ...], latex: str, note: str, zh: str, note_zh: str,
                 torch: TorchForm | None, reference_loop, rule_zh: tuple[str, ...] = (), **more) -> Optimizer:
    """An optimizer built on Adam's two averages: the momentum β1 on the stability map, v drawn as the velocity.
    `rule_zh`: the Chinese of each \\text{…} in `latex`."""
    shared = dict(momentum="beta1", damping="beta1", map_axis="beta1", velocity="v", scaled=True)
    zh_words = {"name": zh, "note": note_zh, **{f"rule_{i + 1}": w for i, w in enumerate(rule_zh)}}
    return Optimizer(key, name, rule, hypers, latex, note=note, torch=torch, reference=reference_loop,
                     words={"zh": zh_words}, **{**shared, **more})


def _torch_adam(cls: str, **fixed) -> TorchForm:
    return TorchForm(cls, lambda v: {"lr": v["lr"], "betas": (v["beta1"], v["beta2"]), "eps": v["eps"],
                                     **{k: v[k] for k in ("weight_decay", "momentum_decay") if k in v}, **fixed})


ADAM_STEPS = (r"v \leftarrow \beta_1 v + (1 - \beta_1)\, g \\ s \leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\"
              r" \hat v = \frac{v}{1 - \beta_1^t},\quad \hat s = \frac{s}{1 - \beta_2^t} \\")

EPS_NOTE = "AdaGrad, RMSProp and AdaDelta put ε inside the square root (the textbook's choice); Adam puts it outside."
MOMENTUM_NOTE_ZH = ("当 d = γ 时就是文章《基于动量的梯度下降》和《老饼讲解-深度学习》中的"
                    "指数加权平均形式 v ← γv + (1 − γ)ηg。d = 0 时，PyTorch 的带动量随机梯度下降（动量参数取 γ）"
                    "给出相同的点；d ≠ 0 时 PyTorch 在第一步不同，因为它的缓冲区从 g 开始。")
EPS_NOTE_ZH = "AdaGrad、RMSProp 和 AdaDelta 把 ε 放在平方根内（教材的写法）；Adam 把它放在平方根外。"


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
            # v ← 0·v + (1 − 0)·η·g; x ← x − v, and Nesterov's v ← 0·v + η·g(x − 0·v)
            case_of=(("momentum", {"momentum": 0.0}), ("nesterov", {"momentum": 0.0})),
            words={"zh": {"name": "梯度下降"}},
        ),
        Optimizer(
            "sgd",
            "Stochastic gradient descent",
            rules.SGD,
            (
                _lr(0.1),
                H("noise", r"\sigma", "gradient noise σ", 1.0, low=0.0, slider=(0.0, 5.0), glyph="σ",
                  applies="without data", words={"zh": {"label": "梯度噪声 σ"}}),
                H("batch_size", r"|\mathcal B|", "batch size |B|", 10, low=1, high=10_000, slider=(1, 100),
                  kind="int", glyph="|B|", in_label=True, applies="with data", words={"zh": {"label": "批量大小 |B|"}}),
                H("seed", r"\mathrm{seed}", "random seed", 0, low=0, high=2**32 - 1, slider=(0, 100), kind="int",
                  words={"zh": {"label": "随机种子", "short": "种子", "symbol": r"\text{种子}"}}),
            ),
            r"\tilde g = g + \sigma\,\xi,\quad \xi \sim \mathcal N(0, I) \\ x \leftarrow x - \eta\, \tilde g",
            data_latex=r"\tilde g = \frac{1}{|\mathcal B|} \sum_{i \in \mathcal B} \nabla f_i(x) \\ "
            r"\mathcal B \text{ drawn without replacement} \\ x \leftarrow x - \eta\, \tilde g",
            note="The noise depends only on the seed, so runs with the same seed feel the same noise.",
            lr_from_surface=1.0,
            torch=TorchForm("SGD", lambda v: {"lr": v["lr"]}, lambda v: ("noise",) if v["noise"] else ()),
            reference=reference.sgd,
            words={"zh": {"name": "随机梯度下降", "note": "噪声只取决于随机种子，种子相同的运行受到相同的噪声。",
                          "rule_data_1": "不放回地随机抽取"}},
        ),
        Optimizer(
            "momentum",
            "Momentum",
            rules.MOMENTUM,
            (
                _lr(0.4),
                _decay("momentum", r"\gamma", "momentum γ", 0.5, "γ", "动量超参数 γ"),
                H("dampening", "d", "dampening d", 0.0, low=0.0, high=1.0, slider=(0.0, 0.999), glyph="d",
                  words={"zh": {"label": "阻尼系数 d"}}),
                H("bias_correction", r"\mathrm{bc}", "bias correction", False, kind="bool", glyph="bias correction",
                  words={"zh": {"label": "偏差修正", "symbol": r"\text{偏差修正}", "short": "偏差修正"}}),
            ),
            r"v \leftarrow \gamma\, v + (1 - d)\,\eta\, g \\ x \leftarrow x - v"
            r" \\ \text{or, with bias correction,} \\ x \leftarrow x - \frac{v}{1 - \gamma^t}",
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
            words={"zh": {"name": "动量法", "note": MOMENTUM_NOTE_ZH, "rule_1": "或者，使用偏差修正时："}},
        ),
        Optimizer(
            "nesterov",
            "Nesterov momentum",
            rules.NESTEROV,
            (_lr(0.4), _decay("momentum", r"\gamma", "momentum γ", 0.5, "γ", "动量超参数 γ")),
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
            words={"zh": {"name": "Nesterov 动量法",
                          "note": "这里显示公式中的点 x；PyTorch 开启 Nesterov 选项时，迭代的是前瞻点 x − γv。"}},
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
            words={"zh": {"name": "AdaGrad 算法", "note": EPS_NOTE_ZH}},
        ),
        Optimizer(
            "rmsprop",
            "RMSProp",
            rules.RMSPROP,
            (_lr(0.4), _decay("gamma", r"\gamma", "decay rate γ", 0.9, "γ", "衰减率 γ", allow_one=True), _eps(1e-6)),
            r"s \leftarrow \gamma\, s + (1 - \gamma)\, g \odot g \\"
            r" x \leftarrow x - \frac{\eta}{\sqrt{s + \epsilon}} \odot g",
            note=EPS_NOTE,
            map_axis="gamma",
            scaled=True,
            torch=TorchForm("RMSprop", lambda v: {"lr": v["lr"], "alpha": v["gamma"], "eps": v["eps"]},
                            lambda v: ("eps",)),
            reference=reference.rmsprop,
            words={"zh": {"name": "RMSProp 算法", "note": EPS_NOTE_ZH}},
        ),
        Optimizer(
            "adadelta",
            "AdaDelta",
            rules.ADADELTA,
            (_decay("rho", r"\rho", "decay rate ρ", 0.9, "ρ", "衰减率 ρ"), _eps(1e-5), _lr(1.0, slider=(0.01, 10.0))),
            r"s \leftarrow \rho\, s + (1 - \rho)\, g \odot g \\"
            r" g' \leftarrow \sqrt{\frac{\Delta x + \epsilon}{s + \epsilon}} \odot g \\"
            r" x \leftarrow x - \eta\, g' \\"
            r" \Delta x \leftarrow \rho\, \Delta x + (1 - \rho)\, g' \odot g'",
            note=EPS_NOTE,
            map_axis="rho",
            scaled=True,
            torch=TorchForm("Adadelta", lambda v: {"lr": v["lr"], "rho": v["rho"], "eps": v["eps"]}),
            reference=reference.adadelta,
            words={"zh": {"name": "AdaDelta 算法", "note": EPS_NOTE_ZH}},
        ),
        Optimizer(
            "adam",
            "Adam",
            rules.ADAM,
            (_lr(0.1), *_betas(), _eps(1e-6), _weight_decay(0.0)),
            ADAM_STEPS + r" x \leftarrow x - \frac{\eta\, \hat v}{\sqrt{\hat s} + \epsilon}",
            note=EPS_NOTE + " Its weight decay λ (0 by default) is L2 regularization added to g, so the adaptive "
            "rate divides it too (PyTorch's Adam(weight_decay=λ)); AdamW decouples it.",
            momentum="beta1",
            damping="beta1",  # v ← β1 v + (1 − β1) g: an average
            map_axis="beta1",
            velocity="v",
            scaled=True,
            torch=_torch_adam("Adam"),
            reference=reference.adam,
            words={"zh": {"name": "Adam 算法", "note": EPS_NOTE_ZH + "它的权重衰减 λ 是加到 g 上的 L2 正则，"
                          "所以也被自适应学习率相除（PyTorch 的 Adam 的权重衰减参数）；AdamW 把它解耦。"}},
        ),
        _adam_family(
            "adamw", "AdamW", rules.ADAMW, (_lr(0.1), *_betas(), _eps(1e-8), _weight_decay(0.01)),
            ADAM_STEPS + r" x \leftarrow x - \eta \left(\frac{\hat v}{\sqrt{\hat s} + \epsilon} + \lambda x\right)",
            "Adam with decoupled weight decay (Loshchilov & Hutter): x shrinks by ηλx at every step, apart from the "
            "adaptive rate, so every coordinate decays alike; with Adam's L2 a coordinate with large gradients "
            "decays less. The default for training large language models. Equal to torch.optim.AdamW.",
            "AdamW 算法",
            "带解耦权重衰减的 Adam：每一步 x 缩小 ηλx，与自适应学习率无关，所以每个坐标衰减得一样；Adam 的 L2 正则下，"
            "梯度大的坐标衰减得少。训练大语言模型的默认选择。与 PyTorch 的 AdamW 相同。",
            _torch_adam("AdamW"), reference.adamw),
        _adam_family(
            "amsgrad", "AMSGrad", rules.AMSGRAD, (_lr(0.1), *_betas(), _eps(1e-8), _weight_decay(0.0)),
            ADAM_STEPS + r" s_{\max} \leftarrow \max(s_{\max}, s) \\"
            r" x \leftarrow x - \frac{\eta\, \hat v}{\sqrt{s_{\max} / (1 - \beta_2^t)} + \epsilon}",
            "Adam that divides by the largest s so far (Reddi et al.): its effective rate η/√ŝ never grows again "
            "after a large gradient, where Adam's does as s forgets it. Equal to torch.optim.Adam(amsgrad=True).",
            "AMSGrad 算法",
            "除以迄今最大的 s 的 Adam：一次大梯度之后，它的有效学习率 η/√ŝ 不再回升，而 Adam 的会随着 s 遗忘而回升。"
            "与 PyTorch 开启 AMSGrad 的 Adam 相同。",
            _torch_adam("Adam", amsgrad=True), reference.amsgrad),
        _adam_family(
            "adamax", "Adamax", rules.ADAMAX, (_lr(0.1), *_betas(), _eps(1e-8)),
            r"v \leftarrow \beta_1 v + (1 - \beta_1)\, g \\ u \leftarrow \max(\beta_2 u, |g| + \epsilon) \\"
            r" x \leftarrow x - \frac{\eta}{1 - \beta_1^t} \frac{v}{u}",
            "Adam with the ∞-norm (Kingma & Ba, §7): √s becomes a decayed running maximum of |g|, which needs no "
            "bias correction. Equal to torch.optim.Adamax.",
            "Adamax 算法",
            "用 ∞ 范数的 Adam（Adam 论文第 7 节）：√s 换成 |g| 的衰减滑动最大值，不需要偏差修正。"
            "与 PyTorch 的 Adamax 相同。",
            _torch_adam("Adamax"), reference.adamax, scaled=False),  # its denominator is u, not √s
        _adam_family(
            "nadam", "NAdam", rules.NADAM,
            (_lr(0.1), *_betas(), _eps(1e-8),
             H("momentum_decay", r"\psi", "momentum decay ψ", 4e-3, low=0.0, high=1.0, slider=(0.0, 0.1), glyph="ψ",
               words={"zh": {"label": "动量衰减 ψ"}})),
            ADAM_STEPS.split(r" \hat v")[0] + r" \mu_t = \beta_1 \left(1 - \tfrac12\, 0.96^{t \psi}\right) \\"
            r" \hat s = \frac{s}{1 - \beta_2^t} \\"  # short lines: the rule fits a 1024 px column
            r" x \leftarrow x - \frac{\eta}{\sqrt{\hat s} + \epsilon}"
            r" \Big(\frac{1 - \mu_t}{1 - \prod_{i \le t} \mu_i}\, g \\"
            r" \qquad + \frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i}\, v\Big)",
            "Adam with Nesterov's look-ahead (Dozat): the step mixes the new gradient and the next epoch's momentum "
            "μt+1·v; PyTorch's schedule lets μt rise from β1/2 to β1. Equal to torch.optim.NAdam.",
            "NAdam 算法",
            "带涅斯捷罗夫前瞻的 Adam：一步混合新梯度与下一次迭代的动量 μt+1·v；PyTorch 的调度让 μt 从 β1/2 "
            "升到 β1。与 PyTorch 的 NAdam 相同。",
            _torch_adam("NAdam"), reference.nadam),
        _adam_family(
            "radam", "RAdam", rules.RADAM, (_lr(0.1), *_betas(), _eps(1e-8)),
            ADAM_STEPS + r" \rho_\infty = \frac{2}{1 - \beta_2} - 1 \\"
            r" \rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1 - \beta_2^t} \\"
            r" \rho_t > 5: \\ \quad x \leftarrow x - \eta\, \hat v \cdot r_t"
            r" \frac{\sqrt{1 - \beta_2^t}}{\sqrt{s} + \epsilon} \\"
            r" \rho_t \le 5: \\ \quad x \leftarrow x - \eta\, \hat v",
            "Rectified Adam (Liu et al.): while few gradients are averaged (ρt ≤ 5, the first 5 epochs at β2 = 0.999) "
            "the adaptive rate's variance is too large, so it steps with momentum alone; then Adam's rate times the "
            "rectification r_t. A built-in warm-up. Equal to torch.optim.RAdam.",
            "RAdam 算法",
            "修正的 Adam：平均的梯度还少时（ρt ≤ 5，β2 = 0.999 时是前 5 次迭代）自适应学习率的方差太大，"
            "所以只用动量走；之后用 Adam 的学习率乘以修正系数。自带的预热。与 PyTorch 的 RAdam 相同。",
            # its first steps are η·v̂, as momentum's: a sensible η depends on the surface's curvature
            _torch_adam("RAdam"), reference.radam, lr_from_surface=1.0),
        _adam_family(
            "lion", "Lion", rules.LION,
            (_lr(0.05), *_betas(0.99), _weight_decay(0.0)),
            r"c = \beta_1 v + (1 - \beta_1)\, g \\"
            r" x \leftarrow x - \eta \left(\text{sign}(c) + \lambda x\right) \\"
            r" v \leftarrow \beta_2 v + (1 - \beta_2)\, g",
            "Lion (Chen et al., found by program search): every coordinate steps by exactly ±η, the sign of an "
            "interpolated momentum, with decoupled weight decay as AdamW's. PyTorch has no Lion; this is the "
            "paper's update, as optax.lion writes it.",
            "Lion 算法",
            "Lion（由程序搜索发现）：每个坐标每步恰好走 ±η，方向是插值动量的符号，权重衰减与 AdamW 一样解耦。"
            "PyTorch 没有 Lion；这是论文的更新公式。",
            None, reference.lion, rule_zh=("符号",), momentum=None, damping=None, scaled=False),
    ]
}
