#!/usr/bin/env bash
# Starts the PoseShift Jupyter kernel N times in a row, one after the other, the way Jupyter's clients do,
# and counts the starts that came up whole. One start passes when
#   1. the kernel answers kernel_info (jupyter_client's wait_for_ready: it asks at once and again every
#      second, as the notebook server and nbclient do),
#   2. it runs one execute_request ("1 + 1") and shows its result,
#   3. its heartbeat answers (within 5 s),
#   4. its log holds no error so far (a thread that died, a request it dropped as unhandled),
#   5. and its control channel takes a shutdown_request (the kernel logs that it handles it; the process
#      is then killed, since after running code rapaio-jupyter-kernel 3.0.1 does not exit by itself).
#
#   environment/kernel-start-check.sh [N] [--unpatched | --kernel-spec DIR]
#     N                   how many starts (default 50)
#     --kernel-spec DIR   a folder holding the kernel.json to start (default: a temporary spec of this
#                         checkout, written by install.sh --kernel-spec-only; the user's installed
#                         "poseshift" spec is neither used nor touched)
#     --unpatched         that temporary spec without environment/.kernel/patch-classes: the kernel jar
#                         as Maven Central serves it, to see the failures the patch removes
# Environment: POSESHIFT_KERNEL_READY_TIMEOUT seconds a start may take to answer kernel_info (default 60).
# Needs environment/install.sh to have run (Jupyter, the kernel jar, the built project).
# Prints one line per start and a summary; the logs and thread dumps of failed starts are kept (their
# folder is printed).
# Exit status: 0 every start passed, 1 one failed, 2 bad usage or missing setup.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=/usr/bin/python3 # Debian's python, where python3-jupyter-client lives
usage="usage: environment/kernel-start-check.sh [N] [--unpatched | --kernel-spec DIR]"

starts=50
spec_dir=""
unpatched=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kernel-spec) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; spec_dir="$2"; shift 2 ;;
    --unpatched) unpatched=1; shift ;;
    *[!0-9]* | "") echo "$usage" >&2; exit 2 ;;
    *) starts="$1"; shift ;;
  esac
done
[[ "$starts" -ge 1 && ( -z "$spec_dir" || $unpatched -eq 0 ) ]] || { echo "$usage" >&2; exit 2; }
if ! "$PYTHON" -c 'import jupyter_client' 2>/dev/null; then
  echo "kernel-start-check: Jupyter is missing (jupyter_client for $PYTHON): run environment/install.sh" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/kernels/poseshift-start-check"
if [[ -z "$spec_dir" ]]; then
  patch_option=()
  if [[ $unpatched -eq 1 ]]; then
    patch_option=(--kernel-patch "$work/no-patch") # a folder that does not exist: the JVM skips it
  fi
  "$ROOT/environment/install.sh" --kernel-spec-only "$work/kernels/poseshift-start-check" "${patch_option[@]}" \
    >/dev/null || { echo "kernel-start-check: could not write a kernel spec: run environment/install.sh" >&2; exit 2; }
else
  [[ -f "$spec_dir/kernel.json" ]] || { echo "kernel-start-check: no kernel.json in $spec_dir" >&2; exit 2; }
  cp "$spec_dir/kernel.json" "$work/kernels/poseshift-start-check/"
fi
export JUPYTER_PATH="$work${JUPYTER_PATH:+:$JUPYTER_PATH}"

"$PYTHON" - "$starts" <<'PY'
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from queue import Empty

from jupyter_client import KernelManager

STARTS = int(sys.argv[1])
READY_TIMEOUT = float(os.environ.get("POSESHIFT_KERNEL_READY_TIMEOUT", "60"))
REPLY_TIMEOUT = 30.0  # for "1 + 1" once the kernel answered kernel_info
CONTROL_TIMEOUT = 10.0  # for the control channel to take the shutdown_request
CONTROL_HANDLED = "[ControlChannel]: Handling message: shutdown_request"
LOG_DIR = tempfile.mkdtemp(prefix="poseshift-kernel-start-check-")
# What a healthy start never logs: an uncaught exception in a thread, a request dropped for want of a
# handler, any SEVERE record of the kernel's logger.
LOG_ERRORS = re.compile(r"Exception in thread|Unhandled message|\[SEVERE")
PATCHED = "Message handlers installed; binding the sockets"  # logged by environment/kernel-patch's Channels
HEARTBEAT_TIMEOUT = 5.0
patched_starts = 0


def say(message):
    print(f"kernel-start-check: {message}", flush=True)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def reply_to(kc, msg_id, timeout):
    """The shell reply to msg_id (earlier replies, e.g. to repeated kernel_info requests, are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        reply = kc.get_shell_msg(timeout=left)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def result_of(kc, msg_id, timeout):
    """The text/plain or text/html data of the execute_result for msg_id on iopub, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        except Empty:
            return None
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_result":
            data = msg["content"]["data"]
            return data.get("text/plain", data.get("text/html"))
    return None


def channel_threads(pid, log_file):
    """The kernel's channel threads alive now (Shell-N, Control-N, Heartbeat-N), from a jstack thread dump
    saved beside the log; "" without jstack."""
    if not shutil.which("jstack"):
        return ""
    dump = subprocess.run(["jstack", str(pid)], capture_output=True, text=True, timeout=30).stdout
    with open(log_file.replace(".log", "-threads.txt"), "w", encoding="utf-8") as f:
        f.write(dump)
    names = sorted(re.findall(r'^"((?:Shell|Control|Heartbeat)-\d+)"', dump, re.M))
    return f"; channel threads alive: {', '.join(names) or 'none'}"


def checks(kc, log_file):
    """None when the started kernel passes every check after kernel_info, else what failed."""
    msg_id = kc.execute("1 + 1")
    try:
        reply = reply_to(kc, msg_id, REPLY_TIMEOUT)
    except (Empty, TimeoutError):
        return f"no execute_reply in {REPLY_TIMEOUT:.0f} s"
    if reply["content"].get("status") != "ok":
        return f"execute_reply status {reply['content'].get('status')}"
    shown = result_of(kc, msg_id, 5)
    if shown is None or "2" not in shown:
        return f"no execute_result 2 (got {shown!r})"
    deadline = time.monotonic() + HEARTBEAT_TIMEOUT
    while not kc.hb_channel.is_beating() and time.monotonic() < deadline:
        time.sleep(0.2)
    if not kc.hb_channel.is_beating():
        return f"heartbeat not beating for {HEARTBEAT_TIMEOUT:.0f} s"
    errors = [line.strip() for line in read(log_file).splitlines() if LOG_ERRORS.search(line)]
    if errors:
        return f"log: {errors[0]}"
    kc.shutdown()  # shutdown_request on the control channel
    deadline = time.monotonic() + CONTROL_TIMEOUT
    while CONTROL_HANDLED not in read(log_file) and time.monotonic() < deadline:
        time.sleep(0.1)
    if CONTROL_HANDLED not in read(log_file):
        return f"shutdown_request not taken in {CONTROL_TIMEOUT:.0f} s (control channel)"
    return None


def one_start(log_file):
    """(None, seconds to kernel_info) when the start passed, else (what failed, seconds or None)."""
    km = KernelManager(kernel_name="poseshift-start-check")
    kc = None
    began = time.monotonic()
    ready = None
    try:
        with open(log_file, "wb") as log:
            km.start_kernel(stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=READY_TIMEOUT)
        except RuntimeError as e:
            reason = f"no kernel_info reply ({e})"
        else:
            ready = time.monotonic() - began
            reason = checks(kc, log_file)
        if reason is not None and km.is_alive():
            reason += channel_threads(km.provisioner.process.pid, log_file)
        return reason, ready
    finally:
        if kc is not None:
            kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        km.cleanup_resources()


failures = []
ready_times = []
for n in range(1, STARTS + 1):
    log_file = os.path.join(LOG_DIR, f"start{n:03d}.log")
    try:
        reason, seconds = one_start(log_file)
    except Exception as e:  # noqa: BLE001 - anything else that goes wrong fails this start
        reason, seconds = f"{type(e).__name__}: {e}", None
    if os.path.exists(log_file) and PATCHED in read(log_file):
        patched_starts += 1
    if reason is None:
        ready_times.append(seconds)
        os.remove(log_file)
        say(f"start {n}/{STARTS}: ok, kernel_info answered after {seconds:.1f} s")
    else:
        failures.append(n)
        say(f"start {n}/{STARTS}: FAILED: {reason} (log {log_file})")

kind = ("with" if patched_starts == STARTS else "without" if patched_starts == 0
        else f"in {patched_starts} of {STARTS} starts with")
say(f"kernel: {kind} the start-up fixes of environment/kernel-patch")
median = f", median {statistics.median(ready_times):.1f} s to kernel_info" if ready_times else ""
say(f"{STARTS - len(failures)}/{STARTS} starts passed, {len(failures)} failed{median}")
if failures:
    say(f"logs of the failed starts in {LOG_DIR}")
    sys.exit(1)
os.rmdir(LOG_DIR)
PY
