"""One-click experiments from the seeds, each with its lesson and, where the
textbook prints one, its expected line."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .i18n import t
from .state import AppState, Run

# what an experiment sets; language, hidden controls and the other pages' settings stay
VIEW = ("surface", "epochs", "x1", "x2", "runs", "data_n", "data_noise", "loss_by_examples")


@dataclass(frozen=True)
class Preset:
    key: str  # also its key in LESSONS
    state: AppState
    expected: tuple[str | None, ...] = ()  # the textbook's printed line per run, where it prints one
    source: tuple[tuple[str, str], ...] = ()  # (work, section): the table's `preset_src_<work>` names the work

    def apply(self, state: AppState) -> AppState:
        """`state` showing this experiment, from its first epoch (a new lesson is played from the start)."""
        return replace(state, preset=self.key, epoch=None, **{name: getattr(self.state, name) for name in VIEW})

    def is_shown_by(self, state: AppState) -> bool:
        """Does `state` still show this experiment, unchanged?"""
        return (state.start_point == self.state.start_point
                and all(getattr(state, name) == getattr(self.state, name) for name in VIEW if name not in ("x1", "x2")))

    def title(self, lang: str) -> str:
        return LESSONS[self.key].get(lang, LESSONS[self.key]["en"])[0]

    def lesson(self, lang: str) -> str:
        return LESSONS[self.key].get(lang, LESSONS[self.key]["en"])[1]

    def cite(self, lang: str) -> str:
        """Where a student finds this experiment: book or article, and section, in `lang`."""
        return t(lang, "preset_src_join").join(t(lang, "preset_src_" + work, part=part) for work, part in self.source)


def _preset(key, surface, runs, start, epochs=20, expected=(), source=(), **view):
    # every preset names its start, so that a surface's default start can change without changing a lesson
    state = AppState(surface=surface, epochs=epochs, x1=start[0], x2=start[1], runs=tuple(runs), **view)
    return Preset(key, state, tuple(expected), tuple(source))


D2L_START = (-5.0, -2.0)
MINIBATCHES = (1, 10, 100)  # on seed 002's 100 points  # the textbook's start on its two quadratics

# §7.4's four printouts: (key, run, printed line, section); each is a preset, and together they are one more
SECTION_7_4 = [
    ("gd_04", Run.of("gd", lr=0.4), "epoch 20, x1 -0.943467, x2 -0.000073", "7.4.1"),
    ("gd_06", Run.of("gd", lr=0.6), "epoch 20, x1 -0.387814, x2 -1673.365109", "7.4.1"),
    ("momentum_04", Run.of("momentum", lr=0.4, momentum=0.5), "epoch 20, x1 -0.062843, x2 0.001202", "7.4.2"),
    ("momentum_06", Run.of("momentum", lr=0.6, momentum=0.5), "epoch 20, x1 0.007188, x2 0.002553", "7.4.2"),
]

PRESETS: dict[str, Preset] = {
    p.key: p
    for p in [
        *(_preset(key, "quadratic", [run], D2L_START, expected=[line], source=[("d2l", section)])
          for key, run, line, section in SECTION_7_4),
        _preset("gd_vs_momentum", "quadratic", [run for _, run, _, _ in SECTION_7_4], D2L_START,
                expected=[line for _, _, line, _ in SECTION_7_4], source=[("d2l", "7.4")]),
        _preset("bowl_gd", "bowl", [Run.of("gd", lr=0.1)], D2L_START,
                expected=["epoch 20, x1 -0.057646, x2 -0.000073"], source=[("d2l", "7.2")]),
        _preset("sgd_noise", "bowl", [Run.of("gd", lr=0.1), Run.of("sgd", lr=0.1, noise=1.0, seed=0)], D2L_START,
                source=[("d2l", "7.2")]),
        _preset("adagrad_04", "quadratic", [Run.of("adagrad", lr=0.4)], D2L_START,
                expected=["epoch 20, x1 -2.382563, x2 -0.158591"], source=[("d2l", "7.5")]),
        _preset("adagrad_2", "quadratic", [Run.of("adagrad", lr=2.0)], D2L_START,
                expected=["epoch 20, x1 -0.002295, x2 -0.000000"], source=[("d2l", "7.5")]),
        _preset("rmsprop_04", "quadratic", [Run.of("rmsprop", lr=0.4, gamma=0.9)], D2L_START,
                expected=["epoch 20, x1 -0.010599, x2 0.000000"], source=[("d2l", "7.6")]),
        _preset("rmsprop_gamma_1", "quadratic", [Run.of("rmsprop", lr=0.4, gamma=0.9),
                                                 Run.of("rmsprop", lr=0.4, gamma=1.0)], D2L_START,
                expected=["epoch 20, x1 -0.010599, x2 0.000000", None],
                source=[("d2l_exercise", "7.6"), ("azhen_exercise", "7.6")]),
        _preset("adadelta", "quadratic", [Run.of("adadelta", rho=0.9), Run.of("adadelta", rho=0.99)], D2L_START,
                epochs=100, source=[("d2l", "7.7"), ("azhen_exercise", "7.7")]),
        # run 3 is Adam without its momentum: it shows what makes Adam swing past the minimum
        _preset("adam", "quadratic",
                [Run.of("rmsprop", lr=0.4, gamma=0.9), Run.of("adam", lr=0.4), Run.of("adam", lr=0.4, beta1=0.0)],
                D2L_START, epochs=40, source=[("d2l", "7.8")]),
        _preset("nesterov", "quadratic",
                [Run.of("momentum", lr=0.4, momentum=0.5), Run.of("nesterov", lr=0.4, momentum=0.5),
                 Run.of("nesterov", lr=0.2, momentum=0.5)], D2L_START, source=[("sgd_momentum", "6")]),
        _preset("ema_momentum", "quadratic",
                [Run.of("momentum", lr=0.4, momentum=0.9), Run.of("momentum", lr=0.4, momentum=0.9, dampening=0.9)],
                D2L_START, source=[("momentum_article", "3"), ("laobing", "")]),
        _preset("beta_weights", "quadratic",
                [Run.of("momentum", lr=0.1, momentum=0.1), Run.of("momentum", lr=0.1, momentum=0.9)], D2L_START,
                epochs=40, source=[("momentum_article", "4")]),
        # seed 003's own form, v ← μv − (1 − μ)ηg, is dampening d = μ
        _preset("pits", "pits",
                [Run.of("gd", lr=0.1), Run.of("momentum", lr=0.1, momentum=0.9, dampening=0.9),
                 Run.of("momentum", lr=1.0, momentum=0.9, dampening=0.9)], (-6.0, 1.5), epochs=150,
                source=[("laobing", "")]),
        _preset("plateau", "plateau", [Run.of("gd", lr=1.0), Run.of("momentum", lr=1.0, momentum=0.9)], (-5.0, 4.0),
                epochs=60, source=[("momentum_article", "2"), ("laobing", "")]),
        _preset("saddle", "saddle", [Run.of("gd", lr=0.1), Run.of("momentum", lr=0.1, momentum=0.9)], (-4.5, 0.001),
                epochs=50, source=[("azhen", "7.1"), ("momentum_article", "2")]),
        _preset("regression", "regression", [Run.of("gd", lr=0.1), Run.of("momentum", lr=0.1, momentum=0.9)],
                (0.0, 0.0), epochs=100, source=[("momentum_article", "5")]),
        # the exercise of §7.3: η falls to 1/10 after every epoch, against the constant η of §7.4
        _preset("lr_decay", "quadratic",
                [Run.of("gd", lr=0.4), Run.of("gd", {"lr": ("exponential", {"decay": 0.1})}, lr=0.4)], D2L_START,
                expected=["epoch 20, x1 -0.943467, x2 -0.000073", None], source=[("d2l_exercise", "7.3")]),
        # seed 004: "γ starts at 0.5 and rises gradually to 0.9", at η/5 of §7.4's 0.4
        _preset("momentum_ramp", "quadratic",
                [Run.of("momentum", lr=0.08, momentum=0.9),
                 Run.of("momentum", {"momentum": ("linear", {"final": 0.9, "ramp": 10})}, lr=0.08, momentum=0.5)],
                D2L_START, source=[("sgd_momentum", "4")]),
        # the exercise of §7.3: batch sizes 1, 10 and 100 (all the data: GD) at two learning rates
        _preset("minibatch", "regression", [Run.of("sgd", lr=0.1, batch_size=b) for b in MINIBATCHES], (0.0, 0.0),
                epochs=100, source=[("d2l_exercise", "7.3")], loss_by_examples=True),
        _preset("minibatch_lr", "regression", [Run.of("sgd", lr=1.0, batch_size=b) for b in MINIBATCHES], (0.0, 0.0),
                epochs=100, source=[("d2l_exercise", "7.3")]),
        _preset("ravine", "ravine", [Run.of("gd", lr=0.23), Run.of("momentum", lr=0.23, momentum=0.5)], (-4.5, -2.5),
                epochs=30, source=[("momentum_article", "2")]),
        # after the textbook: the optimizers students meet today, each against the idea it changes
        _preset("adam_vs_adamw", "himmelblau", [Run.of("adam", lr=0.05, eps=1e-8, weight_decay=0.1),
                                                Run.of("adamw", lr=0.05, weight_decay=0.1)], (-0.5, -0.5), epochs=300,
                source=[("paper", "arXiv:1711.05101")]),  # Loshchilov & Hutter, Decoupled Weight Decay Regularization
        _preset("lion_sign", "quadratic", [Run.of("lion", lr=0.1), Run.of("adam", lr=0.1)], D2L_START, epochs=60,
                source=[("paper", "arXiv:2302.06675")]),  # Chen et al., Symbolic Discovery of Optimization Algorithms
        _preset("amsgrad_vs_adam", "quadratic", [Run.of("adam", lr=0.1, beta2=0.9, eps=1e-8),
                                                 Run.of("amsgrad", lr=0.1, beta2=0.9)], D2L_START, epochs=60,
                source=[("paper", "arXiv:1904.09237")]),  # Reddi et al., On the Convergence of Adam and Beyond
    ]
}


# each experiment's title and lesson, by language (the string tables hold only the interface's words)
LESSONS: dict[str, dict[str, tuple[str, str]]] = {
    "gd_04": {
        "en": (
            "GD, η = 0.4 (§7.4)",
            ("GD converges, but slowly along the flat x1: each epoch multiplies x1 by 1 − 0.4·0.2 = 0.92 but "
             "x2 by 1 − 0.4·4 = −0.6, so after 20 epochs x2 is at −0.000073 while x1 is still at −0.943. One "
             "η must suit both directions."),
        ),
        "zh": (
            "梯度下降，η = 0.4（7.4 节）",
            ("梯度下降收敛了，但在平缓的 x1 方向上很慢：每次迭代 x1 乘以 1 − 0.4·0.2 = 0.92，x2 "
             "却乘以 1 − 0.4·4 = −0.6，所以 20 次迭代后 x2 已到 −0.000073，x1 仍在 −0"
             ".943。同一个 η 要同时照顾两个方向。"),
        ),
    },
    "gd_06": {
        "en": (
            "GD, η = 0.6: diverges (§7.4)",
            ("A slightly larger η overshoots in the steep x2 direction, further each time: each epoch "
             "multiplies x2 by 1 − 0.6·4 = −1.4 (η·λ = 2.4 > 2), so x2 changes sign every epoch and is at "
             "−1673 by epoch 20."),
        ),
        "zh": (
            "梯度下降，η = 0.6：发散（7.4 节）",
            ("学习率稍大，就会在陡峭的 x2 方向上不断越过最优解并逐渐发散：每次迭代 x2 乘以 1 − 0.6·4 = −"
             "1.4（η·λ = 2.4 > 2），每次都改变符号，第 20 次迭代时已到 −1673。"),
        ),
    },
    "momentum_04": {
        "en": (
            "Momentum, η = 0.4, γ = 0.5 (§7.4)",
            ("Momentum adds up past gradients. Along x1 they all point the same way, so it speeds up: x1 is "
             "at −0.063 after 20 epochs, where GD at the same η is at −0.943. Along x2 they alternate and "
             "partly cancel: x2 changes sign 11 times in 20 epochs, GD's every epoch."),
        ),
        "zh": (
            "动量法，η = 0.4，γ = 0.5（7.4 节）",
            ("动量法累加过去的梯度。在 x1 方向上各次梯度方向一致，于是越走越快：20 次迭代后 x1 在 −0.063，而"
             "相同 η 的梯度下降在 −0.943。在 x2 方向上梯度正负交替、部分抵消：20 次迭代中 x2 只改变 11"
             " 次符号，梯度下降则每次都改变。"),
        ),
    },
    "momentum_06": {
        "en": (
            "Momentum, η = 0.6, γ = 0.5 (§7.4)",
            ("With momentum the η that made GD diverge converges: along the steep x2 (λ = 4) momentum with γ "
             "= 0.5 is stable up to η = 2(1 + γ)/λ = 0.75, GD only up to 2/λ = 0.5."),
        ),
        "zh": (
            "动量法，η = 0.6，γ = 0.5（7.4 节）",
            ("使梯度下降发散的学习率，用动量法却能收敛：在陡峭的 x2 方向（λ = 4）上，γ = 0.5 的动量法在 η "
             "< 2(1 + γ)/λ = 0.75 时稳定，梯度下降只在 η < 2/λ = 0.5 时稳定。"),
        ),
    },
    "gd_vs_momentum": {
        "en": (
            "GD and momentum at η = 0.4 and 0.6, together (§7.4)",
            ("The four printouts of §7.4 side by side: only GD at η = 0.6 leaves the frame. Of the three that "
             "converge, momentum at η = 0.6 ends closest to the minimum."),
        ),
        "zh": (
            "梯度下降与动量法，η = 0.4 和 0.6 一起比较（7.4 节）",
            ("把 7.4 节的四个输出放在一起：只有 η = 0.6 的梯度下降飞出了画面。其余三个都收敛，其中 η = 0."
             "6 的动量法最接近极小值。"),
        ),
    },
    "bowl_gd": {
        "en": (
            "GD on x1² + 2·x2², η = 0.1 (§7.2)",
            ("On this better-conditioned bowl a small η never overshoots: each epoch multiplies x1 by 1 − "
             "0.1·2 = 0.8 and x2 by 1 − 0.1·4 = 0.6, so the path heads into the minimum without zig-zagging "
             "and the loss falls every epoch."),
        ),
        "zh": (
            "x1² + 2·x2² 上的梯度下降，η = 0.1（7.2 节）",
            ("在这个条件较好的碗形函数上，较小的 η 从不越过最优解：每次迭代 x1 乘以 1 − 0.1·2 = 0.8，x"
             "2 乘以 1 − 0.1·4 = 0.6，轨迹没有锯齿地走向极小值，损失每次迭代都在下降。"),
        ),
    },
    "sgd_noise": {
        "en": (
            "GD against SGD on the bowl (§7.2)",
            ("Noisy gradients (σ = 1) make the path wander: SGD's loss rises on 5 of the 20 epochs, GD's on "
             "none. On average it still heads downhill, from 33 to 0.058, though GD ends closer (0.0033)."),
        ),
        "zh": (
            "碗形函数上的梯度下降与随机梯度下降（7.2 节）",
            ("带噪声的梯度（σ = 1）使轨迹曲折：20 次迭代中随机梯度下降的损失有 5 次上升，梯度下降一次也没有。平均来"
             "看它仍然向下走，损失从 33 降到 0.058，只是梯度下降停得更近（0.0033）。"),
        ),
    },
    "adagrad_04": {
        "en": (
            "AdaGrad, η = 0.4 (§7.5)",
            ("AdaGrad gives each coordinate its own rate η/√s, but s only grows, so the rates only shrink: "
             "along x1 from 0.4 to 0.13 in 20 epochs. The run stalls at x1 = −2.383, far from the minimum."),
        ),
        "zh": (
            "AdaGrad，η = 0.4（7.5 节）",
            ("AdaGrad 让每个坐标有自己的学习率 η/√s，但 s 只增不减，所以学习率只降不升：x1 方向上 20 次"
             "迭代从 0.4 降到 0.13。迭代停滞在 x1 = −2.383，离极小值还很远。"),
        ),
    },
    "adagrad_2": {
        "en": (
            "AdaGrad, η = 2 (§7.5)",
            ("A larger initial η makes up for the shrinking rates: after 20 epochs AdaGrad is at x1 = −0.002, "
             "where with η = 0.4 it stalled at −2.383."),
        ),
        "zh": (
            "AdaGrad，η = 2（7.5 节）",
            ("更大的初始学习率弥补了不断变小的学习率：20 次迭代后 AdaGrad 到达 x1 = −0.002，而 η ="
             " 0.4 时停滞在 −2.383。"),
        ),
    },
    "rmsprop_04": {
        "en": (
            "RMSProp, η = 0.4, γ = 0.9 (§7.6)",
            ("RMSProp averages g² with fading weights (γ = 0.9) instead of adding it all up, so its rate η/√s "
             "along x1 falls only until step 4 and then grows again as the gradients shrink; AdaGrad's only "
             "falls. At the same η = 0.4 RMSProp ends at x1 = −0.011, AdaGrad at −2.383."),
        ),
        "zh": (
            "RMSProp，η = 0.4，γ = 0.9（7.6 节）",
            ("RMSProp 对 g² 做指数加权移动平均（γ = 0.9），而不是全部累加，所以 x1 方向的学习率 η/√"
             "s 只下降到第 4 步，随后随着梯度变小重新增大；AdaGrad 的学习率只降不升。同样 η = 0.4，RMS"
             "Prop 最终到达 x1 = −0.011，AdaGrad 停在 −2.383。"),
        ),
    },
    "rmsprop_gamma_1": {
        "en": (
            "RMSProp with γ = 1 (§7.6, exercise)",
            ("With γ = 1, s ← 1·s + 0·g² stays 0, so each step is η·g/√ε = 400·g: the first step takes x1 "
             "from −5 to 395 and x2 from −2 to 3198, far off the plot, and the run diverges at epoch 4. The notes "
             "cited below see it diverge too, until their values overflow and are no longer numbers; in these 20 "
             "epochs the values stay finite, x2 ending near −2.4e64, and the run's line prints them with the epoch "
             "it diverged at."),
        ),
        "zh": (
            "γ = 1 的 RMSProp（7.6 节练习）",
            ("γ = 1 时 s ← 1·s + 0·g² 一直为 0，每一步都是 η·g/√ε = 400·g：第一步就把 "
             "x1 从 −5 带到 395、把 x2 从 −2 带到 3198，远远离开图像范围，第 4 次迭代时发散。"
             "下面引用的笔记也看到它发散，直到数值溢出、不再是数；在这里的 20 次迭代中数值仍是有限的，"
             "x2 最后约为 −2.4e64，运行的打印行给出这些数值，并注明它在第几次迭代发散。"),
        ),
    },
    "adadelta": {
        "en": (
            "AdaDelta, ρ = 0.9 and 0.99 (§7.7)",
            ("The textbook's AdaDelta has no learning rate: it scales g by √((Δx + ε)/(s + ε)). Here η "
             "multiplies that step; η = 1 is the textbook's AdaDelta. Its first step is about √(ε/(1 − ρ)) "
             "per coordinate, 0.010 for ρ = 0.9 and 0.032 for ρ = 0.99, so neither gets near the minimum in "
             "100 epochs; the larger ρ gets further (x1 = −2.59 against −3.83)."),
        ),
        "zh": (
            "AdaDelta，ρ = 0.9 与 0.99（7.7 节）",
            ("教材中的 AdaDelta 没有学习率：它把 g 乘以 √((Δx + ε)/(s + ε))。这里的 η 乘在"
             "这一步上，η = 1 就是教材中的 AdaDelta。它的第一步在每个坐标上约为 √(ε/(1 − ρ))，ρ "
             "= 0.9 时为 0.010，ρ = 0.99 时为 0.032，所以 100 次迭代内两者都没有接近极小值；ρ"
             " 较大的走得更远（x1 = −2.59，对比 −3.83）。"),
        ),
    },
    "adam": {
        "en": (
            "Adam against RMSProp (§7.8)",
            ("Adam is RMSProp plus momentum: it also averages g (β1 = 0.9), and its bias correction makes the "
             "first step η = 0.4 in each coordinate, but for ε (0.3999996 in x1). The momentum carries it past "
             "the minimum (x1 "
             "reaches 1.13 at epoch 23) and it swings back slowly: after 40 epochs it is at (−0.198, 0.141), "
             "while RMSProp is at the minimum. Without momentum (β1 = 0, run 3) Adam ends near the minimum "
             "too."),
        ),
        "zh": (
            "Adam 与 RMSProp 比较（7.8 节）",
            ("Adam 是 RMSProp 与动量法的结合：它还对 g 做指数加权移动平均（β1 = 0.9），偏差修正使第一"
             "步在每个坐标上几乎恰好是 η = 0.4（只差 ε：x1 上为 0.3999996）。"
             "动量带着它越过极小值（第 23 次迭代时 x1 到达 1.13），再慢慢摆"
             "回来：40 次迭代后它在 (−0.198, 0.141)，而 RMSProp 已在极小值。去掉动量（β1 = 0"
             "，第 3 次运行）后，Adam 也停在极小值附近。"),
        ),
    },
    "nesterov": {
        "en": (
            "Nesterov against heavy-ball momentum",
            ("Nesterov takes the gradient at the look-ahead point x − γv; in this form it is stable only for "
             "η < 2(1 + γ)/((1 + 2γ)λ) = 0.375, so at η = 0.4 it diverges (x2 swings out to −23 by epoch 20) "
             "where heavy-ball momentum converges; at η = 0.2 it converges, slowly along x1 (x1 = −0.961 at "
             "epoch 20)."),
        ),
        "zh": (
            "Nesterov 与普通动量法比较",
            ("Nesterov 在前瞻点 x − γv 计算梯度；这种形式只在 η < 2(1 + γ)/((1 + 2γ)λ"
             ") = 0.375 时稳定，所以 η = 0.4 时它发散（第 20 次迭代时 x2 已摆到 −23），而普通动"
             "量法收敛；η = 0.2 时它收敛，只是在 x1 方向上较慢（第 20 次迭代时 x1 = −0.961）。"),
        ),
    },
    "ema_momentum": {
        "en": (
            "Momentum as an average: dampening d = γ",
            ("v ← γv + (1 − γ)ηg averages the gradients instead of adding them up: with d = γ = 0.9 the run "
             "is exactly an undamped run with η·(1 − γ) = 0.04, so its first step is 10 times smaller, and it "
             "needs a 10 times larger η to move as fast."),
        ),
        "zh": (
            "平均形式的动量：阻尼 d = γ",
            ("v ← γv + (1 − γ)ηg 是对梯度求平均而不是求和：d = γ = 0.9 时，这次运行与 η·(1"
             " − γ) = 0.04 的无阻尼运行完全相同，所以第一步小 10 倍，要走得一样快需要大 10 倍的 η。"),
        ),
    },
    "beta_weights": {
        "en": (
            "β = 0.1 against β = 0.9 (γ on the sliders)",
            ("β = 0.1 forgets fast: the gradients from now, one and two steps ago weigh 100%, 10%, 1%; β = "
             "0.9 remembers: 100%, 90%, 81% (both drawn below). With the same η = 0.1 the long memory adds up "
             "more, and overshoots: with β = 0.9 x1 passes the minimum, up to 1.48 at epoch 23, and is at "
             "−0.249 after 40 epochs; with β = 0.1 it never passes it and is at −2.036."),
        ),
        "zh": (
            "β = 0.1 与 β = 0.9 比较（滑块中的 γ）",
            ("β = 0.1 很快遗忘：当前、上一步和两步之前的梯度权重为 100%、10%、1%；β = 0.9 记得更久："
             "100%、90%、81%（两者都画在下方）。同样 η = 0.1，长记忆累加得更多，也会冲过头：β = 0.9 "
             "时 x1 越过极小值，第 23 次迭代时到达 1.48，40 次迭代后在 −0.249；β = 0.1 时从不越"
             "过极小值，40 次迭代后在 −2.036。"),
        ),
    },
    "pits": {
        "en": (
            "A ball rolling out of small pits",
            ("GD stops in the first small pit (x1 = −3.84). The source writes momentum as v ← μv − (1 − μ)ηg, "
             "that is γ = d = μ = 0.9: with η = 0.1 its steps are 10 times smaller than undamped momentum's, "
             "and the ball climbs out of the first pit and settles into the second (its bottom at x1 = "
             "−2.41); with η = 1 it moves exactly as undamped momentum at η = 0.1 and rolls through both pits "
             "to the valley floor."),
        ),
        "zh": (
            "小球冲出小坑",
            ("梯度下降停在第一个小坑里（x1 = −3.84）。出处把动量写成 v ← μv − (1 − μ)ηg，即 γ "
             "= d = μ = 0.9：η = 0.1 时步长只有无阻尼动量的 1/10，小球爬出了第一个小坑，却落进第"
             "二个小坑（坑底在 x1 = −2.41）；η = 1 时它与 η = 0.1 的无阻尼动量完全一样，冲过两个小坑"
             "，到达谷底。"),
        ),
    },
    "plateau": {
        "en": (
            "Crossing a plateau",
            ("Where the gradient is almost zero, GD crawls: its first steps are 0.02 long and it leaves the "
             "plateau (f < 0.5) only at epoch 52. Momentum adds its steps up and leaves at epoch 16."),
        ),
        "zh": (
            "穿越高原",
            ("在梯度几乎为零的地方，梯度下降寸步难行：最初每步只走 0.02，直到第 52 次迭代才离开高原（f < 0.5）"
             "。动量法把步长累加起来，第 16 次迭代就离开了。"),
        ),
    },
    "saddle": {
        "en": (
            "Escaping a saddle point",
            ("Near the saddle point (0, 0) the gradient vanishes: GD spends 25 epochs within 0.5 of it before "
             "it escapes to a minimum. Momentum rushes past it in 2 epochs, but overshoots and is still "
             "swinging around the minimum at epoch 50."),
        ),
        "zh": (
            "逃离鞍点",
            ("鞍点 (0, 0) 附近梯度几乎为零：梯度下降在距它 0.5 以内徘徊了 25 次迭代，才逃向一个极小值。动量法"
             "只用 2 次迭代就冲过鞍点，但冲过了头，第 50 次迭代时仍在极小值周围摆动。"),
        ),
    },
    "adam_vs_adamw": {
        "en": (
            "Adam's L2 against AdamW's decoupled weight decay",
            ("The same λ = 0.1, and they end 0.08 apart. Adam adds λx to the gradient, so it ends where ∇f + λx = 0, "
             "the minimum of f + λ|x|²/2 (|∇f + λx| = 0.0001 there). AdamW shrinks x by ηλx apart from the "
             "adaptive rate: its decay is not divided by √ŝ, so it stops where v̂/√ŝ balances λx, which is not that "
             "minimum (|∇f + λx| = 5.7 there)."),
        ),
        "zh": (
            "Adam 的 L2 正则与 AdamW 的解耦权重衰减",
            ("两者的 λ = 0.1 相同，终点却相距 0.08。Adam 把 λx 加到梯度上，所以停在 ∇f + λx = 0 处，即 f + λ|x|²/2 的"
             "极小值点（那里 |∇f + λx| = 0.0001）。AdamW 在自适应学习率之外把 x 缩小 ηλx：它的衰减不被 √ŝ 相除，"
             "所以停在 v̂/√ŝ 与 λx 相抵之处，那不是上述极小值点（那里 |∇f + λx| = 5.7）。"),
        ),
    },
    "lion_sign": {
        "en": (
            "Lion's steps of one size",
            ("Lion steps by the sign of its momentum: every coordinate moves exactly η = 0.1 at every epoch, on the "
             "steep x2 as on the flat x1. x2 reaches 0 at epoch 20, but its momentum (β2 = 0.99 remembers long) "
             "carries it on to 1.1 before it turns; from epoch 51 it swings between 0 and η. x1 passes the "
             "minimum at epoch 50 and keeps going. Adam's steps shrink as it arrives."),
        ),
        "zh": (
            "Lion 的等长步子",
            ("Lion 按动量的符号走：每次迭代每个坐标恰好移动 η = 0.1，陡峭的 x2 与平缓的 x1 都一样。x2 在第 20 次迭代"
             "到达 0，但它的动量（β2 = 0.99，记得很久）把它带到 1.1 才折返；从第 51 次迭代起在 0 与 η 之间摆动。"
             "x1 在第 50 次迭代越过极小值点后继续前进。Adam 的步子则随着接近而缩小。"),
        ),
    },
    "amsgrad_vs_adam": {
        "en": (
            "AMSGrad keeps Adam's rate from growing back",
            ("With β2 = 0.9, Adam's s forgets the large early gradients: its rate η/√ŝ along x2 grows from 0.0125 "
             "to 0.13 by epoch 60. AMSGrad divides by the largest s so far, so its rate ends more than 5 times "
             "smaller along x2 (only the bias correction lets it grow, to 0.02)."),
        ),
        "zh": (
            "AMSGrad 不让 Adam 的学习率回升",
            ("β2 = 0.9 时，Adam 的 s 会忘掉早期的大梯度：它沿 x2 的学习率 η/√ŝ 从 0.0125 升到第 60 次迭代的 0.13。"
             "AMSGrad 除以迄今最大的 s，所以最终沿 x2 的学习率小了 5 倍以上（只有偏差修正让它升到 0.02）。"),
        ),
    },
    "regression": {
        "en": (
            "Momentum against GD on a linear regression",
            ("η = 0.1, γ = 0.9, 100 iterations, as in the source: fitting b + w·x is a tilted bowl. Momentum "
             "swings across it, now below GD, now above, and stays below from iteration 46 on: after 100 "
             "iterations its MSE is 0.807, the least any line reaches on this data, GD's 0.834 (f is ½·MSE). "
             "The source's printed lines cannot come from its own code: run as printed, the code stops at its "
             "first iteration with a broadcasting error (its y is a column, its predictions are not); its X has "
             "no column of ones (no intercept b); the MSE at θ = 0, where it starts, is 13.0 on its data, not "
             "the 5.89 of its first line; and its last line, 0.639, is below what any line reaches."),
        ),
        "zh": (
            "线性回归上的动量法与梯度下降",
            ("η = 0.1，γ = 0.9，100 次迭代，与出处相同：拟合 b + w·x 的损失曲面是一个倾斜的碗。动量"
             "法在碗里来回摆动，时而低于梯度下降，时而高于它，从第 46 次迭代起一直更低：100 次迭代后它的 MSE 为 "
             "0.807，即这组数据上任何直线所能达到的最小值，梯度下降为 0.834（f 是 ½·MSE）。出处打印的结果不"
             "可能来自它自己的代码：照原样运行，代码在第一次迭代就因广播错误而停止（它的 y 是列向量，预测值不是）；"
             "它的 X 没有全为 1 的一列（没有截距 b）；用它的数据，出发点 θ = 0 处的 MSE 是 13.0，而不是它第一行的 "
             "5.89；它最后一行的 0.639 低于任何直线所能达到的值。"),
        ),
    },
    "lr_decay": {
        "en": (
            "η falls to 1/10 every epoch (§7.3, exercise)",
            ("The exercise of §7.3: the learning rate falls to 1/10 of its value after every epoch, η_t = "
             "0.4·0.1^(t−1). The steps shrink with it: x1 moves 0.400, 0.037, 0.004, …; all the η_t together "
             "add up to less than 0.4/(1 − 0.1) = 0.444, so after 20 epochs the run is stuck at x1 = −4.559, "
             "far from the minimum, where the constant η = 0.4 reaches −0.943."),
        ),
        "zh": (
            "η 每个迭代周期降为 1/10（7.3 节练习）",
            ("7.3 节的练习：令学习率每过一个迭代周期减小到原值的 1/10，即 η_t = 0.4·0.1^(t−1)。步"
             "长随之缩小：x1 依次移动 0.400、0.037、0.004……；所有 η_t 加起来也不到 0.4/(1 −"
             " 0.1) = 0.444，所以 20 次迭代后它停在 x1 = −4.559，离极小值很远，而常数 η = 0"
             ".4 已到达 −0.943。"),
        ),
    },
    "momentum_ramp": {
        "en": (
            "γ rising from 0.5 to 0.9",
            ("“In practice γ starts at 0.5 and rises gradually to 0.9”: here γ rises linearly in k = 10 "
             "steps, from 0.5 at epoch 1 to 0.9 at epoch 11, against a constant γ = 0.9, both at η = 0.08 "
             "(a fifth of §7.4's 0.4). Starting "
             "gently, the ramp swings less across x2 (|x2| at most 1.36, against 1.57) and after 20 epochs "
             "has not yet passed the minimum along x1 (x1 = −0.182), while the constant γ = 0.9 has carried "
             "x1 past it to 0.805: the ramp ends 0.230 from the minimum, the constant γ 0.991."),
        ),
        "zh": (
            "γ 从 0.5 逐渐增加到 0.9",
            ("“实际应用中 γ 通常从 0.5 开始，逐渐增加到 0.9”：这里 γ 分 k = 10 步线性增加，"
             "从第 1 次迭代的 0.5 到第 11 次迭代的 0.9，与常数 γ"
             " = 0.9 比较，两者都取 η = 0.08（7.4 节中 0.4 的五分之一）。起步较缓时，x2 方向的摆动"
             "更小（|x2| 最大为 1.36，常数 γ 时为 1.57），20 次迭代后沿 x1 还没有越过极小值（x1 ="
             " −0.182），而常数 γ = 0.9 已把 x1 带过极小值，到达 0.805：逐渐增加的 γ 最后离极小值"
             " 0.230，常数 γ 为 0.991。"),
        ),
    },
    "minibatch": {
        "en": (
            "Batch sizes 1, 10 and 100 (§7.3, exercise)",
            ("The exercise of §7.3, on the 100 points of the momentum article's regression (y = 2 + 3x + noise, "
             "random seed 42) at η = 0.1, the loss counted by examples "
             "processed: small batches fall fastest. After one pass over the data (100 examples) |B| = 1 is "
             "0.005 above the minimum, |B| = 10 0.38 and |B| = 100 (all the data: gradient descent) still "
             "4.69. Counted by steps (switch off the toggle under the loss) the big batch is the steady one: "
             "its loss never rises, |B| = 1's rises on 42 of the 100 steps. A pass takes 100 steps of one "
             "example: the exercise's answer, “small batches: each epoch takes longer, the objective falls "
             "faster”."),
        ),
        "zh": (
            "批量大小 1、10 和 100（7.3 节练习）",
            ("7.3 节的练习：在动量一文的回归数据（y = 2 + 3x 加噪声，随机种子 42）的 100 个点上取 η = 0.1，"
             "按处理过的样本数计损失：批量越小下降"
             "越快。遍历数据一次（100 个样本）后，|B| = 1 的损失只比极小值高 0.005，|B| = 10 高 0.38，"
             "|B| = 100（全部数据，即梯度下降）仍高 4.69。按迭代次数计（关闭损失图下方的开关），大批量最平稳：它"
             "的损失从不上升，|B| = 1 的损失在 100 次中有 42 次上升。每个样本一步，遍历一次要 100 步：正"
             "是练习的答案“批量小，每个迭代周期耗时长，下降速度快”。"),
        ),
    },
    "minibatch_lr": {
        "en": (
            "Batch sizes 1, 10 and 100 at a large η",
            ("The same batches at η = 1. Gradient descent (|B| = 100) is stable, η·λmax = 1.24 < 2, and ends "
             "2.4×10⁻⁸ above the minimum. One example's own curvature is up to 1 + x² = 1.97, so there η·λ is "
             "about 2, at the limit: |B| = 1 jumps, its loss reaching 3.56 above the minimum in the last 25 "
             "steps, |B| = 10 0.26. A large η needs a large batch, or an η that falls."),
        ),
        "zh": (
            "较大 η 下的批量大小 1、10 和 100",
            ("同样的批量，取 η = 1。梯度下降（|B| = 100）是稳定的，η·λmax = 1.24 < 2，最终高于"
             "极小值 2.4×10⁻⁸。单个样本自身的曲率最大为 1 + x² = 1.97，那里 η·λ 约为 2，处于极限"
             "：|B| = 1 跳来跳去，最后 25 步中损失最高超出极小值 3.56，|B| = 10 为 0.26。大的 "
             "η 需要大的批量，或者逐渐减小的 η。"),
        ),
    },
    "ravine": {
        "en": (
            "Zig-zag in a ravine",
            ("GD bounces from wall to wall of the narrow valley: the distance across it, x1 − x2, changes "
             "sign every epoch and shrinks only ×0.84 (1 − 0.23·8) per epoch. Momentum damps the bouncing "
             "(after 30 epochs the distance across is below 0.0001, GD's 0.011) and moves along the valley "
             "faster."),
        ),
        "zh": (
            "峡谷中的锯齿形振荡",
            ("梯度下降在狭窄山谷的两壁之间来回弹跳：横跨山谷的距离 x1 − x2 每次迭代都改变符号，每次只缩小为 0.84"
             " 倍（1 − 0.23·8）。动量法抑制了这种弹跳（30 次迭代后横向距离小于 0.0001，梯度下降为 0.0"
             "11），并且沿山谷走得更快。"),
        ),
    },
}
