"""Small real models trained with the app's optimizers. NumPy only."""
