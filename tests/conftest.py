import os
import sys
import tempfile
from pathlib import Path

import pytest

# the project root, so that `import optimizers` works from any working directory
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# the same examples on every run: a CI run is repeatable (a failure found once is found again)
from hypothesis import settings  # noqa: E402

settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")

# the class's questions go to a database of the test run's own, not to the app's class.db
os.environ.setdefault("CLASS_DB", f"sqlite:///{tempfile.mkdtemp(prefix='class-')}/class.db")


@pytest.fixture(scope="session", autouse=True)
def _one_chromium_per_process():
    """The browser tests share one Chromium per test process (tests/serve.py); it closes at the end."""
    yield
    from tests.serve import close_chromium

    close_chromium()


@pytest.fixture(scope="session")
def app_url():
    """The app served once per test process for the browser tests (a test that restarts a server starts
    its own); each test opens its own pages, as a new visitor would."""
    from tests.serve import served_app

    with served_app() as url:
        yield url
