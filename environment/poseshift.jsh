// PoseShift's public API for JShell: the startup script of `./poseshift shell` and the init script of
// the `poseshift` Jupyter kernel (environment/install.sh). Plain Java imports only (no /commands), one
// class per line: PoseShiftJshTest compiles every line against the project, so a renamed class fails
// the build instead of the first prompt.

// io.github.poseshift.skeleton
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;

// io.github.poseshift.geometry
import io.github.poseshift.geometry.AxisAngle;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.EulerOrder;
import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.geometry.KeypointNormalisation;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.geometry.PairwiseDescriptor;
import io.github.poseshift.geometry.Procrustes;
import io.github.poseshift.geometry.Quaternion;
import io.github.poseshift.geometry.Rotation;
import io.github.poseshift.geometry.SkeletonDescriptor;
import io.github.poseshift.geometry.Vec3;

// io.github.poseshift.data
import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.EpochCrops;
import io.github.poseshift.data.EpochOrder;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.Range;
import io.github.poseshift.data.SynthAction;
import io.github.poseshift.data.ViewSequence;

// io.github.poseshift.data.synth
import io.github.poseshift.data.synth.Body;
import io.github.poseshift.data.synth.CameraRig;
import io.github.poseshift.data.synth.Detector2D;
import io.github.poseshift.data.synth.MotionSources;
import io.github.poseshift.data.synth.MotionSynthesizer;
import io.github.poseshift.data.synth.Retarget;
import io.github.poseshift.data.synth.SyntheticDomain;

// io.github.poseshift.data.io
import io.github.poseshift.data.io.Bvh;
import io.github.poseshift.data.io.BvhClip;
import io.github.poseshift.data.io.BvhJointMaps;
import io.github.poseshift.data.io.BvhUnit;
import io.github.poseshift.data.io.DataPaths;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.io.Human36mCameras;
import io.github.poseshift.data.io.MpiInf3dhpTestSet;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.data.io.NpyDType;
import io.github.poseshift.data.io.NpyObjectArray;
import io.github.poseshift.data.io.Npz;
import io.github.poseshift.data.io.NumpyUnpickler;
import io.github.poseshift.data.io.PoseFiles;
import io.github.poseshift.data.io.VideoPose3DArchive;
import io.github.poseshift.data.io.ViewArchive;

// io.github.poseshift.render
import io.github.poseshift.render.Appearance;
import io.github.poseshift.render.BodyModel;
import io.github.poseshift.render.Framing;
import io.github.poseshift.render.ImageAugmentation;
import io.github.poseshift.render.ImageDataset;
import io.github.poseshift.render.ImageRenderer;
import io.github.poseshift.render.RenderBench;
import io.github.poseshift.render.RenderFiles;
import io.github.poseshift.render.RenderedImage;

// io.github.poseshift.eval
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.JointSubset;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.Metrics;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.eval.Tables;

// io.github.poseshift.nn
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.ScheduledBatchNorm;
import io.github.poseshift.nn.SimpleBaseline;
import io.github.poseshift.nn.TemporalConvNet;

// io.github.poseshift.nn.image
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.nn.image.IntegralPoseHead;
import io.github.poseshift.nn.image.ResNetBackbone;
import io.github.poseshift.nn.image.VitBackbone;

// io.github.poseshift.nn.adaptpose
import io.github.poseshift.nn.adaptpose.BoneAngleGenerator;
import io.github.poseshift.nn.adaptpose.BoneDisplacementGenerator;
import io.github.poseshift.nn.adaptpose.BoneGeneration;
import io.github.poseshift.nn.adaptpose.BoneLengthGenerator;
import io.github.poseshift.nn.adaptpose.CameraGenerator;
import io.github.poseshift.nn.adaptpose.CameraParameterisation;
import io.github.poseshift.nn.adaptpose.GeneratorOutput;
import io.github.poseshift.nn.adaptpose.GeneratorTrunk;
import io.github.poseshift.nn.adaptpose.MotionGenerator;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator2D;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator3D;

// io.github.poseshift.nn.ahup
import io.github.poseshift.nn.ahup.SpaLifter;

// io.github.poseshift.nn.yang2018
import io.github.poseshift.nn.yang2018.MultiSourceDiscriminator;
import io.github.poseshift.nn.yang2018.PoseEncoding;

// io.github.poseshift.method.adaptpose
import io.github.poseshift.method.adaptpose.AdaptPose;
import io.github.poseshift.method.adaptpose.AdaptPoseConfig;
import io.github.poseshift.method.adaptpose.AdaptPoseMethods;
import io.github.poseshift.method.adaptpose.AdaptPoseProbe;

// io.github.poseshift.method.poseda
import io.github.poseshift.method.poseda.GlobalPositionAlignment;
import io.github.poseshift.method.poseda.PoseDA;
import io.github.poseshift.method.poseda.PoseDAConfig;
import io.github.poseshift.method.poseda.PoseDAProbe;

// io.github.poseshift.method.ahup
import io.github.poseshift.method.ahup.SkeletalPoseAdaptation;
import io.github.poseshift.method.ahup.SpaConfig;

// io.github.poseshift.method.yang2018
import io.github.poseshift.method.yang2018.Yang2018;
import io.github.poseshift.method.yang2018.Yang2018Config;

// io.github.poseshift.method
import io.github.poseshift.method.Methods;

// io.github.poseshift.loss
import io.github.poseshift.loss.GanLosses;
import io.github.poseshift.loss.ImagePoseLosses;
import io.github.poseshift.loss.SkeletonDescriptorLoss;

// io.github.poseshift.train
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.AdversarialSteps;
import io.github.poseshift.train.ImageAdaptation;
import io.github.poseshift.train.BaselineTraining;
import io.github.poseshift.train.Checkpoint;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.Devices;
import io.github.poseshift.train.EpochProgress;
import io.github.poseshift.train.History;
import io.github.poseshift.train.ImageBenchmark;
import io.github.poseshift.train.ImagePoseTraining;
import io.github.poseshift.train.LifterTraining;
import io.github.poseshift.train.SourceModelCache;
import io.github.poseshift.train.ResumableAdam;
import io.github.poseshift.train.SamplePool;
import io.github.poseshift.train.SeedSpread;

// io.github.poseshift.viz
import io.github.poseshift.viz.ImagePlots;
import io.github.poseshift.viz.Plots;
import io.github.poseshift.viz.SkeletonPlots;

// what a session needs around them: paths, images, charts as images, DJL models and arrays (importing a class
// does not start the engine)
import java.nio.file.Files;
import java.nio.file.Path;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
