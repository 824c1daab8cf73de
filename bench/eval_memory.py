#!/usr/bin/env python3
"""Peak memory of `./poseshift eval` on N poses: makes the arrays, runs eval under /usr/bin/time -v.

Writes pred.npy and gt.npy, float32 [N, 17, 3] in metres (and actions.txt, one of Human3.6M's 15 action
names per pose, in runs of 1,000 frames), then runs

    JAVA_OPTS=-XmxHEAP /usr/bin/time -v ./poseshift eval --pred pred.npy --gt gt.npy --json \
        --actions actions.txt --per-joint --root-relative

(--plain: without the last three options) and prints one JSON object: poses, input_mb (both .npy files), peak_rss_mb (the whole process:
JVM, heap, code, buffers), rss_per_input (their ratio), wall_s, exit code and eval's numbers. The
arrays are made a block at a time (numpy.lib.format.open_memmap), so making 10M poses (4 GB) needs
little memory; they are kept in --dir for the next run unless --clean.

The poses are plausible rather than realistic: an H36M-17 rest pose with every joint moved by 4 cm
Gaussian noise, turned about the vertical axis by a random angle and placed 3.5 to 6.5 m in front of
the camera; the prediction is the truth plus a per-pose offset (5 cm) and per-joint noise (3 cm), so
MPJPE, N-MPJPE and PA-MPJPE all differ, and PCK is neither 0 nor 100 %.

Requirements: NumPy (Debian: apt-get install python3-numpy) and GNU time (apt-get install time).
Example: /usr/bin/python3 bench/eval_memory.py --poses 2000000 --heap 1200m --dir /tmp/evalmem
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np

JOINTS = 17
BLOCK = 500_000
ACTIONS = ["Directions", "Discussion", "Eating", "Greeting", "Phoning", "Photo", "Posing", "Purchases",
           "Sitting", "SittingDown", "Smoking", "Waiting", "WalkDog", "Walking", "WalkTogether"]
# An H36M-17 rest pose in metres, y down as in camera coordinates (hip at the origin).
REST = np.array([
    [0.00, 0.00, 0.00], [-0.13, 0.00, 0.00], [-0.13, 0.45, 0.00], [-0.13, 0.89, 0.05],
    [0.13, 0.00, 0.00], [0.13, 0.45, 0.00], [0.13, 0.89, 0.05], [0.00, -0.23, 0.00],
    [0.00, -0.48, 0.00], [0.00, -0.58, -0.05], [0.00, -0.70, 0.00], [0.15, -0.45, 0.00],
    [0.20, -0.18, 0.00], [0.22, 0.07, 0.00], [-0.15, -0.45, 0.00], [-0.20, -0.18, 0.00],
    [-0.22, 0.07, 0.00]])


def make_arrays(folder, poses, seed):
    """pred.npy, gt.npy and actions.txt in folder, unless they are there already for this many poses."""
    os.makedirs(folder, exist_ok=True)
    pred_path, gt_path, actions_path = (os.path.join(folder, n) for n in ("pred.npy", "gt.npy", "actions.txt"))
    stamp = os.path.join(folder, "made.json")
    wanted = {"poses": poses, "seed": seed}
    if os.path.exists(stamp):
        with open(stamp) as f:
            if json.load(f) == wanted:
                return pred_path, gt_path, actions_path
    rng = np.random.default_rng(seed)
    shape = (poses, JOINTS, 3)
    gt = np.lib.format.open_memmap(gt_path, mode="w+", dtype=np.float32, shape=shape)
    pred = np.lib.format.open_memmap(pred_path, mode="w+", dtype=np.float32, shape=shape)
    with open(actions_path, "w") as labels:
        for start in range(0, poses, BLOCK):
            n = min(BLOCK, poses - start)
            body = REST + rng.normal(0, 0.04, (n, JOINTS, 3))
            yaw = rng.uniform(-np.pi, np.pi, n)
            c, s = np.cos(yaw), np.sin(yaw)
            turned = np.empty_like(body)
            turned[..., 0] = c[:, None] * body[..., 0] + s[:, None] * body[..., 2]
            turned[..., 1] = body[..., 1]
            turned[..., 2] = -s[:, None] * body[..., 0] + c[:, None] * body[..., 2]
            place = np.stack([rng.uniform(-1, 1, n), rng.uniform(-0.5, 0.5, n), rng.uniform(3.5, 6.5, n)], axis=1)
            truth = turned + place[:, None, :]
            guess = truth + rng.normal(0, 0.05, (n, 1, 3)) + rng.normal(0, 0.03, (n, JOINTS, 3))
            gt[start:start + n] = truth
            pred[start:start + n] = guess
            labels.write("".join(ACTIONS[(i // 1000) % len(ACTIONS)] + "\n" for i in range(start, start + n)))
    gt.flush()
    pred.flush()
    del gt, pred
    with open(stamp, "w") as f:
        json.dump(wanted, f)
    return pred_path, gt_path, actions_path


def run_eval(pred, gt, actions, heap, plain, extra):
    """Runs eval under GNU time; returns (exit code, peak RSS in MB, wall s, stdout, stderr)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, JAVA_OPTS=(os.environ.get("JAVA_OPTS", "") + (" -Xmx" + heap if heap else "")).strip())
    cmd = ["/usr/bin/time", "-v", os.path.join(root, "poseshift"), "eval", "--pred", pred, "--gt", gt, "--json"]
    if not plain:
        cmd += ["--actions", actions, "--per-joint", "--root-relative"]
    cmd += extra
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    # GNU time reports KiB; MB here are 10^6 bytes, like the input size.
    return done.returncode, int(peak.group(1)) * 1024 / 1e6 if peak else None, wall, done.stdout, done.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--poses", type=int, default=2_000_000, help="number of poses (default 2,000,000)")
    parser.add_argument("--heap", default=None, help="maximum Java heap, e.g. 1200m or 4g (default: the JVM's)")
    parser.add_argument("--dir", default="/tmp/poseshift-evalmem", help="where the arrays go (kept for reuse)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plain", action="store_true", help="only --pred, --gt and --json (no --actions,"
                        " --per-joint, --root-relative)")
    parser.add_argument("--clean", action="store_true", help="delete --dir afterwards")
    parser.add_argument("extra", nargs="*", help="more eval options, after --")
    args = parser.parse_args()
    if shutil.which("/usr/bin/time") is None:
        sys.exit("eval_memory.py: GNU time (/usr/bin/time) is missing: apt-get install time")
    folder = os.path.join(args.dir, str(args.poses))
    pred, gt, actions = make_arrays(folder, args.poses, args.seed)
    input_mb = (os.path.getsize(pred) + os.path.getsize(gt)) / 1e6
    try:
        code, peak, wall, out, err = run_eval(pred, gt, actions, args.heap, args.plain, args.extra)
    finally:
        if args.clean:
            shutil.rmtree(folder)
    result = {"poses": args.poses, "heap": args.heap, "plain": args.plain, "input_mb": round(input_mb, 1),
              "peak_rss_mb": round(peak, 1) if peak else None,
              "rss_per_input": round(peak / input_mb, 2) if peak else None,
              "wall_s": round(wall, 1), "exit": code}
    if code == 0:
        numbers = json.loads(out)
        result["metrics"] = {k: numbers[k] for k in ("mpjpe_mm", "n_mpjpe_mm", "pa_mpjpe_mm", "pck150", "auc")}
    else:
        result["error"] = [line for line in err.splitlines() if line and not line.startswith("\t")][-3:]
    print(json.dumps(result))
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
