"""Every UI string, one table per language. `t(lang, key, **values)` looks one up."""

from __future__ import annotations

from dataclasses import dataclass, field

from surfaces.formula import CONSTRUCTS

LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}

EN = {
    "app_title": "Optimizer trajectory explorer",
    "app_caption": "How gradient descent, momentum and the adaptive methods move on a 2D loss surface. "
    "Drag the sliders; every change redraws the paths. The link in the address bar reproduces this view.",
    "page_explorer": "Explorer",
    "page_stability": "Stability map",
    "page_network": "Small network",
    "page_basins": "Basins of attraction",
    "page_race": "Fair race",
    "race_title": "A fair race",
    "race_caption": "Each optimizer at its best settings for this surface, from the explorer's start, for {epochs} "
    "epochs: one sweep over its settings, those that diverged left out, the lowest final loss wins; then all of them "
    "race from the same start.",
    "race_searched": "Searched: η at every stop of its slider; {decays} at {grid}; the other settings at their "
    "defaults.",
    "race_rank": "rank",
    "race_run": "optimizer and best settings",
    "race_loss": "final loss",
    "race_tried": "settings tried",
    "race_tried_value": "{searched} ({diverged} diverged)",
    "race_all_diverged": "Every setting searched diverged for: {names}.",
    "race_open": "Open the first {n} in the explorer",
    "basins_title": "Basins of attraction",
    "basins_caption": "Every point of the plot is a start: each explorer run goes {epochs} epochs from each of "
    "{n} × {n} starts, and the start takes the colour of the minimum its run ends in (within 1% of the plot's size), "
    "black if it diverged, grey if it ended elsewhere (still on its way, or stopped at no minimum). A click on a point "
    "opens the explorer from there.",
    "basin_epochs": "epochs from each start",
    "basin_diverged": "diverged",
    "basin_elsewhere": "elsewhere",
    "basins_summary": "{label}: the global minimum from {global_share:.0f}% of the starts, another minimum from "
    "{local_share:.0f}%, diverged from {diverged:.0f}%, elsewhere {elsewhere:.0f}%.",
    "basins_no_minima": "No minimum was found inside the plot: every start is coloured by divergence only.",
    "basins_progress": "Computing the basins: piece {done} of {total} (the starts so far are drawn below; change "
    "anything to stop it)",
    "race_progress": "Searching each optimizer's settings: {done} of {total} done (change anything to stop it)",
    "net_progress": "Training {runs}: step {done:,} of {total:,} (the losses so far are drawn below; change anything "
    "to stop it)",
    "net_title": "Momentum on a small network",
    "net_caption": "The 1-4-1 tanh network (13 parameters) of Laobing's Deep Learning Explained, “Momentum "
    "gradient descent”, fitted to sin(x) at 20 points of [−5, 5], trained with the runs in the sidebar and the same "
    "update rules as the explorer. A run stops when its loss falls below the target, as in the article.",
    "net_preset": "Back to the article's run: momentum η = 0.01, γ = 0.9, dampening d = 0.9, target 0.005, "
    "start torch.manual_seed(99)",
    "net_steps": "steps",
    "net_target": "stop below loss (0: never)",
    "net_init": "initial weights: torch.manual_seed",
    "net_step": "step",
    "net_shown": "show the fit at step",
    "net_diverged": "{label}: the loss stopped being a finite number at step {step}, so the run diverged; "
    "try a smaller η.",
    "line_diverged": " (diverged at epoch {epoch})",
    "line_undefined": " (f is not defined here: the run stops)",
    "line_stopped": " (diverged at epoch {epoch}; the last finite point)",
    "line_axes": "  (x1 = {x1}, x2 = {x2})",
    "net_loss_title": "Loss per step (mean squared error, log scale)",
    "net_fit_title": "The training points and each run's curve",
    "net_stopped": "{label}: the loss fell below {target:g} at step {step}; the largest error on the training points is {error:.3f}.",
    "net_not_stopped": "{label}: did not reach the target in {steps} steps (loss {loss:.4g}); the largest error on the training points is {error:.3f}.",
    "map_progress": "Computing the map: piece {done} of {total} (the rows so far are drawn below; change anything "
    "to stop it)",
    "map_title": "Stability map",
    "map_scheduled": "Every cell keeps its η and second hyperparameter constant for all epochs, and so does the theory: "
    "the map does not describe the explorer's run(s) whose values follow a schedule ({runs}). A click on a cell opens "
    "that constant run.",
    "map_caption": "Every cell is one run with its η and second hyperparameter, on the explorer's surface, from its "
    "start point, for its epochs; the other hyperparameters keep their defaults. On quadratic surfaces the dashed "
    "line is the theory's limit.",
    "map_lr_min": "η from",
    "map_lr_max": "η to",
    "map_log": "log η axis",
    "map_lr_error": "The η range needs 0 < from < to; the map keeps its previous range.",
    "map_axis_epochs": "epochs",
    "map_colour": "log₁₀(f − f*)",
    "map_converging": "converging (coloured by its final loss)",
    "map_growing": "growing",
    "map_diverged": "diverged",
    "map_no_convergence": "ρ ≥ 1: no convergence",
    "map_boundary": "theory's stability limit",
    "map_optimum": "fastest",
    "map_rate": "ρ",
    "map_outcome_title": "Outcome after the last epoch",
    "map_rate_title": "Theoretical convergence rate: the error shrinks ×ρ per epoch",
    "map_summary": "{cells:,} runs of {epochs} epochs: {converging:,} converging (final loss below the start's), "
    "{growing:,} growing (finite, but above the start's), {diverged:,} diverged (a coordinate beyond {bound} or not "
    "finite). y axis: {axis}.",
    "map_swinging": "{n:,} growing cells lie inside the theory's limit (ρ < 1): they will converge, but with ρ "
    "close to 1 their swing has not yet brought the loss below the start's.",
    "map_not_yet": "{n:,} cells past the theory's limit (ρ > 1) are still below the start's loss: in so few epochs "
    "the growing direction has not yet outweighed the others.",
    "map_click_hint": "Click a cell to load its settings as run 1 in the explorer.",
    "map_no_theory": "The linear theory covers gradient descent, momentum and Nesterov on quadratic surfaces "
    "(quadratic, bowl, ravine).",
    "map_gd_rate": "Gradient descent is stable for η < {limit:.4g}. The fastest rate is at η = 2/(λmin + λmax) = "
    "{best:.4g}, where the error shrinks ×{rho:.4f} per epoch.",
    "map_optimum_text": "Fastest on this grid: η = {lr:.4g}, γ = {gamma:.3f}, error ×{rho:.4f} per epoch.",
    "readout_stable": "Theory: stable for η < {limit:.4g} (λmax = {lam:.3g}). Per epoch the error shrinks {factors}.",
    "readout_unstable": "Theory: unstable, η = {lr:g} is past the limit {limit:.4g} (λmax = {lam:.3g}). Per epoch the error changes {factors}.",
    "readout_edge": "Theory: η = {lr:g} is on the limit (λmax = {lam:.3g}): along λmax the error neither shrinks nor grows. Per epoch it changes {factors}.",
    "readout_factor": "×{rho} along λ = {lam:.3g}",
    "readout_sep": ", ",
    "readout_damped": "With dampening the step is (1 − d)η = {step:.4g}, so the limit is 1/(1 − d) = {gain:.4g} times the undamped one.",
    "readout_quiet": "The start holds no error along λ = {lams}, so there is nothing to grow: this run stays finite.",
    "readout_noise": "The noise keeps the error from reaching 0: it settles at a standard deviation of about {spread:.2g} along λ = {lam:.3g}.",
    "readout_no_step": "Theory: with d = 1 the step (1 − d)η is 0, so x never moves.",
    "readout_scheduled": "Theory withheld: {symbols} follows a schedule and changes from epoch to epoch, so the analysis "
    "for constant values (one stable limit, one rate per epoch) does not apply to this run.",
    "readout_minibatch": "That is the theory of the full gradient (|B| = n): each minibatch of {size} of the {n} "
    "examples has its own gradient and curvature, so the path wanders around the mean path and does not settle at "
    "the minimum unless the data lie exactly on a line.",
    "readout_bias_correction": "Theory withheld: with bias correction the step v/(1 − γᵗ) changes every epoch (it is 1/(1 − γ) times v at epoch 1 and nears v later), so no single limit or rate per epoch describes this run.",
    "language": "Language / 语言",
    "experiments": "Textbook experiments",
    "experiment_pick": "Load an experiment…",
    "preset_changed": "you have changed this experiment since it was loaded, so its lesson and the textbook's "
    "numbers no longer describe this view.",
    "preset_reset": "Reset the experiment",
    "hidden_note": "Some controls are hidden for this exercise; their values still apply.",
    "exercise_title": "Make an exercise from this view",
    "exercise_hide": "Hide from the students",
    "exercise_pick": "Pick what they should predict",
    "exercise_all": "every control",
    "exercise_field": "{run}: {field}",
    "exercise_runs": "adding and removing runs",
    "exercise_link": "The students' link. The hidden values are packed into it: out of sight at a glance, not "
                     "secret from a student who decodes it.",
    "exercise_qr": "QR code of the students' link",
    "reveal": "Reveal the hidden controls",
    "surface": "Surface",
    "epochs": "Epochs",
    "start": "Start point",
    "click_hint": "Or click on the contour to start from there.",
    "start_reset": "The new f is not defined at the start ({old1:g}, {old2:g}), so the start moved to ({x1:g}, {x2:g}), "
    "where it is.",
    "start_undefined": "f or its gradient is not finite at the start ({x1:g}, {x2:g}): no step can be taken from "
    "there. Choose another start point.",
    "runs": "Runs",
    "run_n": "Run {n}",
    "optimizer": "Optimizer",
    "add_run": "+ Add a run",
    "remove_run": "Remove run {n}",
    "results": "Where each run ends (the textbook's printout)",
    "diverged_bound": "Run {n} diverged at epoch {epoch}: |{coord}| passed {bound:.0e}",
    "left_domain": "Run {n} stepped at epoch {epoch} to ({x1:.4g}, {x2:.4g}), where f is not defined: there is no "
    "gradient there, so it stops. It did not blow up; try a smaller η or another start.",
    "diverged_nonfinite": "Run {n} diverged at epoch {epoch}: {coord} is no longer a finite number",
    "diverging": "Run {n} is diverging: it left the plot at epoch {epoch} and moves away from the minimum; "
    "at epoch {last}, |{coord}| = {value:.6g}.",
    "expected": "textbook prints: `{line}` — {verdict}",
    "matches": "matches",
    "differs": "differs",
    "loss_axis": "f(x) − f*",
    "loss_title": "Loss per epoch (height above the lowest minimum, log scale)",
    "loss_by_examples": "Loss against the examples processed",
    "loss_by_examples_help": "One step of |B| examples counts |B| (gradient descent: all {n}); {n} examples make one "
    "pass over the data. Log scale, so that batches of 1 and of {n} both show.",
    "loss_title_examples": "Loss against the examples processed (height above the lowest minimum, log scales)",
    "examples_axis": "examples processed",
    "noise_minibatch": "Noise here: each step uses the mean gradient of |B| of the n = {n} data points, drawn at "
    "random without replacement (σ is not used); |B| = n is gradient descent.",
    "noise_gaussian": "Noise here: Gaussian, σ·ξ added to the exact gradient (on the regression surface SGD draws "
    "true minibatches from the data instead).",
    "schedule_title": "{symbol} per epoch: the value each epoch's update uses",
    "schedule": "{symbol} over the epochs",
    "label_schedule": " ({name})",
    "epoch": "epoch",
    "rule_title": "Update rules, with the current values",
    "switch_on": "on",
    "switch_off": "off",
    "momentum_title": "How much of the past momentum keeps",
    "momentum_text": "The velocity v adds up past gradients: the one from k steps ago enters with weight γᵏ, times 1 "
    "− d when each new gradient is damped by d (1 − β1 in Adam). Undamped, the weights add up to 1/(1 − γ); with d = "
    "γ they add up to 1, an average. About the last 1/(1 − γ) gradients matter (Dive into Deep Learning §7.4.2.1; the "
    "dashed lines).",
    "momentum_run": "{label}: now {w0:.0f}%, one step ago {w1:.0f}%, two steps ago {w2:.0f}%; all together "
    "{total:.0f}%; 1/(1 − {symbol}) = {window}.",
    "momentum_run_scheduled": "{label}: {symbol} follows a schedule, so the weights change from epoch to epoch; at "
    "the last epoch ({epoch}): now {w0:.0f}%, one step ago {w1:.0f}%, two steps ago {w2:.0f}%; all together "
    "{total:.0f}% (the gradient of k steps ago is multiplied by every {symbol} since).",
    "momentum_hidden": "This exercise hides γ, so its weights are hidden too.",
    "lesson_reveal": "The lesson (open it after you have made your prediction)",
    "momentum_none": "Add a run with momentum, Nesterov or Adam to see the weights γᵏ it puts on past gradients.",
    "weights_x": "steps ago (k)",
    "weights_y": "weight (1 − d)·γᵏ (%)",
    "lesson": "Lesson",
    "source": "Source: {source}",
    "preset_src_join": "; ",
    "preset_src_d2l": "Dive into Deep Learning (Chinese edition, PyTorch version), §{part}",
    "preset_src_d2l_exercise": "Dive into Deep Learning (Chinese edition, PyTorch version), §{part}, exercises",
    "preset_src_azhen": "Azhen's study notes, “Chapter 7”, §{part}",
    "preset_src_azhen_exercise": "Azhen's study notes, “Chapter 7”, §{part}, answers to the exercises",
    "preset_src_momentum_article": "the article “Momentum-based gradient descent”, part {part}",
    "preset_src_laobing": "Laobing's Deep Learning Explained (bbbdata.com), “Momentum gradient descent”",
    "preset_src_sgd_momentum": "the article “SGD with Momentum in deep-learning optimizers: principle and "
    "implementation details”, step {part}",
    "url_unknown": "Ignored `{field}={value}` in the link: it is not one of {valid}. Using the default instead.",
    "url_not_number": "Ignored `{field}={value}` in the link: it is not a number (valid: {valid}). Using the default instead.",
    "url_out_of_range": "Ignored `{field}={value}` in the link: it is outside {valid}. Using the default instead.",
    "url_invalid": "Ignored `{field}={value}` in the link: {valid}. Using the default instead.",
    "exercise_unreadable": "it is not an exercise made by this app (perhaps cut short when it was copied)",
    "valid_bool": "it must be true or false (or 1 or 0)",
    "list_separator": ", ",
    "start_legend": "start",
    "point_global_minimum": "global minimum",
    "point_minimum": "local minimum",
    "point_saddle": "saddle point",
    "point_maximum": "maximum",
    "eigenvalues": "Hessian eigenvalues:",
    "diverged_short": "diverged",
    "left_plot": "left the plot at epoch {epoch}",
    "undefined_short": "not defined",
    "equal_axes": "Same scale on both axes (the gradient then looks perpendicular to the contour lines)",
    "view3d": "3D view: the surface, each path at the height of its loss (drag to turn it)",
    "vectors": "Inside the optimizer: arrows at the current epoch, g, v and the rates per epoch",
    "vectors_note": "Arrows from each run's point at the current epoch: black, the step it takes next; grey dotted, "
    "straight downhill (−g); blue dashed, against the velocity (−v) where the method keeps one; both with the "
    "step's length. The angle between them is what momentum or an adaptive method changed.",
    "arrow_step": "next step",
    "arrow_downhill": "−g",
    "internals_title": "Inside the optimizer, epoch by epoch",
    "internals_gradient": "|g|",
    "internals_velocity": "|v|",
    "internals_step": "|step|",
    "internals_rate": "effective rate −step/g",
    "internals_lengths": "length",
    "internals_styles": "|g| solid, |step| dashed, |v| dotted",
    "internals_rate_styles": "x1 solid, x2 dashed",
    "export_title": "Export for handouts",
    "export_png": "PNG: the camera at the chart's top right (shown when the pointer is over the chart).",
    "export_csv": "Paths as CSV",
    "export_torch": "Download the PyTorch script",
    "export_html": "Figure as HTML (offline)",
    "torch_none": "No PyTorch snippet: PyTorch has no such optimizer, or this surface has no formula to write "
    "(the regression's data).",
    "torch_agrees": "PyTorch's form is the same as ours: this prints the run's line.",
    "torch_differs_noise": "PyTorch's SGD has no gradient noise σ: its points are those of σ = 0.",
    "torch_differs_dampening": "With d ≠ 0 PyTorch differs at the first step: its buffer starts at g, not (1 − d)·g.",
    "torch_differs_bias_correction": "PyTorch's SGD has no bias correction: its points are those without it.",
    "torch_differs_nesterov": "PyTorch's nesterov=True iterates the look-ahead points x − γv, not the formula's x: "
    "its points differ.",
    "torch_differs_eps": "PyTorch adds ε outside the square root (η / (√s + ε)); ours, as in the textbook, inside "
    "(η / √(s + ε)): its points differ slightly.",
    "torch_differs_schedule": "This run's values follow a schedule; the snippet keeps them constant.",
    "play": "▶ play",
    "pause": "❚❚ pause",
    "step_back": "one epoch back",
    "step_forward": "one epoch forward",
    "speed": "speed",
    "trail": "trail: hide the path ahead",
    "never": "∞",
    # optimizers
    # hyperparameters
    # surfaces
    "surf_custom": "Your own formula…",
    "data_n": "data points",
    "data_noise": "noise σ",
    "fit_data": "data",
    "formula": "f(x1, x2) =",
    "formula_help": "Use x1, x2 (or x, y), numbers, + - * / ** ^, pi, e and sin cos tan exp log sqrt abs tanh sinh cosh arctan.",
    "formula_error": "Not applied: {error}. The plot keeps the previous formula.",
    "plot_range": "Plot range",
    "bound_x1_min": "x1 from",
    "bound_x1_max": "x1 to",
    "bound_x2_min": "x2 from",
    "bound_x2_max": "x2 to",
    "bounds_error": "Each range needs from < to; the plot keeps the previous range.",
    "bounds_refused": "Not applied to this range: {error}. The plot keeps the previous range.",
    "undefined_share": "f is undefined (not a finite number) on {share:.0f}% of the plot; those parts are left blank.",
    "url_formula": "Ignored the formula `{value}` in the link: {valid}. Using the default instead.",
    # presets: title and one-line lesson
}

ZH = {
    "app_title": "优化算法轨迹探索器",
    "app_caption": "观察梯度下降、动量法和自适应方法在二维损失曲面上如何移动。拖动滑块，轨迹会立即重画；"
    "地址栏中的链接可以完整重现当前视图。",
    "page_explorer": "轨迹探索",
    "page_stability": "稳定性图",
    "page_network": "小型网络",
    "page_basins": "吸引域",
    "page_race": "公平比赛",
    "race_title": "公平比赛",
    "race_caption": "每个优化算法都取它在这个曲面上的最佳设置：从探索页的初始点出发、迭代 {epochs} 次，扫描它的设置，"
    "去掉发散的，最终损失最低者胜出；然后所有算法从同一个初始点比赛。",
    "race_searched": "扫描范围：η 取其滑块的每一档；{decays} 取 {grid}；其余设置取默认值。",
    "race_rank": "名次",
    "race_run": "优化算法及最佳设置",
    "race_loss": "最终损失",
    "race_tried": "尝试的设置",
    "race_tried_value": "{searched}（{diverged} 个发散）",
    "race_all_diverged": "以下算法扫描的每个设置都发散：{names}。",
    "race_open": "在探索页中打开前 {n} 名",
    "basins_title": "吸引域",
    "basins_caption": "图中每个点都是一个初始点：探索页的每个运行从 {n} × {n} 个初始点各迭代 {epochs} 次，"
    "初始点按其运行最终到达的极小值点着色（距离在图幅的 1% 以内），发散为黑色，停在别处为灰色（仍在途中，或停在非极小值处）。"
    "点击一个点，会从该点打开探索页。",
    "basin_epochs": "每个初始点的迭代次数",
    "basin_diverged": "发散",
    "basin_elsewhere": "别处",
    "basins_summary": "{label}：{global_share:.0f}% 的初始点到达全局极小值点，{local_share:.0f}% 到达其他极小值点，"
    "{diverged:.0f}% 发散，{elsewhere:.0f}% 停在别处。",
    "basins_no_minima": "图中没有找到极小值点：每个初始点只按是否发散着色。",
    "basins_progress": "正在计算吸引域：第 {done} 块，共 {total} 块（下面先画出已算好的初始点；更改任何设置即可停止）",
    "race_progress": "正在扫描各优化算法的设置：已完成 {done} 个，共 {total} 个（更改任何设置即可停止）",
    "net_progress": "正在训练 {runs}：第 {done:,} 步，共 {total:,} 步（下面先画出目前的损失；更改任何设置即可停止）",
    "net_title": "小型神经网络上的动量法",
    "net_caption": "《老饼讲解-深度学习》“动量梯度下降法”一文中的 1-4-1 tanh 网络（13 个参数），拟合 [−5, 5] 上 20 个点的 sin(x)，"
    "使用侧栏中的运行和与探索页相同的更新规则训练。和该文一样，损失低于目标时停止。",
    "net_preset": "回到该文的设置：动量法 η = 0.01，γ = 0.9，阻尼 d = 0.9，目标 0.005，初始权重的随机种子 99（PyTorch）",
    "net_steps": "训练步数",
    "net_target": "损失低于此值时停止（0：不停止）",
    "net_init": "初始权重的随机种子（与 PyTorch 相同）",
    "net_step": "步",
    "net_shown": "显示第几步的拟合",
    "net_diverged": "{label}：第 {step} 步时损失不再是有限数，运行已发散；请尝试更小的 η。",
    "line_diverged": "（在第 {epoch} 次迭代发散）",
    "line_undefined": "（f 在此处没有定义：运行停止）",
    "line_stopped": "（在第 {epoch} 次迭代发散；这是最后一个有限的点）",
    "line_axes": "（x1 = {x1}，x2 = {x2}）",
    "net_loss_title": "每一步的损失（均方误差，对数坐标）",
    "net_fit_title": "训练数据与每次运行的拟合曲线",
    "net_stopped": "{label}：第 {step} 步损失低于 {target:g}；训练点上的最大误差为 {error:.3f}。",
    "net_not_stopped": "{label}：{steps} 步内未达到目标（损失 {loss:.4g}）；训练点上的最大误差为 {error:.3f}。",
    "map_progress": "正在计算稳定性图：第 {done} 块，共 {total} 块（下面先画出已算好的行；更改任何设置即可停止）",
    "map_title": "稳定性图",
    "map_scheduled": "每个格子在所有迭代中保持其 η 和第二个超参数不变，理论也是如此：这张图不描述探索页中数值按计划变化的运行"
    "（{runs}）。点击一个格子会打开对应的常数运行。",
    "map_caption": "每个格子是一次运行：使用该格子的 η 和第二个超参数，在探索页的曲面上从其初始点出发，迭代探索页设定的次数；"
    "其余超参数取默认值。在二次函数曲面上，虚线是理论给出的稳定界限。",
    "map_lr_min": "η 下限",
    "map_lr_max": "η 上限",
    "map_log": "η 轴取对数",
    "map_lr_error": "η 的范围需要满足 0 < 下限 < 上限；图保持原来的范围。",
    "map_axis_epochs": "迭代次数",
    "map_colour": "log₁₀(f − f*)",
    "map_converging": "收敛（颜色表示最终损失）",
    "map_growing": "增长",
    "map_diverged": "发散",
    "map_no_convergence": "ρ ≥ 1：不收敛",
    "map_boundary": "理论稳定界限",
    "map_optimum": "最快",
    "map_rate": "ρ",
    "map_outcome_title": "最后一次迭代后的结果",
    "map_rate_title": "理论收敛速度：误差每次迭代缩小为 ρ 倍",
    "map_summary": "共 {cells:,} 次运行，每次 {epochs} 次迭代：{converging:,} 次收敛（最终损失低于初始点的损失），"
    "{growing:,} 次增长（损失有限，但高于初始点的损失），{diverged:,} 次发散（某个坐标超过 {bound} 或不再是有限数）。"
    "纵轴：{axis}。",
    "map_swinging": "有 {n:,} 个增长的格子位于理论稳定界限之内（ρ < 1）：它们终将收敛，只是 ρ 接近 1，"
    "来回摆动尚未使损失降到初始点以下。",
    "map_not_yet": "有 {n:,} 个格子越过了理论稳定界限（ρ > 1），损失却仍低于初始点：迭代次数太少，"
    "增长的方向还没有盖过其他方向。",
    "map_click_hint": "点击格子，把它的设置载入为探索页的运行 1。",
    "map_no_theory": "线性理论适用于二次函数曲面（病态二次函数、碗形函数、斜向峡谷）上的梯度下降、动量法和 Nesterov。",
    "map_gd_rate": "梯度下降在 η < {limit:.4g} 时稳定。最快的是 η = 2/(λmin + λmax) = {best:.4g}，误差每次迭代缩小为 ×{rho:.4f}。",
    "map_optimum_text": "本网格上最快：η = {lr:.4g}，γ = {gamma:.3f}，误差每次迭代 ×{rho:.4f}。",
    "readout_stable": "理论：η < {limit:.4g} 时稳定（λmax = {lam:.3g}）。每次迭代误差 {factors}。",
    "readout_unstable": "理论：不稳定，η = {lr:g} 超过了界限 {limit:.4g}（λmax = {lam:.3g}）。每次迭代误差 {factors}。",
    "readout_edge": "理论：η = {lr:g} 恰在界限上（λmax = {lam:.3g}）：沿 λmax 方向误差既不缩小也不增长。每次迭代误差 {factors}。",
    "readout_factor": "沿 λ = {lam:.3g} 方向 ×{rho}",
    "readout_sep": "，",
    "readout_damped": "有阻尼时每步为 (1 − d)η = {step:.4g}，所以界限是无阻尼时的 1/(1 − d) = {gain:.4g} 倍。",
    "readout_quiet": "起点沿 λ = {lams} 方向没有误差，没有可以增长的部分：这次运行保持有限。",
    "readout_noise": "噪声使误差降不到 0：最终沿 λ = {lam:.3g} 方向的标准差约为 {spread:.2g}。",
    "readout_no_step": "理论：d = 1 时步长 (1 − d)η 为 0，x 始终不动。",
    "readout_scheduled": "理论从略：{symbols} 按计划随迭代变化，针对常数超参数的分析（一个稳定界限、每次迭代一个缩放系数）不适用于这次运行。",
    "readout_minibatch": "以上是全量梯度（|B| = n）的理论：从 {n} 个样本中取 {size} 个的每个小批量都有自己的梯度和曲率，"
    "所以轨迹围绕平均轨迹摆动；除非数据恰好落在一条直线上，它不会停在极小值点。",
    "readout_bias_correction": "理论从略：有偏差修正时，步长 v/(1 − γᵗ) 每次迭代都在变（第 1 次迭代是 v 的 1/(1 − γ) 倍，之后趋近 v），所以没有一个固定的界限或每次迭代的缩放系数能描述这次运行。",
    "language": "Language / 语言",
    "experiments": "教材实验",
    "experiment_pick": "载入一个实验…",
    "preset_changed": "载入之后你已修改了这个实验，因此它的结论和教材中的数值不再描述当前视图。",
    "preset_reset": "重置这个实验",
    "hidden_note": "为了这道练习，部分控件已隐藏；它们的取值仍然有效。",
    "exercise_title": "用当前视图出一道练习",
    "exercise_hide": "对学生隐藏",
    "exercise_pick": "选择要让学生预测的量",
    "exercise_all": "所有控件",
    "exercise_field": "{run}：{field}",
    "exercise_runs": "添加和删除运行",
    "exercise_link": "学生的链接。隐藏的取值被打包在链接里：一眼看不出，但有心解码的学生仍能读到。",
    "exercise_qr": "学生链接的二维码",
    "reveal": "显示隐藏的控件",
    "surface": "目标函数曲面",
    "epochs": "迭代次数",
    "start": "初始点",
    "click_hint": "也可以在等高线图上点击，从该点出发。",
    "start_reset": "新的 f 在初始点 ({old1:g}, {old2:g}) 处没有定义，初始点已移到有定义的 ({x1:g}, {x2:g})。",
    "start_undefined": "f 或其梯度在初始点 ({x1:g}, {x2:g}) 处不是有限值，无法从那里迈出一步。请换一个初始点。",
    "runs": "运行",
    "run_n": "运行 {n}",
    "optimizer": "优化算法",
    "add_run": "+ 添加一次运行",
    "remove_run": "删除运行 {n}",
    "results": "每次运行的终点（教材的输出格式）",
    "diverged_bound": "运行 {n} 在第 {epoch} 次迭代发散：|{coord}| 超过了 {bound:.0e}",
    "left_domain": "运行 {n} 在第 {epoch} 次迭代走到了 f 没有定义的 ({x1:.4g}, {x2:.4g})：那里没有梯度，所以停下。它并没有发散；请尝试更小的 η 或换一个初始点。",
    "diverged_nonfinite": "运行 {n} 在第 {epoch} 次迭代发散：{coord} 不再是有限数",
    "diverging": "运行 {n} 正在发散：它在第 {epoch} 次迭代离开画面，并越走越远；第 {last} 次迭代时 |{coord}| = {value:.6g}。",
    "expected": "教材输出：`{line}`——{verdict}",
    "matches": "一致",
    "differs": "不一致",
    "loss_axis": "f(x) − f*",
    "loss_title": "每次迭代的损失（高于最低极小值的部分，对数坐标）",
    "loss_by_examples": "按处理过的样本数显示损失",
    "loss_by_examples_help": "每步 |B| 个样本计 |B|（梯度下降：全部 {n} 个）；{n} 个样本为遍历数据一次。对数坐标，"
    "使批量 1 和 {n} 都能看清。",
    "loss_title_examples": "损失随处理过的样本数的变化（高于最低极小值的部分，双对数坐标）",
    "examples_axis": "处理过的样本数",
    "noise_minibatch": "此处的噪声：每步取 n = {n} 个数据点中随机抽取（不放回）的 |B| 个点的平均梯度（不使用 σ）；"
    "|B| = n 即梯度下降。",
    "noise_gaussian": "此处的噪声：高斯噪声，在精确梯度上加 σ·ξ（在线性回归曲面上，随机梯度下降改为从数据中抽取真正的小批量）。",
    "schedule_title": "每次迭代的 {symbol}：该次更新所用的值",
    "schedule": "{symbol} 随迭代的变化",
    "label_schedule": "（{name}）",
    "epoch": "迭代",
    "rule_title": "更新规则与当前取值",
    "switch_on": "开启",
    "switch_off": "关闭",
    "momentum_title": "动量保留了多少过去的梯度",
    "momentum_text": "速度 v 累加过去的梯度：k 步之前的梯度以权重 γᵏ 进入 v；若每个新梯度按 d 阻尼，还要乘以 1 − d（Adam 中为 1 − β1）。无阻尼时权重之和为 1/(1 − γ)；d "
    "= γ 时权重之和为 1，即平均。大约最近 1/(1 − γ) 个梯度起作用（《动手学深度学习》7.4.2.1 节；见虚线）。",
    "momentum_run": "{label}：当前 {w0:.0f}%，上一步 {w1:.0f}%，两步之前 {w2:.0f}%；合计 {total:.0f}%；1/(1 − {symbol}) = {window}。",
    "momentum_run_scheduled": "{label}：{symbol} 按计划变化，所以权重随迭代而变；在最后一次迭代（第 {epoch} 次）："
    "当前 {w0:.0f}%，上一步 {w1:.0f}%，两步之前 {w2:.0f}%；合计 {total:.0f}%（k 步之前的梯度乘以此后的每一个 {symbol}）。",
    "momentum_hidden": "这个练习隐藏了 γ，所以它的权重也隐藏了。",
    "lesson_reveal": "要点（先作出预测，再打开）",
    "momentum_none": "添加一次动量法、Nesterov 或 Adam 运行，即可看到它给过去梯度的权重 γᵏ。",
    "weights_x": "之前的步数 k",
    "weights_y": "权重 (1 − d)·γᵏ (%)",
    "lesson": "要点",
    "source": "出处：{source}",
    "preset_src_join": "；",
    "preset_src_d2l": "《动手学深度学习》（PyTorch 版）{part} 节",
    "preset_src_d2l_exercise": "《动手学深度学习》（PyTorch 版）{part} 节练习",
    "preset_src_azhen": "阿臻的学习笔记《第七章》{part} 节",
    "preset_src_azhen_exercise": "阿臻的学习笔记《第七章》{part} 节练习解答",
    "preset_src_momentum_article": "文章《基于动量的梯度下降》第 {part} 部分",
    "preset_src_laobing": "《老饼讲解-深度学习》：动量梯度下降法",
    "preset_src_sgd_momentum": "文章《深度学习中优化器的带动量的随机梯度下降原理与实现细节》第 {part} 步",
    "url_unknown": "已忽略链接中的 `{field}={value}`：它不在 {valid} 之中，改用默认值。",
    "url_not_number": "已忽略链接中的 `{field}={value}`：它不是数字（有效范围 {valid}），改用默认值。",
    "url_out_of_range": "已忽略链接中的 `{field}={value}`：它超出了 {valid}，改用默认值。",
    "url_invalid": "已忽略链接中的 `{field}={value}`：{valid}，改用默认值。",
    "exercise_unreadable": "它不是本应用生成的练习链接（也许复制时被截断了）",
    "valid_bool": "它必须是 1（开启）或 0（关闭）",
    "list_separator": "、",
    "start_legend": "初始点",
    "point_global_minimum": "全局极小值点",
    "point_minimum": "局部极小值点",
    "point_saddle": "鞍点",
    "point_maximum": "极大值点",
    "eigenvalues": "黑塞矩阵特征值：",
    "diverged_short": "已发散",
    "left_plot": "第 {epoch} 次迭代时离开图框",
    "undefined_short": "无定义",
    "equal_axes": "两轴同一比例（这样梯度看起来与等高线垂直）",
    "view3d": "三维视图：曲面，每条轨迹的高度为其损失（拖动可旋转）",
    "vectors": "优化算法内部：当前迭代处的箭头，以及逐次迭代的 g、v 和有效学习率",
    "vectors_note": "箭头从每个运行在当前迭代的点出发：黑色为它的下一步；灰色点线为最速下降方向（−g）；"
    "蓝色虚线为速度的反方向（−v，仅限保存速度的方法）；两者都与下一步等长。它们之间的夹角就是动量法或自适应方法所改变的。",
    "arrow_step": "下一步",
    "arrow_downhill": "−g",
    "internals_title": "优化算法内部，逐次迭代",
    "internals_gradient": "|g|",
    "internals_velocity": "|v|",
    "internals_step": "|步长|",
    "internals_rate": "有效学习率 −步长/g",
    "internals_lengths": "大小",
    "internals_styles": "|g| 实线，|步长| 虚线，|v| 点线",
    "internals_rate_styles": "x1 实线，x2 虚线",
    "export_title": "导出讲义材料",
    "export_png": "PNG：图表右上角的相机按钮（鼠标移到图表上时显示）。",
    "export_csv": "轨迹（CSV）",
    "export_torch": "下载 PyTorch 脚本",
    "export_html": "交互式图表（HTML，可离线打开）",
    "torch_none": "没有 PyTorch 代码：PyTorch 没有这种优化算法，或这个曲面没有可以写出的公式（回归的数据）。",
    "torch_agrees": "PyTorch 的形式与我们的相同：这段代码打印出该运行的结果行。",
    "torch_differs_noise": "PyTorch 的随机梯度下降没有梯度噪声 σ：它的点是 σ = 0 时的点。",
    "torch_differs_dampening": "d ≠ 0 时 PyTorch 在第一步就不同：它的缓冲从 g 开始，而不是 (1 − d)·g。",
    "torch_differs_bias_correction": "PyTorch 的动量法没有偏差修正：它的点是不修正时的点。",
    "torch_differs_nesterov": "PyTorch 的 Nesterov 动量迭代的是前瞻点 x − γv，而不是公式中的 x：它的点不同。",
    "torch_differs_eps": "PyTorch 把 ε 加在平方根外（η / (√s + ε)）；我们与教材一样加在根号内（η / √(s + ε)）：它的点略有不同。",
    "torch_differs_schedule": "该运行的数值按计划变化；这段代码把它们保持为常数。",
    "play": "▶ 播放",
    "pause": "❚❚ 暂停",
    "step_back": "后退一次迭代",
    "step_forward": "前进一次迭代",
    "speed": "速度",
    "trail": "轨迹：隐藏之后的路径",
    "never": "∞",
    "surf_custom": "自定义公式…",
    "data_n": "数据点个数",
    "data_noise": "噪声 σ",
    "fit_data": "数据",
    "formula": "f(x1, x2) =",
    "formula_help": "可以使用 x1、x2（或 x、y）、数字、+ - * / ** ^、pi、e 以及 sin cos tan exp log sqrt abs tanh sinh cosh arctan。",
    "formula_error": "未应用：{error}。图中仍显示之前的公式。",
    "plot_range": "绘图范围",
    "bound_x1_min": "x1 从",
    "bound_x1_max": "x1 到",
    "bound_x2_min": "x2 从",
    "bound_x2_max": "x2 到",
    "bounds_error": "每个范围都需要 从 < 到；图保持原来的范围。",
    "bounds_refused": "这个范围未被采用：{error}。图保持原来的范围。",
    "undefined_share": "f 在 {share:.0f}% 的绘图区域上没有定义（不是有限数），这些部分留空。",
    "url_formula": "已忽略链接中的公式 `{value}`：{valid}。改用默认公式。",
    # why a typed formula was refused (English: surfaces.formula.MESSAGES)
    "formula_not_text": "公式必须是文本",
    "formula_too_long": "公式超过 {limit} 个字符",
    "formula_empty": "公式是空的",
    "formula_bad_character": "不允许使用字符 {char!r}（第 {column} 列）",
    "formula_too_deep": "第 {column} 列处嵌套太深（括号、函数调用和乘方最多 {limit} 层）",
    "formula_too_costly": "f 和它的梯度每个点共需 {count} 次运算，超过了保证页面流畅的 {limit} 次；请换一个短一些的公式",
    "formula_too_many_parts": "公式的组成部分太多（数字、名称和运算超过 {limit} 个）",
    "formula_syntax": "第 {column} 列有语法错误",
    "formula_not_a_number": "第 {column} 列只能是数字",
    "formula_number_too_large": "第 {column} 列的数字太大（最大 {limit:g}）",
    "formula_unknown_name": "第 {column} 列的名称 {name!r} 无法识别；请使用 x1、x2（或 x、y）、pi、e 以及函数 {functions}",
    "formula_unknown_function": "第 {column} 列的函数无法识别；请使用 {functions} 之一",
    "formula_one_argument": "{name}() 只接受一个参数（第 {column} 列）",
    "formula_not_allowed": "第 {column} 列的 {text!r} 不允许使用（{what}）",
    "formula_what_attribute": "属性访问",
    "formula_what_indexing": "下标索引",
    "formula_what_lambda": "匿名函数",
    "formula_what_comprehension": "推导式",
    "formula_what_assignment": "赋值",
    "formula_what_conditional": "条件表达式",
    "formula_what_comparison": "比较",
    "formula_what_logic": "逻辑运算",
    "formula_what_tuple": "元组",
    "formula_what_list": "列表",
    "formula_what_dict": "字典",
    "formula_what_set": "集合",
    "formula_what_starred": "星号展开",
    "formula_what_string": "字符串",
    "formula_what_operator": "这个运算符",
    "formula_what_call": "这个函数调用",
    "formula_what_other": "这种写法",
    "formula_exponent_too_large": "第 {column} 列的指数太大（变量的乘方最多 {limit} 次）",
    "formula_constant_too_large": "第 {column} 列的常数超出了浮点数的范围（约 1e{limit}）",
    "formula_constant_too_small": "第 {column} 列的常数比浮点数能表示的最小值（约 1e-{limit}）更接近零",
    "formula_division_by_zero": "第 {column} 列除以零",
    "formula_not_real": "第 {column} 列的常数不是实数",
    "formula_complex": "公式的值是复数",
    "formula_nowhere_finite": "f 在整个绘图范围内都没有有限值",
    "formula_gradient_undefined": "在 f 有定义的地方，f 的梯度都没有定义",
    "formula_too_slow": "分析这个公式用时太长（超过 {seconds:g} 秒）；请换一个更简单的公式",
    "formula_too_big": "公式中的数增长得太大，无法计算；请换用小一些的常数",
    "formula_busy": "服务器正在分析其他公式，请稍后再试",
    "formula_unsupported": "无法分析这个公式；请换一种写法",
    "formula_bad_bounds": "每个绘图范围都需要 最小值 < 最大值，且在 ±{limit:g} 之内",
    "formula_bad_start": "起点必须是 ±{limit:g} 之内的有限点",
}

TABLES = {"en": EN, "zh": ZH}


def name(lang: str, kind: str, key: str, english: str) -> str:
    """A formula message's word in `lang` (kind "formula_what"): the table's translation of `kind_key`, else
    the English given. (Registry entries carry their own words: ui/labels.said.)"""
    return TABLES.get(lang, EN).get(f"{kind}_{key}") or english


@dataclass(frozen=True)
class Message:
    """A sentence to be said later in the page's language: a table key and its values."""

    key: str
    values: dict = field(default_factory=dict)


def explain(lang: str, error: Exception | Message | str) -> str:
    """Why something was refused, in `lang`: a Message by its key, a FormulaError by its
    reason (the English text is the formula module's own; lists and constructs in its
    details are said in `lang` too), anything else as it is."""
    if isinstance(error, Message):
        return t(lang, error.key, **error.values)
    reason = getattr(error, "reason", None)
    text = TABLES.get(lang, EN).get(f"formula_{reason}") if reason else None
    if not text:
        return str(error)
    values = {key: t(lang, "list_separator").join(value) if isinstance(value, (list, tuple))
              else name(lang, "formula_what", value, CONSTRUCTS.get(value, value)) if key == "what" else value
              for key, value in error.details.items()}
    return text.format(**values)


def t(lang: str, key: str, **values) -> str:
    """The string `key` in `lang` (English where a table lacks it), formatted with `values`."""
    text = TABLES.get(lang, EN).get(key) or EN[key]
    return text.format(**values) if values else text
