"""A class at a student's pace: N simulated students over Streamlit's real websocket.

Each student opens the explorer (a link, as the teacher sends it), then every 3–5 s
(seeded) does what a student does: releases the epochs slider or the η select-slider,
opens a preset link, switches page, and now and then asks for something heavy (the
stability map at 300 epochs). Redraw latency is the time from the message that the
browser would send to the server's "script finished". Prints p50/p95/p99, errors,
server CPU (of all its processes, 100% = one core) and resident memory, for each N.

    python benchmarks/load.py --students 10 30 60 --duration 60              one process
    python benchmarks/load.py --students 10 30 60 --duration 60 --replicas 2 two behind HAProxy
    python benchmarks/load.py --students 30 --hammer 5     the class alone, then with 5 asking for maps nonstop
    python benchmarks/load.py --memory 300                                   300 sessions in turn: RSS before/after
    python benchmarks/load.py --students 30 --answering 60   the class alone, then with 60 answering a question

With --answering, the answering students open the question's link, each sends an answer within the
first 10 s, then waits for the reveal as the browser does (its fragment asks every 2 s); the run checks
that every answer is stored once, and prints the others' p95 against the class without a question.

Traffic goes to 127.0.0.1 only; every loop stops by itself at its deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classroom.store import Store  # noqa: E402
from tests.serve import free_port, wait_healthy  # noqa: E402

LINKS = ["", "?preset=gd_vs_momentum", "?preset=momentum_ramp", "?preset=minibatch", "?preset=pits",
         "?optimizer=momentum&lr=0.6&momentum=0.5", "?surface=rosenbrock&optimizer=adam&optimizer2=momentum"]
HEAVY = "?surface=quadratic&epochs=300&map_optimizer=adam"  # the stability map, 200 × 200 × 300
TIMEOUT = 120.0


class Student:
    """One browser tab: a websocket session, its widgets, and its timings."""

    def __init__(self, url: str, rng: random.Random, record: list, errors: list, heavy: list | None = None):
        self.url, self.rng, self.record, self.errors = url, rng, record, errors
        self.heavy = record if heavy is None else heavy  # long work (a map in pieces) is timed apart
        self.ws = None
        self.widgets: dict[str, tuple] = {}  # slider id → (options of a select-slider, min, max)
        self.radios: dict[str, list] = {}  # radio id → options
        self.buttons: dict[str, str] = {}  # button id → its fragment
        self.fragments: dict[str, float] = {}  # fragments that rerun by themselves: id → interval
        self.page_hash = ""

    async def open(self, query: str = "", page: str = "", record: list | None = None) -> None:
        if self.ws is not None:
            await self.ws.close()
        host = self.url.removeprefix("http://")
        self.ws = await websockets.connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],
                                           origin=self.url, max_size=None, open_timeout=TIMEOUT)
        await self.rerun(query, page, record=record)

    async def rerun(self, query: str = "", page: str = "", widget=None, record: list | None = None,
                    widgets=(), fragment: str = "", auto: bool = True) -> None:
        msg = BackMsg()
        msg.rerun_script.query_string = query.lstrip("?")
        msg.rerun_script.page_name = page
        if fragment:  # as the browser asks for a fragment's own rerun
            msg.rerun_script.fragment_id, msg.rerun_script.is_auto_rerun = fragment, auto
            msg.rerun_script.page_script_hash = self.page_hash
        else:  # a whole run names its fragments anew (their ids follow their place on the page)
            self.fragments = {}
        if widget is not None:
            msg.rerun_script.widget_states.widgets.append(widget)
        msg.rerun_script.widget_states.widgets.extend(widgets)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await self.until_finished()
        (self.record if record is None else record).append(time.perf_counter() - started)

    async def until_finished(self) -> None:
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    self.errors.append(element.exception.message)
                elif which == "slider":  # st.slider and st.select_slider (which has options)
                    widget = element.slider
                    self.widgets[widget.id] = (list(widget.options), widget.min, widget.max)
                elif which == "radio":
                    self.radios[element.radio.id] = list(element.radio.options)
                elif which == "button":  # with the fragment it belongs to ("" if none)
                    self.buttons[element.button.id] = fwd.delta.fragment_id
            elif kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "auto_rerun":
                self.fragments[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
            elif kind == "script_finished":
                return

    async def act(self) -> None:
        roll = self.rng.random()
        if roll < 0.55 and self.widgets:  # a slider released
            widget_id = self.rng.choice(sorted(self.widgets))
            options, low, high = self.widgets[widget_id]
            state = BackMsg().rerun_script.widget_states.widgets.add()
            state.id = widget_id
            if options:
                state.string_array_value.data[:] = [self.rng.choice(options)]
            else:
                state.double_array_value.data[:] = [float(self.rng.randint(int(low), min(int(high), 200)))]
            await self.rerun(widget=state)
        elif roll < 0.75:
            await self.open(self.rng.choice(LINKS))
        elif roll < 0.93:
            await self.open("", self.rng.choice(["", "stability", "network"]))
        else:
            await self.open(HEAVY.replace("300", str(self.rng.randint(250, 350))), "stability", self.heavy)


async def student(url: str, seed: int, deadline: float, record: list, errors: list, heavy: list,
                  hammer: bool = False) -> None:
    rng = random.Random(seed)
    s = Student(url, rng, record, errors, heavy)
    try:
        await asyncio.sleep(rng.uniform(0, 4))  # a class does not arrive in one millisecond
        await s.open(rng.choice(LINKS))
        while time.monotonic() < deadline:
            if hammer:  # a map never kept, again and again
                await s.open(HEAVY.replace("300", str(rng.randint(250, 350))), "stability", heavy)
                continue
            await asyncio.sleep(rng.uniform(3, 5))
            if time.monotonic() < deadline:
                await s.act()
    except Exception as err:  # a disconnect or a timeout is an error of the class's view
        errors.append(f"{type(err).__name__}: {err}")
    finally:
        if s.ws is not None:
            await s.ws.close()


async def answering(url: str, code: str, seed: int, deadline: float, record: list, errors: list) -> None:
    """A student on the question's page: answers once within the first 10 s, then waits for the reveal."""
    rng = random.Random(seed)
    s = Student(url, rng, record, errors)
    try:
        await asyncio.sleep(rng.uniform(0, 9))
        await s.open(f"?ask={code}")
        radio_id = next(iter(s.radios))
        choice = BackMsg().rerun_script.widget_states.widgets.add()
        choice.id, choice.string_value = radio_id, rng.choice(s.radios[radio_id])
        send = BackMsg().rerun_script.widget_states.widgets.add()
        send.id, form = next((b, f) for b, f in s.buttons.items() if b.endswith("ask_send"))
        send.trigger_value = True
        await s.rerun(f"ask={code}", widgets=[choice, send], fragment=form, auto=False)  # the form's submit
        while time.monotonic() < deadline:  # the page's fragment, as the browser reruns it
            fragment, interval = next(iter(s.fragments.items()))
            await asyncio.sleep(interval)
            if time.monotonic() < deadline:
                await s.rerun(f"ask={code}", widgets=[choice], fragment=fragment)
    except Exception as err:
        errors.append(f"{type(err).__name__}: {err}")
    finally:
        if s.ws is not None:
            await s.ws.close()


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())[1])
        except (FileNotFoundError, TypeError):
            pass
    return total / 1024


async def sample(pids: list[int], deadline: float, cpu: list, rss: list) -> None:
    last, last_t = cpu_seconds(pids), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        now, now_t = cpu_seconds(pids), time.monotonic()
        cpu.append(100 * (now - last) / (now_t - last_t))
        rss.append(rss_mb(pids))
        last, last_t = now, now_t


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def one_class(url: str, pids: list[int], students: int, hammer: int, duration: float, seed: int,
                    answering_students: int = 0, code: str = "") -> dict:
    record, heavy_record, errors, cpu, rss, answer_record = [], [], [], [], [], []
    deadline = time.monotonic() + duration
    tasks = [student(url, seed * 1000 + i, deadline, record, errors, heavy_record) for i in range(students)]
    tasks += [student(url, seed * 1000 + 500 + i, deadline, [], errors, heavy_record, hammer=True)
              for i in range(hammer)]
    tasks += [answering(url, code, seed * 1000 + 700 + i, deadline, answer_record, errors)
              for i in range(answering_students)]
    await asyncio.gather(sample(pids, deadline, cpu, rss), *tasks)
    return {"redraws": len(record), "p50": percentile(record, 50), "p95": percentile(record, 95),
            "p99": percentile(record, 99), "errors": errors, "cpu_mean": statistics.mean(cpu),
            "cpu_p95": percentile(cpu, 95), "rss": max(rss), "heavy": len(heavy_record),
            "heavy_p50": percentile(heavy_record, 50) if heavy_record else float("nan"),
            "answer_p95": percentile(answer_record, 95) if answer_record else float("nan")}


class Server:
    """The app on loopback: one `streamlit run`, or deploy/loopback.sh's replicas behind HAProxy."""

    def __init__(self, replicas: int, env: dict | None = None):
        env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.log = open(os.devnull, "w")
        if replicas == 1:
            self.proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.address",
                                          "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true",
                                          "--server.fileWatcherType", "none"],
                                         cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
            self.pids = [self.proc.pid]
        else:
            env = {**env, "APP1_PORT": str(free_port()), "APP2_PORT": str(free_port()), "PYTHON": sys.executable}
            self.proc = subprocess.Popen([str(ROOT / "deploy" / "loopback.sh"), str(self.port)], cwd=ROOT, env=env,
                                         stdout=subprocess.PIPE, text=True, start_new_session=True)
            self.pids = []
            while len(self.pids) < 2:
                line = self.proc.stdout.readline()
                if m := re.search(r"pid (\d+)", line):
                    self.pids.append(int(m[1]))
        self.url = f"http://127.0.0.1:{self.port}"
        wait_healthy(self.url)
        time.sleep(2)  # both replicas healthy in HAProxy's eyes

    def close(self) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(20)


async def memory(url: str, pids: list[int], sessions: int) -> None:
    """Sessions opened and closed in turn, each with its own typed formula."""
    before = rss_mb(pids)
    record, errors = [], []
    for k in range(sessions):
        s = Student(url, random.Random(k), record, errors)
        await s.open(f"?surface=custom&formula=x1^2%2B{k + 1}*x2^2")
        await s.ws.close()
    await asyncio.sleep(5)
    print(f"{sessions} sessions with distinct formulas: RSS {before:.0f} MB before, {rss_mb(pids):.0f} MB after, "
          f"{len(errors)} errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, nargs="+", default=[10, 30, 60])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--replicas", type=int, choices=(1, 2), default=1)
    parser.add_argument("--hammer", type=int, default=0, help="students who ask for heavy maps without pause")
    parser.add_argument("--memory", type=int, default=0, help="only: open and close this many sessions")
    parser.add_argument("--answering", type=int, default=0, help="students who answer a question meanwhile")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    database = f"sqlite:///{tempfile.mkdtemp(prefix='class-load-')}/class.db"
    server = Server(args.replicas, {"CLASS_DB": database})
    try:
        if args.memory:
            asyncio.run(memory(server.url, server.pids, args.memory))
            return
        if args.answering:
            asked(server, args, Store(database))
            return
        print(f"{args.replicas} process(es), {args.duration:.0f} s per class, seed {args.seed}"
              + (f", {args.hammer} hammering heavy maps" if args.hammer else ""))
        print("students  redraws   p50 ms   p95 ms   p99 ms  errors  CPU mean/p95 %   RSS MB   heavy maps: n, p50 s")
        for n in args.students:
            # with --hammer, the same class first without, on the same server: the ratio is the cost to the others
            results = [asyncio.run(one_class(server.url, server.pids, n, k, args.duration, args.seed))
                       for k in ([0, args.hammer] if args.hammer else [0])]
            for r in results:
                print(f"{n:8d}  {r['redraws']:7d}  {1e3 * r['p50']:7.0f}  {1e3 * r['p95']:7.0f}  {1e3 * r['p99']:7.0f}"
                      f"  {len(r['errors']):6d}  {r['cpu_mean']:6.0f} / {r['cpu_p95']:4.0f}  {r['rss']:7.0f}"
                      f"   {r['heavy']:4d}, {r['heavy_p50']:.1f}")
                for error in r["errors"][:3]:
                    print("   error:", error[:200])
            if args.hammer:
                ratio = results[1]["p95"] / results[0]["p95"]
                print(f"   with {args.hammer} hammering, the others' p95 is {ratio:.2f}×")
    finally:
        server.close()


def asked(server: Server, args, db: Store) -> None:
    """The class without a question, then with `args.answering` students answering one."""
    from ui.state import AppState
    from viewmodel.classroom import question_query, truth_of

    state = AppState()
    students = args.students[0]
    print(f"{students} students exploring, {args.duration:.0f} s; then the same with {args.answering} answering")
    print("                      redraws   p50 ms   p95 ms   p99 ms  errors  CPU mean %")
    asyncio.run(one_class(server.url, server.pids, students, 0, 20, args.seed + 1))  # warm caches: not counted
    runs = []
    for n in (0, args.answering):
        code, _ = db.ask("outcome", question_query(state, ()), 0, state.epochs, truth_of(state, "outcome", 0, 20))
        r = asyncio.run(one_class(server.url, server.pids, students, 0, args.duration, args.seed, n, code))
        runs.append(r)
        print(f"{'alone' if n == 0 else f'with {n} answering':>20s}  {r['redraws']:7d}  {1e3 * r['p50']:7.0f}"
              f"  {1e3 * r['p95']:7.0f}  {1e3 * r['p99']:7.0f}  {len(r['errors']):6d}  {r['cpu_mean']:6.0f}")
        for error in r["errors"][:3]:
            print("   error:", error[:200])
        if n:
            print(f"   answers stored: {db.count(code)} of {n} (one per student); "
                  f"answering students' redraw p95 {1e3 * r['answer_p95']:.0f} ms")
    print(f"   with {args.answering} answering, the others' p95 is {runs[1]['p95'] / runs[0]['p95']:.2f}×")


if __name__ == "__main__":
    main()
