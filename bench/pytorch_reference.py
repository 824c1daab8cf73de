#!/usr/bin/env python3
"""PyTorch reference for `./poseshift bench`: the same two lifters and image pose model in plain PyTorch.

Measures, with the meaning `poseshift bench` gives each figure:
  * a training step (forward, MPJPE loss read back with .item(), backward, Adam step at lr 1e-3) of
    VideoPose3D's 27-frame temporal model in its strided training form (Pavllo et al., CVPR 2019:
    Conv1d with kernel = stride = 3, batch norm, ReLU, dropout 0.25, residual connections that take
    the centre frame of every group) and of Martinez et al.'s baseline MLP (ICCV 2017: 1024 units,
    two residual stages of linear/batch norm/ReLU/dropout 0.5);
  * TCN-27 inference in eval mode without gradients, predictions copied out to NumPy;
  * a training step of PoseShift's default image pose model (`ImagePoseModel.Config.defaults()`: a
    compact ResNet and Sun et al.'s integral regression head, ECCV 2018) on 64x64 crops, batch 64, on the
    CPU as `ImagePoseTraining.trainStepsPerSecond` does: forward with cameras, the integral L1 loss read
    back with .item(), backward, Adam at lr 1e-3 (`image_train_samples_per_s`).
Inputs are random tensors of the right shape made once; every step copies its batch into a new
tensor, as the Java side does. The first 2 steps (or batches) of each measurement are not timed.

Requirements (Debian): apt-get install python3-torch python3-numpy
Run with the Python that has them, e.g. /usr/bin/python3 bench/pytorch_reference.py --json

Debian's torch does its matrix products in whatever libblas.so.3 the system provides. With only
libblas3 installed that is the unoptimised reference BLAS (about 3 GFLOP/s on 2 cores against about 70
for OpenBLAS), and the figures measure that library rather than PyTorch: install libopenblas0-pthread,
or point LD_LIBRARY_PATH at its openblas-pthread folder. The "blas" key says which library was loaded.

The lifters are written here from the papers' descriptions, not copied from the authors' code; the image
model from PoseShift's Java classes (nn/image/ResNetBackbone, IntegralPoseHead, ImagePoseModel,
loss/ImagePoseLosses), layer for layer.
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


# The image model's shape. These defaults MUST equal PoseShift's current defaults
# (ImagePoseModel.Config.defaults(): 64-pixel crops, ResNetBackbone.Config.defaults() and
# IntegralPoseHead.Config.defaults()), or `image_train_samples_per_s` compares different networks. When
# those change, change these; to measure another configuration pass --image-width, --image-blocks,
# --image-up-layers, --image-up-channels, --image-depth-bins and --image-size.
IMAGE_SIZE = 64
IMAGE_WIDTH = 16
IMAGE_BLOCKS = (1, 1, 1)
IMAGE_UP_LAYERS = 1
IMAGE_UP_CHANNELS = 32
IMAGE_DEPTH_BINS = 16
IMAGE_DEPTH_RANGE = 1.0   # IntegralPoseHead.Config.depthRange, metres either side of the centre slice
IMAGE_CROP_METRES = 2.0   # ImagePoseModel.Config.cropMetres, the 3D loss's metric span
IMAGE_BATCH = 64
IMAGE_STEPS = 10
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
CAMERA_VALUES = 5
ROOT = 0


def batch_norm(channels):
    # ScheduledBatchNorm at its starting point: momentum 0.1 (PyTorch's convention), epsilon 1e-5.
    return nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)


def conv(in_channels, out_channels, kernel, stride):
    """ResNetBackbone.conv: a kernel x kernel convolution without bias, "same" padding."""
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=kernel // 2, bias=False)


class BasicBlock(nn.Module):
    """relu(bn(conv(relu(bn(conv(x))))) + shortcut(x)); the shortcut is a 1x1 convolution and batch norm
    when the block changes the shape (the first block of every stage after the first), else the identity."""

    def __init__(self, in_channels, channels, stride, project):
        super().__init__()
        self.main = nn.Sequential(conv(in_channels, channels, 3, stride), batch_norm(channels), nn.ReLU(),
                                  conv(channels, channels, 3, 1), batch_norm(channels))
        self.shortcut = (nn.Sequential(conv(in_channels, channels, 1, stride), batch_norm(channels)) if project
                         else nn.Identity())
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.main(x) + self.shortcut(x))


class ResNetBackbone(nn.Module):
    """PoseShift's nn.image.ResNetBackbone: a 3x3 stride-2 stem convolution (no bias) with batch norm and
    ReLU, then stages of basic blocks; stage s has width * 2^s channels and every stage after the first
    starts with a stride-2 block. Output stride 2^stages."""

    def __init__(self, width, blocks):
        super().__init__()
        layers = [conv(3, width, 3, 2), batch_norm(width), nn.ReLU()]
        channels = width
        for s, count in enumerate(blocks):
            out = width << s
            for b in range(count):
                first = b == 0 and s > 0
                layers.append(BasicBlock(channels, out, 2 if first else 1, first))
                channels = out
        self.layers = nn.Sequential(*layers)
        self.stride = 1 << len(blocks)
        self.out_channels = width << (len(blocks) - 1)

    def forward(self, x):
        return self.layers(x)


class IntegralPoseHead(nn.Module):
    """PoseShift's nn.image.IntegralPoseHead: upsampling layers (3x3 convolution to 4C channels without bias,
    pixel shuffle x2, batch norm, ReLU), a 1x1 convolution with bias to J*D channels, the logits read as
    [B, J, D, h, w], softmax over each joint's whole volume, soft-argmax through the marginals; x and y in
    heatmap cells, z in metres from the centre slice."""

    def __init__(self, in_channels, joints, up_layers, up_channels, depth_bins, depth_range):
        super().__init__()
        layers = []
        channels = in_channels
        for _ in range(up_layers):
            layers += [conv(channels, 4 * up_channels, 3, 1), nn.PixelShuffle(2), batch_norm(up_channels), nn.ReLU()]
            channels = up_channels
        self.upsampling = nn.Sequential(*layers)
        self.volume = nn.Conv2d(channels, joints * depth_bins, 1, bias=True)
        self.joints = joints
        self.depth_bins = depth_bins
        self.depth_range = depth_range

    def forward(self, features):
        x = self.volume(self.upsampling(features))
        b, _, h, w = x.shape
        d = self.depth_bins
        p = x.reshape(b, self.joints, d * h * w).softmax(2).reshape(b, self.joints, d, h, w)
        plane = p.sum(2)
        xs = (plane.sum(2) * torch.arange(w, dtype=p.dtype)).sum(2)
        ys = (plane.sum(3) * torch.arange(h, dtype=p.dtype)).sum(2)
        zs = (p.sum((3, 4)) * torch.arange(d, dtype=p.dtype)).sum(2)
        coords = torch.cat((torch.stack((xs, ys), 2), zs.unsqueeze(2)), 2)
        step = 2 * self.depth_range / d
        z = (coords[:, :, 2:3] + 0.5) * step - self.depth_range
        return torch.cat((coords[:, :, 0:2], z), 2)


class ImagePoseModel(nn.Module):
    """PoseShift's nn.image.ImagePoseModel with a ResNet backbone: ImageNet standardisation, backbone,
    integral head, heatmap cells to crop pixels, and 3D by back-projection through cameras [B, 5] =
    (fx, fy, cx, cy, root depth), root-relative. Returns (joints3d [B, J, 3], joints2d [B, J, 2], features)."""

    def __init__(self, image_size, width, blocks, up_layers, up_channels, depth_bins, depth_range, joints=JOINTS):
        super().__init__()
        self.backbone = ResNetBackbone(width, blocks)
        self.head = IntegralPoseHead(self.backbone.out_channels, joints, up_layers, up_channels, depth_bins,
                                     depth_range)
        heatmap = image_size // self.backbone.stride * (1 << up_layers)
        if image_size % self.backbone.stride != 0 or heatmap > image_size:
            raise ValueError(f"image size {image_size} does not fit stride {self.backbone.stride} with"
                             f" {up_layers} upsampling layers")
        self.pixels_per_cell = image_size / heatmap
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).reshape(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).reshape(1, 3, 1, 1))

    def forward(self, images, cameras):
        features = self.backbone((images - self.mean) / self.std)
        uvz = self.head(features)
        pixels = (uvz[:, :, 0:2] + 0.5) * self.pixels_per_cell - 0.5
        depths = uvz[:, :, 2]
        z = depths - depths[:, ROOT:ROOT + 1] + cameras[:, 4:5]
        x = (pixels[:, :, 0] - cameras[:, 2:3]) * z / cameras[:, 0:1]
        y = (pixels[:, :, 1] - cameras[:, 3:4]) * z / cameras[:, 1:2]
        joints = torch.cat((torch.stack((x, y), 2), z.unsqueeze(2)), 2)
        return joints - joints[:, ROOT:ROOT + 1, :], pixels, features


def integral_l1(predicted3d, target3d, predicted2d, target2d, metric_span, image_size, weight2d=1.0):
    """ImagePoseLosses.integralL1: mean|3D error| / metric span + weight2d * mean|2D error| / image side."""
    return ((predicted3d - target3d).abs().mean() / metric_span
            + (predicted2d - target2d).abs().mean() * (weight2d / image_size))


def trainable_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def image_train_steps_per_second(model, image_size, batch, steps, seed):
    """ImagePoseTraining.trainStepsPerSecond in PyTorch: random crops in [0, 1), root-relative 3D targets
    in [-0.5, 0.5) m, 2D targets in [0, S - 1) px and the cameras (4S, 4S, (S-1)/2, (S-1)/2, 5 m), made
    once and copied into new tensors every step; forward, integral L1 loss, backward, loss read back,
    Adam step; WARMUP_STEPS untimed steps first. On the CPU, as the Java side."""
    rng = np.random.default_rng(seed)
    s = image_size
    images = rng.random((batch, 3, s, s), dtype=np.float32)
    joints3d = rng.random((batch, JOINTS, 3), dtype=np.float32) - np.float32(0.5)
    joints2d = rng.random((batch, JOINTS, 2), dtype=np.float32) * np.float32(s - 1)
    cameras = np.tile(np.array([s * 4, s * 4, (s - 1) / 2, (s - 1) / 2, 5], dtype=np.float32), (batch, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    start = None
    for step in range(WARMUP_STEPS + steps):
        if step == WARMUP_STEPS:
            start = time.perf_counter()
        x = torch.tensor(images)
        c = torch.tensor(cameras)
        y3 = torch.tensor(joints3d)
        y2 = torch.tensor(joints2d)
        optimizer.zero_grad(set_to_none=True)
        p3, p2, _ = model(x, c)
        loss = integral_l1(p3, y3, p2, y2, IMAGE_CROP_METRES, s)
        loss.backward()
        value = loss.item()
        if not np.isfinite(value):
            raise ArithmeticError(f"image training diverged: loss {value}")
        optimizer.step()
    return steps / (time.perf_counter() - start)


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
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto",
                        help="where the lifters run; the image model always runs on the CPU, as in poseshift bench")
    parser.add_argument("--image-steps", type=int, default=IMAGE_STEPS,
                        help="timed training steps of the image model (default %(default)s)")
    parser.add_argument("--image-batch", type=int, default=IMAGE_BATCH,
                        help="crops per image training step (default %(default)s)")
    parser.add_argument("--image-size", type=int, default=IMAGE_SIZE, help="crop side in pixels (default %(default)s)")
    parser.add_argument("--image-width", type=int, default=IMAGE_WIDTH,
                        help="ResNet stem and first-stage channels (default %(default)s, ResNetBackbone.Config.defaults())")
    parser.add_argument("--image-blocks", default=",".join(map(str, IMAGE_BLOCKS)),
                        help="basic blocks per ResNet stage, comma-separated (default %(default)s)")
    parser.add_argument("--image-up-layers", type=int, default=IMAGE_UP_LAYERS,
                        help="upsampling layers of the integral head (default %(default)s, IntegralPoseHead.Config.defaults())")
    parser.add_argument("--image-up-channels", type=int, default=IMAGE_UP_CHANNELS,
                        help="channels of each upsampling layer (default %(default)s)")
    parser.add_argument("--image-depth-bins", type=int, default=IMAGE_DEPTH_BINS,
                        help="depth slices of each joint's volume (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    args = parser.parse_args(argv)
    if min(args.steps, args.batch, args.channels, args.threads) < 1:
        parser.error("--steps, --batch, --channels and --threads must be at least 1")
    try:
        image_blocks = tuple(int(b) for b in args.image_blocks.split(","))
    except ValueError:
        parser.error(f"--image-blocks: comma-separated integers expected, got {args.image_blocks!r}")
    if min(args.image_steps, args.image_batch, args.image_width, args.image_up_channels, *image_blocks) < 1 \
            or args.image_up_layers < 0 or args.image_depth_bins < 2:
        parser.error("--image-steps, --image-batch, --image-width, --image-up-channels and every --image-blocks entry"
                     " must be at least 1, --image-up-layers at least 0 and --image-depth-bins at least 2")
    image_stride = 1 << len(image_blocks)
    if args.image_size % image_stride != 0 or (args.image_size // image_stride << args.image_up_layers) > args.image_size:
        parser.error(f"--image-size {args.image_size} needs to be a multiple of the backbone's stride {image_stride}"
                     f" ({len(image_blocks)} stages) and at least the heatmap's side after {args.image_up_layers}"
                     " upsampling layers")
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
    # ru_maxrss is in KiB on Linux. Taken before the image model, as poseshift bench takes it (the lifters').
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    image_model = ImagePoseModel(args.image_size, args.image_width, image_blocks, args.image_up_layers,
                                 args.image_up_channels, args.image_depth_bins, IMAGE_DEPTH_RANGE)
    image_parameters = trainable_parameters(image_model)
    image_steps = image_train_steps_per_second(image_model, args.image_size, args.image_batch, args.image_steps,
                                               args.seed)
    print(f"image training   {args.image_steps} steps of batch {args.image_batch}, {args.image_size}x{args.image_size},"
          f" ResNet width {args.image_width} blocks {list(image_blocks)}, head {args.image_up_layers} x"
          f" {args.image_up_channels} channels, {args.image_depth_bins} depth bins, {image_parameters:,} trainable"
          f" parameters: {image_steps:.3f} steps/s, {image_steps * args.image_batch:.1f} samples/s", file=sys.stderr)

    figures = {
        "tcn27_train_steps_per_s": tcn_steps,
        "tcn27_train_samples_per_s": tcn_steps * args.batch,
        "mlp_train_steps_per_s": mlp_steps,
        "mlp_train_samples_per_s": mlp_steps * args.batch,
        "tcn27_infer_poses_per_s": tcn_infer,
        "image_train_samples_per_s": image_steps * args.image_batch,
        "peak_rss_mb": peak_rss_mb,
        "device": "gpu 0" if device.type == "cuda" else "cpu",
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "channels": args.channels,
        "image_batch": args.image_batch,
        "tcn_layout": args.tcn_layout,
        "image_parameters": image_parameters,
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
                ("image model training", f"{image_steps * args.image_batch:.1f}",
                 f"samples/s (batch {args.image_batch}, {args.image_size}x{args.image_size}, CPU)"),
                ("peak RSS", f"{peak_rss_mb:.0f}", "MiB")]
        print(f"torch {torch.__version__}, device {figures['device']}, threads {figures['threads']},"
              f" batch {args.batch}, channels {args.channels}, timed steps {args.steps}, TCN layout {args.tcn_layout},"
              f" BLAS {blas}")
        for what, value, unit in rows:
            print(f"  {what:<26} {value:>12}  {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
