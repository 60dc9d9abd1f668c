import functools
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import local_script_runner

# the project root, so that `import optimizers` works from any working directory
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# the same examples on every run: a CI run is repeatable (a failure found once is found again)
from hypothesis import settings  # noqa: E402

settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")

# every new AppTest scans all installed packages for Streamlit components (0.1-0.2 s, 450 times in a run):
# the packages do not change while the tests run, so the scan is done once per test process
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def _wait_for_the_script(runner, timeout: float = 3) -> None:
    """AppTest's wait for a run: a join on the script's thread where AppTest polls every millisecond,
    which takes the interpreter's lock from the script a thousand times a second (7-10% of a page's run)."""
    deadline = time.monotonic() + timeout
    while not runner.script_stopped():
        if time.monotonic() > deadline:
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")
        thread = getattr(runner, "_script_thread", None)
        if thread is None or not thread.is_alive():
            time.sleep(0.001)
        else:
            thread.join(0.05)


if hasattr(local_script_runner, "require_widgets_deltas"):
    local_script_runner.require_widgets_deltas = _wait_for_the_script

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


def pytest_collection_modifyitems(items):
    """The tests of a module that uses tests/serve.py (a served app, Chromium, a proxy) are marked `browser`: while
    editing, `./test.sh -m "not browser"` runs the other 2,800 (3 of the suite's 8-9 minutes); CI runs them all."""
    from tests import serve

    for item in items:
        module = getattr(item, "module", None)
        if module and any(getattr(value, "__module__", None) == serve.__name__ for value in vars(module).values()):
            item.add_marker(pytest.mark.browser)
