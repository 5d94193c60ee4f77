#!/usr/bin/env python3
"""Start-up of the window: from launching `featurecam IMAGE` to its first map on screen.

Launches the app (under xvfb-run when there is no display) and times the line the window logs
when the base map is on screen ("featurecam: base map on screen ..."). Runs N times; "cold" runs
first drop the page cache when allowed (root), so libraries and the model come from disk.
   usage: scripts/measure-startup.py [--runs N] [--cold] [BUILD_DIR] [IMAGE]
"""
import argparse, os, shutil, signal, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("build", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "build"))
parser.add_argument("image", nargs="?",
                    default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "imagenet-sample",
                                         "n01440764_tench.JPEG"))
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--cold", action="store_true", help="drop the page cache before each run (needs root)")
args = parser.parse_args()

app = os.path.join(args.build, "app", "featurecam")
command = [app, "--model", "mobilenet_v2_1.0_224", "--method", "gradcam", args.image]
if not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
    command = ["xvfb-run", "-a", "-s", "-screen 0 1400x1000x24"] + command
for run in range(args.runs):
    if args.cold:
        subprocess.run(["sync"])
        try:
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
        except OSError as e:
            sys.exit(f"cannot drop the page cache: {e}")
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(), QT_FORCE_STDERR_LOGGING="1")
    start = time.monotonic()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True,
                               start_new_session=True)
    shown = None
    for line in process.stderr:
        if "base map on screen" in line:
            shown = time.monotonic() - start
            break
    os.killpg(process.pid, signal.SIGTERM)  # xvfb-run, its server and the app
    process.wait()
    print(f"run {run + 1}: first map on screen {shown:.2f} s after launch" if shown else f"run {run + 1}: no map")
