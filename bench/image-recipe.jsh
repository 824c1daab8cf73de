// The image-training recipe rows of docs/image-domains.md ("What each part changed"): trains an image model from
// scratch on one domain's fresh rendered crops and prints its MPJPE on that domain's test crops beside the test
// crops' own mean pose. Settings come from the environment (defaults: the tiny budget's size, the 101 mm row):
//   DOMAIN=h36m-like KIND=tiny SUBJECTS=5 FRAMES=40 CROPS=800 TEST=200 MODEL=tiny|default EPOCHS=40 BATCH=16 LR=1e-2
//   SCHEDULE=cosine|decay FRESH=1|0 AUG=none|paper|S,T,R,C[,looks] SEED=0
// e.g. EPOCHS=40 LR=1e-2 AUG=0,0,0,0.2,looks ./poseshift shell bench/image-recipe.jsh
String env(String k, String d) { return System.getenv().getOrDefault(k, d); }
var augSpec = env("AUG", "none");
ImageAugmentation aug;
if (augSpec.equals("none")) {
    aug = ImageAugmentation.none();
} else if (augSpec.equals("paper")) {
    aug = ImageAugmentation.paper();
} else {
    var p = augSpec.split(",");
    aug = new ImageAugmentation(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
            Double.parseDouble(p[3]), p.length > 4 && p[4].equals("looks"));
}
var model = env("MODEL", "tiny").equals("default") ? ImagePoseModel.Config.defaults() : ImagePoseModel.Config.tiny();
int epochs = Integer.parseInt(env("EPOCHS", "40"));
int batch = Integer.parseInt(env("BATCH", "16"));
float lr = Float.parseFloat(env("LR", "1e-2"));
int crops = Integer.parseInt(env("CROPS", "800"));
long seed = Long.parseLong(env("SEED", "0"));
boolean cosine = env("SCHEDULE", "cosine").equals("cosine");
var budget = new ImageBenchmark.Budget(CrossDatasetBenchmark.Budget.Kind.byName(env("KIND", "tiny")), Integer.parseInt(env("SUBJECTS", "5")),
        Integer.parseInt(env("FRAMES", "40")), crops, Integer.parseInt(env("TEST", "200")), model, epochs, lr, batch, 1, aug);
var domain = ImageBenchmark.generate(Domains.preset(env("DOMAIN", "h36m-like")), budget, seed);
int threads = Runtime.getRuntime().availableProcessors();
// FRESH=1: new crops every epoch from every training frame (the budgets' way); 0: the same evenly strided crops.
EpochCrops train;
if (env("FRESH", "1").equals("1")) {
    train = ImageDataset.of(domain, "train", new ImageRenderer(domain.spec().image(), 64), 1, seed * 7 + 1)
            .augmented(aug).freshEachEpoch(crops, threads);
} else {
    train = EpochCrops.fixed(ImageBenchmark.dataset(domain, "train", crops, budget, seed).augmented(aug).cached(threads));
}
var test = ImageBenchmark.dataset(domain, "test", budget.testImages(), budget, seed).cached(threads);
var training = new LifterTraining.Config(epochs, batch, lr, cosine ? 1f : 0.95f, 0f, true, false, seed, 1,
        cosine ? LifterTraining.Schedule.WARMUP_COSINE : LifterTraining.Schedule.EPOCH_DECAY);
try (var m = ai.djl.Model.newInstance("recipe")) {
    var net = new ImagePoseModel(model);
    m.setBlock(net);
    ImagePoseTraining.train(m, train, training, null);
    var truth = ImagePoseTraining.targets(test);
    var predicted = ImagePoseTraining.predict(net, test, 64);
    float[] t = truth.toFloats();
    float[] mean = new float[51];
    for (int i = 0; i < test.size(); i++) for (int k = 0; k < 51; k++) mean[k] += t[i * 51 + k] / test.size();
    float[] means = new float[test.size() * 51];
    for (int i = 0; i < test.size(); i++) System.arraycopy(mean, 0, means, i * 51, 51);
    System.out.printf(Locale.ROOT, "%s: test MPJPE %.1f mm, the test crops' own mean pose %.1f mm (%d crops)%n",
            domain.spec().name(), PoseErrors.compute(predicted.joints3d(), truth, LengthUnit.METRES).summary().mpjpeMm(),
            PoseErrors.compute(PoseArray.of(means, 17), truth, LengthUnit.METRES).summary().mpjpeMm(), test.size());
}
/exit
