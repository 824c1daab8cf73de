#!/usr/bin/env python3
"""PyTorch reference for `./poseshift bench`: the same two lifters, batch and step in plain PyTorch.

Measures, with the meaning `poseshift bench` gives each figure:
  * a training step (forward, MPJPE loss read back with .item(), backward, Adam step at lr 1e-3) of
    VideoPose3D's 27-frame temporal model in its strided training form (Pavllo et al., CVPR 2019:
    Conv1d with kernel = stride = 3, batch norm, ReLU, dropout 0.25, residual connections that take
    the centre frame of every group) and of Martinez et al.'s baseline MLP (ICCV 2017: 1024 units,
    two residual stages of linear/batch norm/ReLU/dropout 0.5);
  * TCN-27 inference in eval mode without gradients, predictions copied out to NumPy.
Inputs are random tensors of the right shape made once; every step copies its batch into a new
tensor, as the Java side does. The first 2 steps (or batches) of each measurement are not timed.

Requirements (Debian): apt-get install python3-torch python3-numpy
Run with the Python that has them, e.g. /usr/bin/python3 bench/pytorch_reference.py --json

Debian's torch does its matrix products in whatever libblas.so.3 the system provides. With only
libblas3 installed that is the unoptimised reference BLAS (about 3 GFLOP/s on 2 cores against about 70
for OpenBLAS), and the figures measure that library rather than PyTorch: install libopenblas0-pthread,
or point LD_LIBRARY_PATH at its openblas-pthread folder. The "blas" key says which library was loaded.

The models are written here from the papers' descriptions, not copied from the authors' code.
"""

import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

WARMUP_STEPS = 2
JOINTS = 17
TCN27_WIDTHS = (3, 3, 3)


class StridedTemporalModel(nn.Module):
    """VideoPose3D's temporal convolutional lifter in its training form for one receptive field.

    Input [B, F, J*2] with F the product of the filter widths; output [B, 1, J*3]. Each layer
    convolves non-overlapping groups of w frames (kernel w, stride w), so the frame axis shrinks by
    w per layer down to a single frame. Every layer after the first is a block of (grouped
    convolution, batch norm, ReLU, dropout, 1x1 convolution, batch norm, ReLU, dropout) whose input
    is added back, sliced to the centre frame of each group so that it lines up with the output.
    """

    def __init__(self, joints, widths, channels, dropout):
        super().__init__()
        self.widths = tuple(widths)
        self.drop = nn.Dropout(dropout)
        self.relu = nn.ReLU()
        self.expand = nn.Conv1d(joints * 2, channels, widths[0], stride=widths[0], bias=False)
        self.expand_norm = nn.BatchNorm1d(channels, momentum=0.1)
        self.grouped = nn.ModuleList()
        self.grouped_norms = nn.ModuleList()
        self.pointwise = nn.ModuleList()
        self.pointwise_norms = nn.ModuleList()
        for w in widths[1:]:
            self.grouped.append(nn.Conv1d(channels, channels, w, stride=w, bias=False))
            self.grouped_norms.append(nn.BatchNorm1d(channels, momentum=0.1))
            self.pointwise.append(nn.Conv1d(channels, channels, 1, bias=False))
            self.pointwise_norms.append(nn.BatchNorm1d(channels, momentum=0.1))
        self.shrink = nn.Conv1d(channels, joints * 3, 1)

    def forward(self, x):
        # Conv1d wants channels first: [B, J*2, F].
        x = x.permute(0, 2, 1)
        x = self.drop(self.relu(self.expand_norm(self.expand(x))))
        for i, w in enumerate(self.widths[1:]):
            skip = x[:, :, w // 2::w]
            x = self.drop(self.relu(self.grouped_norms[i](self.grouped[i](x))))
            x = skip + self.drop(self.relu(self.pointwise_norms[i](self.pointwise[i](x))))
        return self.shrink(x).permute(0, 2, 1)


class StridedTemporalModelAsLinear(nn.Module):
    """The same network and arithmetic as StridedTemporalModel, laid out as PoseShift's TemporalConvNet
    does it: channel-last [B, F, C], and each kernel-w stride-w convolution as a reshape of w
    consecutive frames side by side ([B, F, C] -> [B, F/w, w*C]) followed by a Linear layer. Selected
    with --tcn-layout linear, to compare the engines on identical matrix products."""

    def __init__(self, joints, widths, channels, dropout):
        super().__init__()
        self.widths = tuple(widths)
        self.drop = nn.Dropout(dropout)
        self.relu = nn.ReLU()
        self.expand = nn.Linear(widths[0] * joints * 2, channels, bias=False)
        self.expand_norm = nn.BatchNorm1d(channels, momentum=0.1)
        self.grouped = nn.ModuleList(nn.Linear(w * channels, channels, bias=False) for w in widths[1:])
        self.grouped_norms = nn.ModuleList(nn.BatchNorm1d(channels, momentum=0.1) for _ in widths[1:])
        self.pointwise = nn.ModuleList(nn.Linear(channels, channels, bias=False) for _ in widths[1:])
        self.pointwise_norms = nn.ModuleList(nn.BatchNorm1d(channels, momentum=0.1) for _ in widths[1:])
        self.shrink = nn.Linear(channels, joints * 3)

    def activate(self, norm, x):
        # Batch norm over every (sample, frame) of each channel: flatten the frames into the batch.
        b, f, c = x.shape
        return self.drop(self.relu(norm(x.reshape(b * f, c)).reshape(b, f, c)))

    @staticmethod
    def group(x, w):
        b, f, c = x.shape
        return x.reshape(b, f // w, w * c)

    def forward(self, x):
        x = self.activate(self.expand_norm, self.expand(self.group(x, self.widths[0])))
        for i, w in enumerate(self.widths[1:]):
            skip = x[:, w // 2::w, :]
            x = self.activate(self.grouped_norms[i], self.grouped[i](self.group(x, w)))
            x = skip + self.activate(self.pointwise_norms[i], self.pointwise[i](x))
        return self.shrink(x)


class BaselineMlp(nn.Module):
    """Martinez et al.'s lifter: [B, J*2] -> linear to `width` units -> `stages` residual stages of
    two (linear, batch norm, ReLU, dropout) blocks -> linear to [B, J*3]."""

    def __init__(self, joints, width, stages, dropout):
        super().__init__()

        def dense(n_in):
            return nn.Sequential(nn.Linear(n_in, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Dropout(dropout))

        self.inp = dense(joints * 2)
        self.stages = nn.ModuleList(nn.Sequential(dense(width), dense(width)) for _ in range(stages))
        self.out = nn.Linear(width, joints * 3)

    def forward(self, x):
        x = self.inp(x)
        for stage in self.stages:
            x = x + stage(x)
        return self.out(x)


def mpjpe(predicted, target):
    """Mean over poses and joints of the Euclidean joint error; both [B, J, 3]."""
    return torch.linalg.norm(predicted - target, dim=-1).mean()


def loaded_blas():
    """Path of the BLAS library this process mapped (Linux), or "unknown"."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return "unknown"
    blas = sorted(p for p in paths if any(name in os.path.basename(p) for name in ("blas", "mkl", "blis")))
    return ", ".join(blas) if blas else "unknown"


def train_steps_per_second(model, inputs, targets, steps, device):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    batch = inputs.shape[0]
    start = None
    for step in range(WARMUP_STEPS + steps):
        if step == WARMUP_STEPS:
            start = time.perf_counter()
        x = torch.tensor(inputs, device=device)
        y = torch.tensor(targets, device=device)
        optimizer.zero_grad(set_to_none=True)
        loss = mpjpe(model(x).reshape(batch, JOINTS, 3), y)
        loss.backward()
        value = loss.item()
        if not np.isfinite(value):
            raise ArithmeticError(f"training diverged: loss {value}")
        optimizer.step()
    return steps / (time.perf_counter() - start)


def inference_poses_per_second(model, inputs, batches, device):
    model.eval()
    start = None
    with torch.no_grad():
        for b in range(WARMUP_STEPS + batches):
            if b == WARMUP_STEPS:
                start = time.perf_counter()
            out = model(torch.tensor(inputs, device=device)).cpu().numpy().copy()
            assert out.size == inputs.shape[0] * JOINTS * 3
    return batches * inputs.shape[0] / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20, help="timed steps per model and timed inference batches")
    parser.add_argument("--batch", type=int, default=1024, help="samples per step (default 1024)")
    parser.add_argument("--channels", type=int, default=1024, help="hidden width of both models (default 1024)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="intra-op threads (default: os.cpu_count(), %(default)s here)")
    parser.add_argument("--tcn-layout", choices=("conv1d", "linear"), default="conv1d",
                        help="conv1d: VideoPose3D's Conv1d form (default); linear: PoseShift's reshape + Linear form")
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    args = parser.parse_args(argv)
    if min(args.steps, args.batch, args.channels, args.threads) < 1:
        parser.error("--steps, --batch, --channels and --threads must be at least 1")
    if args.device == "gpu" and not torch.cuda.is_available():
        parser.error("--device gpu: this PyTorch sees no CUDA device")
    device = torch.device("cuda" if args.device != "cpu" and torch.cuda.is_available() else "cpu")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    frames = int(np.prod(TCN27_WIDTHS))
    tcn_inputs = (rng.standard_normal((args.batch, frames, JOINTS * 2)) * 0.3).astype(np.float32)
    mlp_inputs = (rng.standard_normal((args.batch, JOINTS * 2)) * 0.3).astype(np.float32)
    targets = (rng.standard_normal((args.batch, JOINTS, 3)) * 0.3).astype(np.float32)
    blas = loaded_blas()
    print(f"pytorch_reference: torch {torch.__version__}, {torch.get_num_threads()} threads, device {device.type},"
          f" {args.steps} timed steps after {WARMUP_STEPS} warm-up, batch {args.batch}, {args.channels} channels,"
          f" TCN layout {args.tcn_layout}, BLAS {blas}", file=sys.stderr)
    if "/blas/libblas.so" in blas:
        print("pytorch_reference: warning: this is the unoptimised reference BLAS; install libopenblas0-pthread for"
              " figures that measure PyTorch (see the docstring)", file=sys.stderr)

    tcn_class = StridedTemporalModel if args.tcn_layout == "conv1d" else StridedTemporalModelAsLinear
    tcn = tcn_class(JOINTS, TCN27_WIDTHS, args.channels, 0.25).to(device)
    tcn_steps = train_steps_per_second(tcn, tcn_inputs, targets, args.steps, device)
    print(f"tcn27 training   {tcn_steps:.3f} steps/s", file=sys.stderr)
    tcn_infer = inference_poses_per_second(tcn, tcn_inputs, args.steps, device)
    print(f"tcn27 inference  {tcn_infer:.0f} poses/s", file=sys.stderr)
    mlp = BaselineMlp(JOINTS, args.channels, 2, 0.5).to(device)
    mlp_steps = train_steps_per_second(mlp, mlp_inputs, targets, args.steps, device)
    print(f"mlp training     {mlp_steps:.3f} steps/s", file=sys.stderr)
    # ru_maxrss is in KiB on Linux.
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    figures = {
        "tcn27_train_steps_per_s": tcn_steps,
        "tcn27_train_samples_per_s": tcn_steps * args.batch,
        "mlp_train_steps_per_s": mlp_steps,
        "mlp_train_samples_per_s": mlp_steps * args.batch,
        "tcn27_infer_poses_per_s": tcn_infer,
        "peak_rss_mb": peak_rss_mb,
        "device": "gpu 0" if device.type == "cuda" else "cpu",
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "channels": args.channels,
        "tcn_layout": args.tcn_layout,
        "blas": blas,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        rows = [("TCN-27 training", f"{tcn_steps:.3f}", "steps/s"),
                ("", f"{tcn_steps * args.batch:.0f}", "samples/s"),
                ("Baseline MLP training", f"{mlp_steps:.3f}", "steps/s"),
                ("", f"{mlp_steps * args.batch:.0f}", "samples/s"),
                ("TCN-27 inference", f"{tcn_infer:.0f}", "poses/s"),
                ("peak RSS", f"{peak_rss_mb:.0f}", "MiB")]
        print(f"torch {torch.__version__}, device {figures['device']}, threads {figures['threads']},"
              f" batch {args.batch}, channels {args.channels}, timed steps {args.steps}, TCN layout {args.tcn_layout},"
              f" BLAS {blas}")
        for what, value, unit in rows:
            print(f"  {what:<26} {value:>12}  {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
