import time
t = time.perf_counter()
exec(compile(open("app.py").read(), "app.py", "exec"))
with open("/tmp/server_runs.log", "a") as f:
    f.write(f"run {time.perf_counter() - t:.3f}\n")
