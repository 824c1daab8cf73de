#!/usr/bin/env bash
# Executes notebooks in place with the "poseshift" Jupyter kernel (environment/install.sh installs it),
# cell by cell: a notebook stops at its first error cell, naming the notebook and the cell; the others still run.
#
#   environment/run-notebooks.sh                       every notebooks/*.ipynb, in name order
#   environment/run-notebooks.sh notebooks/00-*.ipynb  only these
#
# Environment:
#   POSESHIFT_BUDGET                  tiny (default here), default or full: how much the notebooks compute
#   POSESHIFT_CELL_TIMEOUT            seconds one cell may run (default 1200)
#   POSESHIFT_KERNEL_STARTUP_TIMEOUT  seconds a kernel may take to come up (default 60); a start that
#                                     hangs (see below) is killed and retried, up to 3 retries
#   POSESHIFT_KERNEL                  the kernel spec to use (default poseshift)
# A notebook is rewritten (outputs, execution counts) only when all its cells ran without error.
# Exit status: 0 all ran, 1 a cell failed or timed out, 2 bad usage or missing setup.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export POSESHIFT_BUDGET="${POSESHIFT_BUDGET:-tiny}"
# The kernel spec sets these too; exporting them here keeps any other kernel spec offline as well.
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
PYTHON=/usr/bin/python3 # Debian's python, where python3-nbclient lives (a pyenv or venv python may lack it)

if [[ $# -eq 0 ]]; then
  shopt -s nullglob
  set -- "$ROOT"/notebooks/*.ipynb
  shopt -u nullglob
  if [[ $# -eq 0 ]]; then
    echo "run-notebooks: no notebooks in $ROOT/notebooks" >&2
    exit 2
  fi
fi
for nb in "$@"; do
  if [[ ! -f "$nb" ]]; then
    echo "run-notebooks: no such notebook: $nb" >&2
    exit 2
  fi
done
if ! "$PYTHON" -c 'import nbclient, nbformat, jupyter_client' 2>/dev/null; then
  echo "run-notebooks: Jupyter is missing (nbclient, nbformat, jupyter_client for $PYTHON): run environment/install.sh" >&2
  exit 2
fi

exec "$PYTHON" - "$@" <<'PY'
import os
import re
import shutil
import sys
import tempfile
import time
from queue import Empty

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync

KERNEL = os.environ.get("POSESHIFT_KERNEL", "poseshift")
CELL_TIMEOUT = int(os.environ.get("POSESHIFT_CELL_TIMEOUT", "1200"))
STARTUP_TIMEOUT = int(os.environ.get("POSESHIFT_KERNEL_STARTUP_TIMEOUT", "60"))
STARTS = 4  # the first start and up to three retries
ANSWER_TIMEOUT = min(STARTUP_TIMEOUT, 15)
LOG_DIR = tempfile.mkdtemp(prefix="poseshift-kernel-logs-")  # kept when anything went wrong
trouble = False
sync = run_sync(ensure_async)


def log(message):
    print(f"run-notebooks: {message}", file=sys.stderr, flush=True)


def shown(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def read_log(log_file):
    try:
        with open(log_file, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def log_tail(log_file, lines=20):
    return "\n".join("    " + line for line in read_log(log_file).splitlines()[-lines:])


# Two ways a start of rapaio-jupyter-kernel 3.0.x as Maven Central serves it fails (environment/README.md,
# "Kernel starts"; the kernel spec of install.sh carries the fix, environment/kernel-patch, and these
# guards remain for specs without it):
# - it binds its sockets before it installs its message handlers, and a request that arrives in between
#   kills its shell thread ('Exception in thread "Shell-0" ... NullPointerException ... "this.handlers"
#   is null'): so wait until the kernel has logged its five socket bindings, give it a moment, and only
#   then talk to it (and start another kernel at once if the shell thread died all the same);
# - its shell channel's polling thread may end as soon as it starts (LoopThread sets its running flag
#   after starting it), so nothing reads the shell socket: a kernel that has bound its sockets answers
#   kernel_info in well under a second otherwise, so one silent for ANSWER_TIMEOUT seconds is killed and
#   another started.
BINDINGS = ("[ShellChannel]", "[IOPubChannel]", "[ControlChannel]", "[StdinChannel]", "[HeartbeatChannel]")
SHELL_CRASH = 'Exception in thread "Shell-0"'


def wait_until_bound(client, log_file, deadline):
    """Waits until the kernel has logged its socket bindings (or the deadline passed: a kernel that logs
    otherwise goes on to the kernel_info loop)."""
    while time.monotonic() < deadline:
        if all(f"{channel}: Binding" in read_log(log_file) for channel in BINDINGS):
            time.sleep(0.5)
            return
        if not sync(client.km.is_alive()):
            raise RuntimeError("the kernel process exited")
        time.sleep(0.1)


def try_start(client, log_file, began):
    deadline = began + STARTUP_TIMEOUT
    client.km = client.create_kernel_manager()
    with open(log_file, "ab") as kernel_log:  # the kernel's own output, shown when it fails
        client.start_new_kernel(stdout=kernel_log, stderr=kernel_log)
    wait_until_bound(client, log_file, deadline)
    deadline = min(deadline, time.monotonic() + ANSWER_TIMEOUT)
    client.kc = client.km.client()
    sync(client.kc.start_channels())
    sent = set()
    while True:
        if SHELL_CRASH in read_log(log_file):
            raise RuntimeError("its shell thread died at start (rapaio-jupyter-kernel race)")
        if not sync(client.km.is_alive()):
            raise RuntimeError("the kernel process exited")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no answer to kernel_info in {time.monotonic() - began:.0f} s since its start")
        sent.add(sync(client.kc.kernel_info()))
        try:
            reply = sync(client.kc.get_shell_msg(timeout=1))
        except Empty:
            continue
        if reply["parent_header"].get("msg_id") in sent:
            client.kc.allow_stdin = False
            return reply


def start_kernel(client, name, log_stem):
    """Starts the kernel and waits until it answers kernel_info; a start that fails or hangs past
    STARTUP_TIMEOUT is killed and tried again, STARTS tries in all. Returns (kernel_info reply, log)."""
    global trouble
    for attempt in range(1, STARTS + 1):
        log_file = f"{log_stem}-start{attempt}.log"
        began = time.monotonic()
        try:
            return try_start(client, log_file, began), log_file
        except NoSuchKernel:
            raise
        except Exception as e:  # noqa: BLE001 - any failure to come up counts as a failed start
            trouble = True
            reason = str(e) or type(e).__name__
            try:
                if client.km is not None:
                    client.shutdown_kernel = "immediate"
                    client._cleanup_kernel()
            except Exception:  # noqa: BLE001
                pass
            finally:
                client.shutdown_kernel = "graceful"
            client.km = None
            client.kc = None
            waited = time.monotonic() - began
            if attempt == STARTS:
                raise RuntimeError(f"the {KERNEL} kernel did not start in {STARTS} tries (last: {reason}, "
                                   f"after {waited:.0f} s); {log_file} ends with:\n{log_tail(log_file)}") from e
            log(f"{name}: kernel start {attempt} of {STARTS} failed after {waited:.0f} s ({reason}; "
                f"log {log_file}); starting another")


def describe(cell, index, code_number):
    first = next((line for line in cell.source.splitlines() if line.strip()), "").strip()
    if len(first) > 70:
        first = first[:67] + "..."
    return f"cell {index + 1} (code cell {code_number}: {first})"


def error_text(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            trace = "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
            return re.sub(r"\x1b\[[0-9;]*m", "", trace)
    return ""


def merged_streams(outputs):
    """The outputs with each run of consecutive stream outputs of one stream joined into one: the kernel
    flushes System.out piece by piece (a printf can arrive as a dozen messages), which every frontend shows
    as one text anyway, and one output per run keeps the committed notebooks small and their diffs readable."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def run(path, number):
    """Runs one notebook; True when every cell ran (the notebook is then written back)."""
    name = shown(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, startup_timeout=STARTUP_TIMEOUT,
                            allow_errors=False, record_timing=False,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client.reset_execution_trackers()
    began = time.monotonic()
    stem = os.path.join(LOG_DIR, f"{number:02d}-{os.path.splitext(os.path.basename(path))[0]}")
    info, log_file = start_kernel(client, name, stem)
    failure = None
    code_number = 0
    try:
        if "language_info" in info["content"]:
            nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            code_number += 1
            where = describe(cell, index, code_number)
            try:
                client.execute_cell(cell, index, execution_count=code_number)
            except CellTimeoutError:
                failure = f"{name}: {where} timed out after {CELL_TIMEOUT} s (POSESHIFT_CELL_TIMEOUT)"
                break
            except DeadKernelError:
                failure = f"{name}: the kernel died in {where}; {log_file} ends with:\n{log_tail(log_file)}"
                break
            except CellExecutionError as e:
                failure = f"{name}: {where} failed:\n{error_text(cell) or e}"
                break
    finally:
        try:
            client._cleanup_kernel()
        except Exception:  # noqa: BLE001
            pass
    if failure:
        log(failure)
        return False
    nb.metadata.setdefault("kernelspec", {"name": KERNEL, "display_name": "PoseShift (Java)", "language": "java"})
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    nbformat.write(nb, path)
    log(f"{name}: ok, {code_number} code cells in {time.monotonic() - began:.0f} s")
    return True


def main(paths):
    global trouble
    log(f"{len(paths)} notebook(s), kernel {KERNEL}, POSESHIFT_BUDGET={os.environ.get('POSESHIFT_BUDGET')}, "
        f"cell timeout {CELL_TIMEOUT} s, kernel start timeout {STARTUP_TIMEOUT} s")
    failed = []
    for number, path in enumerate(paths, 1):
        try:
            ok = run(path, number)
        except NoSuchKernel:
            log(f"no Jupyter kernel named {KERNEL!r}: run environment/install.sh")
            shutil.rmtree(LOG_DIR, ignore_errors=True)
            return 2
        except RuntimeError as e:
            log(f"{shown(path)}: {e}")
            ok = False
        if not ok:
            failed.append(shown(path))
            trouble = True
    if trouble:
        log(f"kernel logs kept in {LOG_DIR}")
    else:
        shutil.rmtree(LOG_DIR, ignore_errors=True)
    if failed:
        log(f"FAILED: {', '.join(failed)}")
        return 1
    log(f"all {len(paths)} notebook(s) ran")
    return 0


sys.exit(main(sys.argv[1:]))
PY
