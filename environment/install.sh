#!/usr/bin/env bash
# Installs what the PoseShift notebooks need, idempotently (a second run changes nothing and says so):
#   1. Jupyter from Debian packages (notebook server, nbconvert, nbclient), with apt;
#   2. the JShell-based Jupyter kernel io.github.padreati:rapaio-jupyter-kernel from Maven Central, into
#      environment/.kernel/ (git-ignored), and its start-up fixes: the classes of environment/kernel-patch/
#      compiled against that jar into environment/.kernel/patch-classes/, ahead of the jar on the kernel's
#      classpath (see environment/README.md, "Kernel starts");
#   3. the project, built by ./poseshift (honours POSESHIFT_MAVEN_ARGS, e.g. -Pcuda for the CUDA natives);
#   4. the Jupyter kernel spec "poseshift" (display name "PoseShift (Java)"), for the current user.
#
# Usage:
#   environment/install.sh                            everything above
#   environment/install.sh --kernel-spec-only DIR     only write DIR/kernel.json (no apt, no Maven, no
#       [--classpath-file FILE] [--kernel-jar JAR]    Jupyter; FILE: ':'-separated runtime classpath,
#       [--kernel-patch PATCH]                        default target/classpath.txt; PATCH: the compiled
#                                                     patch classes, by default .kernel/patch-classes,
#                                                     compiled there first when the kernel jar exists;
#                                                     used by the tests and kernel-start-check.sh)
#
# The kernel runs the JShell snippets inside its own JVM, started with the engine offline
# (-Dai.djl.offline=true, DJL_OFFLINE=true, OPT_OUT_TRACKING=true) and headless, with
# POSESHIFT_PROGRESS=untimed (no throughput or ETA in training logs, so re-running a notebook whose results are
# identical writes identical outputs); POSESHIFT_BUDGET and the rest of Jupyter's environment pass through to it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RJK_VERSION=3.0.1
RJK_ARTIFACT="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION"
KERNEL_HOME="$ROOT/environment/.kernel"
KERNEL_PATCH_SOURCES="$ROOT/environment/kernel-patch"
KERNEL_PATCH_CLASSES="$KERNEL_HOME/patch-classes"
KERNEL_NAME=poseshift
DISPLAY_NAME="PoseShift (Java)"
APT_PACKAGES=(jupyter-core jupyter-client jupyter-nbconvert jupyter-notebook python3-nbclient python3-nbformat
  python3-ipykernel)
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

say() { echo "install: $*"; }
die() { echo "install: $*" >&2; exit 1; }

json_string() { # a JSON string literal
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\t'/\\t}"
  s="${s//$'\n'/\\n}"
  printf '"%s"' "$s"
}

# build_kernel_patch JAR: compiles environment/kernel-patch/ against JAR into KERNEL_PATCH_CLASSES, unless
# the classes there were compiled from the same sources and jar; returns 1 when there was nothing to do.
build_kernel_patch() {
  local jar="$1" stamp sources log
  mapfile -t sources < <(find "$KERNEL_PATCH_SOURCES" -name '*.java' | LC_ALL=C sort)
  [[ ${#sources[@]} -gt 0 ]] || die "no sources in $KERNEL_PATCH_SOURCES"
  stamp="$({ cat "${sources[@]}"; cksum <"$jar"; } | cksum | cut -d' ' -f1)"
  if [[ -f "$KERNEL_PATCH_CLASSES/.stamp" && "$(cat "$KERNEL_PATCH_CLASSES/.stamp")" == "$stamp" ]]; then
    return 1
  fi
  command -v javac >/dev/null 2>&1 || die "javac is not on the PATH (Java 17 JDK: apt-get install openjdk-17-jdk-headless)"
  rm -rf "$KERNEL_PATCH_CLASSES"
  mkdir -p "$KERNEL_PATCH_CLASSES"
  log="$(mktemp)"
  if ! javac --release 17 -nowarn -cp "$jar" -d "$KERNEL_PATCH_CLASSES" "${sources[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    rm -rf "$KERNEL_PATCH_CLASSES"
    die "could not compile $KERNEL_PATCH_SOURCES against $jar"
  fi
  rm -f "$log"
  echo "$stamp" >"$KERNEL_PATCH_CLASSES/.stamp"
}

# write_kernel_spec DIR CLASSPATH_FILE KERNEL_JAR PATCH: DIR/kernel.json for the poseshift kernel.
# The JVM's own classpath is the project's (the same class loader as ./poseshift, so ServiceLoader and
# native libraries behave as in the CLI), then the patch classes (so they replace the jar's), then the
# kernel jar; RJK_CLASSPATH hands the project's entries to the JShell compiler (';'-separated, as the
# kernel reads it).
write_kernel_spec() {
  local dir="$1" classpath_file="$2" kernel_jar="$3" patch="$4" java entry
  [[ -f "$classpath_file" ]] || die "no runtime classpath at $classpath_file (./poseshift --help builds the project and writes it)"
  java="$(command -v java)" || die "java is not on the PATH (Java 17: apt-get install openjdk-17-jdk-headless)"
  local entries=("$ROOT/target/classes")
  local deps
  IFS=':' read -r -a deps <"$classpath_file" || true # one line, often without a final newline
  for entry in "${deps[@]}"; do
    if [[ -n "$entry" ]]; then
      entries+=("$entry")
    fi
  done
  for entry in "${entries[@]}" "$patch" "$kernel_jar"; do
    if [[ "$entry" == *";"* || "$entry" == *":"* ]]; then
      die "a classpath entry has ':' or ';' in its path: $entry"
    fi
  done
  local jvm_classpath rjk_classpath
  jvm_classpath="$(IFS=':'; echo "${entries[*]}"):$patch:$kernel_jar"
  rjk_classpath="$(IFS=';'; echo "${entries[*]}")"
  mkdir -p "$dir"
  cat >"$dir/kernel.json" <<EOF
{
  "argv": [
    $(json_string "$java"),
    "-Dai.djl.offline=true",
    "-Djava.awt.headless=true",
    "-cp",
    $(json_string "$jvm_classpath"),
    "org.rapaio.jupyter.kernel.MainApp",
    "{connection_file}"
  ],
  "display_name": $(json_string "$DISPLAY_NAME"),
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "DJL_OFFLINE": "true",
    "OPT_OUT_TRACKING": "true",
    "POSESHIFT_PROGRESS": "untimed",
    "RJK_CLASSPATH": $(json_string "$rjk_classpath"),
    "RJK_INIT_SCRIPT": $(json_string "$ROOT/environment/poseshift.jsh"),
    "RJK_COMPILER_OPTIONS": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "RJK_MIMA_CACHE": $(json_string "$KERNEL_HOME/mima_cache")
  },
  "metadata": {
    "poseshift_root": $(json_string "$ROOT"),
    "rapaio_jupyter_kernel": $(json_string "$RJK_VERSION")
  }
}
EOF
}

if [[ "${1:-}" == "--kernel-spec-only" ]]; then
  [[ $# -ge 2 ]] || die "usage: environment/install.sh --kernel-spec-only DIR [--classpath-file FILE] [--kernel-jar JAR] [--kernel-patch PATCH]"
  out_dir="$2"
  shift 2
  classpath_file="$ROOT/target/classpath.txt"
  kernel_jar="$KERNEL_HOME/rapaio-jupyter-kernel-$RJK_VERSION.jar"
  patch=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --classpath-file | --kernel-jar | --kernel-patch) [[ $# -ge 2 ]] || die "option $1 needs a value" ;;&
      --classpath-file) classpath_file="$2"; shift 2 ;;
      --kernel-jar) kernel_jar="$2"; shift 2 ;;
      --kernel-patch) patch="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  if [[ -z "$patch" ]]; then
    patch="$KERNEL_PATCH_CLASSES"
    if [[ -f "$kernel_jar" ]]; then
      build_kernel_patch "$kernel_jar" || true
    fi
  fi
  write_kernel_spec "$out_dir" "$classpath_file" "$kernel_jar" "$patch"
  say "wrote $out_dir/kernel.json"
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: environment/install.sh [--kernel-spec-only DIR [--classpath-file FILE] [--kernel-jar JAR] [--kernel-patch PATCH]]"

changed=0

# 1. Jupyter from Debian packages.
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  say "Jupyter: Debian packages already installed (${APT_PACKAGES[*]})"
else
  apt_cmd=(apt-get)
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 ||
      die "not root and no sudo: as root, run  apt-get update && apt-get install --no-install-recommends ${missing[*]}  then rerun this script"
    apt_cmd=(sudo apt-get)
  fi
  say "Jupyter: installing ${missing[*]} with ${apt_cmd[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${apt_cmd[@]}" update -qq
  "${apt_cmd[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  changed=1
fi
command -v jupyter >/dev/null 2>&1 || die "jupyter is not on the PATH after installing ${APT_PACKAGES[*]}"

# 2. The kernel jar (one self-contained jar, Java 17 bytecode) from Maven Central.
command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not on the PATH (apt-get install maven openjdk-17-jdk-headless)"
kernel_jar="$KERNEL_HOME/rapaio-jupyter-kernel-$RJK_VERSION.jar"
if [[ -s "$kernel_jar" ]]; then
  say "kernel: $RJK_ARTIFACT already at ${kernel_jar#"$ROOT/"}"
else
  say "kernel: fetching $RJK_ARTIFACT with Maven into ${KERNEL_HOME#"$ROOT/"}/"
  mkdir -p "$KERNEL_HOME"
  log="$(mktemp)"
  # Run outside the project (no pom.xml in KERNEL_HOME) so that only this one artifact is resolved.
  if ! (cd "$KERNEL_HOME" && mvn -B -ntp -q "$DEPENDENCY_PLUGIN:copy" -Dartifact="$RJK_ARTIFACT" \
    -DoutputDirectory="$KERNEL_HOME") >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "could not fetch $RJK_ARTIFACT from Maven Central"
  fi
  rm -f "$log"
  [[ -s "$kernel_jar" ]] || die "Maven did not write $kernel_jar"
  changed=1
fi
# Its start-up fixes (environment/kernel-patch/), compiled against that jar.
if build_kernel_patch "$kernel_jar"; then
  say "kernel: start-up fixes compiled into ${KERNEL_PATCH_CLASSES#"$ROOT/"}/"
  changed=1
else
  say "kernel: start-up fixes already compiled in ${KERNEL_PATCH_CLASSES#"$ROOT/"}/"
fi

# 3. The project and its runtime classpath (target/classpath.txt), built only when the sources changed.
build_log="$(mktemp)"
if ! "$ROOT/poseshift" --help >/dev/null 2>"$build_log"; then
  cat "$build_log" >&2
  rm -f "$build_log"
  die "the build failed"
fi
if grep -q "poseshift: building" "$build_log"; then
  say "project: built${POSESHIFT_MAVEN_ARGS:+ with POSESHIFT_MAVEN_ARGS=$POSESHIFT_MAVEN_ARGS}; runtime classpath in target/classpath.txt"
  changed=1
else
  say "project: up to date"
fi
rm -f "$build_log"

# 4. The kernel spec, installed for this user (~/.local/share/jupyter/kernels, or $JUPYTER_DATA_DIR).
spec_tmp="$(mktemp -d)"
trap 'rm -rf "$spec_tmp"' EXIT
write_kernel_spec "$spec_tmp/$KERNEL_NAME" "$ROOT/target/classpath.txt" "$kernel_jar" "$KERNEL_PATCH_CLASSES"
installed_dir="$(jupyter --data-dir)/kernels/$KERNEL_NAME"
if [[ -f "$installed_dir/kernel.json" ]] && cmp -s "$installed_dir/kernel.json" "$spec_tmp/$KERNEL_NAME/kernel.json"; then
  say "kernel spec: \"$DISPLAY_NAME\" ($KERNEL_NAME) unchanged at $installed_dir"
else
  jupyter kernelspec install --user --replace --name "$KERNEL_NAME" "$spec_tmp/$KERNEL_NAME" >/dev/null 2>&1 ||
    die "jupyter kernelspec install failed"
  say "kernel spec: \"$DISPLAY_NAME\" ($KERNEL_NAME) installed at $installed_dir"
  changed=1
fi

if [[ $changed -eq 0 ]]; then
  say "nothing to do: everything was already installed"
else
  say "done. Start with:  environment/notebook.sh   (kernel \"$DISPLAY_NAME\"), or environment/run-notebooks.sh"
fi
