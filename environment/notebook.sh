#!/usr/bin/env bash
# Starts the Jupyter Notebook server on this checkout's notebooks/ folder, for any user: as root it adds
# --allow-root, without which the server refuses to start ("Running as root is not recommended").
#
#   environment/notebook.sh                                          opens the browser
#   environment/notebook.sh --no-browser --ip=127.0.0.1 --port=8888  on a remote machine, over an SSH tunnel
#
# Arguments go to `jupyter notebook`. environment/install.sh installs Jupyter and the kernel spec
# "PoseShift (Java)"; POSESHIFT_BUDGET and the rest of the environment pass through to the kernels.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v jupyter >/dev/null 2>&1 || ! jupyter notebook --version >/dev/null 2>&1; then
  echo "notebook: the Jupyter Notebook server is missing: run environment/install.sh" >&2
  exit 2
fi
options=("--notebook-dir=$ROOT/notebooks")
if [[ $(id -u) -eq 0 ]]; then
  options+=(--allow-root)
fi
exec jupyter notebook "${options[@]}" "$@"
