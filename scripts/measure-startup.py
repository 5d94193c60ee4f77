#!/usr/bin/env python3
"""Start-up of the window: from launching `featurecam IMAGE` to its first map on screen.

Launches the app N times and reads the marks it logs on the system's monotonic clock: main()
entered (before it: loading the libraries and their static initializers), the window shown,
and the base map on screen (with the engine thread's stages: image, model load, gradient pass).
Without a display it starts one Xvfb server for all runs, so its start-up is not counted. "Cold"
runs first drop the page cache (root), so libraries and the model come from disk.
   usage: scripts/measure-startup.py [--runs N] [--cold] [BUILD_DIR] [IMAGE]
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("build", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "build"))
parser.add_argument("image", nargs="?",
                    default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "imagenet-sample",
                                         "n01440764_tench.JPEG"))
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--cold", action="store_true", help="drop the page cache before each run (needs root)")
args = parser.parse_args()

env = dict(os.environ, QT_FORCE_STDERR_LOGGING="1")
server = None
if not env.get("DISPLAY"):
    if not shutil.which("Xvfb"):
        sys.exit("no DISPLAY and no Xvfb")
    display = ":%d" % (90 + os.getpid() % 100)
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x1000x24"], stderr=subprocess.DEVNULL)
    socket = "/tmp/.X11-unix/X" + display[1:]
    for _ in range(100):
        if os.path.exists(socket):
            break
        time.sleep(0.05)
    env["DISPLAY"] = display

command = [os.path.join(args.build, "app", "featurecam"), "--model", "mobilenet_v2_1.0_224", "--method", "gradcam",
           args.image]
mark = re.compile(r"featurecam: (main\(\)|window shown) at ([0-9.]+) s")
stages = re.compile(r"image ([0-9.]+) ms, model ([0-9.]+) ms, gradient pass ([0-9.]+) ms")
rows = []
try:
    for run in range(args.runs):
        if args.cold:
            subprocess.run(["sync"])
            try:
                with open("/proc/sys/vm/drop_caches", "w") as f:
                    f.write("3\n")
            except OSError as e:
                sys.exit(f"cannot drop the page cache: {e}")
        env["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
        start = time.monotonic()
        process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True,
                                   start_new_session=True)
        marks, shown, engine = {}, None, None
        for line in process.stderr:
            found = mark.search(line)
            if found:
                marks[found.group(1)] = float(found.group(2)) - start
            if "base map on screen" in line:
                shown = time.monotonic() - start
                engine = stages.search(line)
                break
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        if not shown or len(marks) < 2:
            print(f"run {run + 1}: no map")
            continue
        row = (marks["main()"], marks["window shown"] - marks["main()"], shown - marks["window shown"], shown)
        rows.append(row)
        detail = ("" if not engine else
                  f" (of which image {engine.group(1)} ms, model load {engine.group(2)} ms, gradient pass {engine.group(3)} ms)")
        print(f"run {run + 1}: launch to main() {row[0]:.3f} s, main() to window shown {row[1]:.3f} s, "
              f"window to first map {row[2]:.3f} s{detail}; first map on screen {row[3]:.3f} s after launch")
finally:
    if server:
        server.terminate()
if rows:
    medians = [statistics.median(column) for column in zip(*rows)]
    print("median: launch to main() %.3f s, main() to window %.3f s, window to first map %.3f s, total %.3f s"
          % tuple(medians))
