"""Figure builders: plain functions from arrays to plotly Figures (no Streamlit)."""

from .eigen_errors import EigenCurve, eigen_error_figure
from .losses import loss_figure
from .palette import run_colour
from .momentum_weights import WeightCurve, effective_window, momentum_weights, scheduled_weights, weights_figure
from .schedules import schedule_figure
from .trajectories import Labels, PathView, contour_grid, trajectory_figure

__all__ = ["EigenCurve", "Labels", "PathView", "WeightCurve", "contour_grid", "effective_window", "eigen_error_figure",
           "loss_figure",
           "momentum_weights", "run_colour", "schedule_figure", "scheduled_weights", "trajectory_figure",
           "weights_figure"]
