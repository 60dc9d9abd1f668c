import sys
from pathlib import Path

# the project root, so that `import optimizers` works from any working directory
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
