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
    key: str  # also the key of its title and lesson in the string tables
    state: AppState
    expected: tuple[str | None, ...] = ()  # the textbook's printed line per run, where it prints one
    source: tuple[tuple[str, str], ...] = ()  # (work, section): the table's `preset_src_<work>` names the work

    def apply(self, state: AppState) -> AppState:
        """`state` showing this experiment."""
        return replace(state, preset=self.key, **{name: getattr(self.state, name) for name in VIEW})

    def is_shown_by(self, state: AppState) -> bool:
        """Does `state` still show this experiment, unchanged?"""
        return (state.start_point == self.state.start_point
                and all(getattr(state, name) == getattr(self.state, name) for name in VIEW if name not in ("x1", "x2")))

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
    ]
}
