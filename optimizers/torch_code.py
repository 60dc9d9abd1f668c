"""'Copy as code': a short PyTorch snippet that reproduces a run, built from the registry's TorchForm
and the surface's `code`, and the reasons its points differ from ours where PyTorch's form is not
the same (instead of pretending). torch is not a dependency: the snippet is text; the script
checks/torch_snippets.py runs it where torch is installed."""

from __future__ import annotations

from .registry import OPTIMIZERS

TEMPLATE = """{imports}import torch

x = torch.tensor([{x1!r}, {x2!r}], dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.{cls}([x], {args})
for epoch in range({epochs}):
    optimizer.zero_grad()
    x1, x2 = x
    f = {code}
    f.backward()
    optimizer.step()
print(f"epoch {epochs}, x1 {{x[0].item():f}}, x2 {{x[1].item():f}}")
"""


def _literal(value) -> str:
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ")"
    return repr(float(value))


def torch_snippet(optimizer: str, values: dict, code: str, start, epochs: int) -> str | None:
    """The snippet, or None where there is no PyTorch form or no code for the surface."""
    form = OPTIMIZERS[optimizer].torch
    if form is None or not code:
        return None
    args = ", ".join(f"{name}={_literal(value)}" for name, value in form.args(values).items())
    x1, x2 = (float(v) for v in start)
    imports = "import math\n\n" if "math." in code else ""  # only where the surface's formula uses it
    return TEMPLATE.format(imports=imports, x1=x1, x2=x2, cls=form.cls, args=args, epochs=epochs, code=code)


def torch_differences(optimizer: str, values: dict, scheduled: bool = False) -> tuple[str, ...]:
    """Why PyTorch's points would differ from ours for these settings (string-table keys, without the
    torch_differs_ prefix); () where they agree."""
    form = OPTIMIZERS[optimizer].torch
    reasons = form.differs(values) if form else ()
    return reasons + (("schedule",) if scheduled else ())
