// Yang et al.'s λ (Eq. 5) at a CPU budget: the image benchmark's source model, then yang2018-baseline and yang2018
// with each λ of WEIGHTS on every bundled target; prints one line per row (MPJPE on the target's test crops, and the
// discriminator's last-epoch scores). Settings from the environment:
//   BUDGET=tiny|default SEEDS=0,1 WEIGHTS=1e-4,1e-2,1e-1,1 VARIANT=yang2018 DRATE=1e-4 (the discriminator's rate)
// e.g. BUDGET=tiny SEEDS=0,1 ./poseshift shell bench/yang2018-weight.jsh

String env(String k, String d) { return System.getenv().getOrDefault(k, d); }
var budget = ImageBenchmark.Budget.byName(env("BUDGET", "tiny"));
var variant = Yang2018Config.Variant.byMethod(env("VARIANT", "yang2018"));
var adaptations = new ArrayList<ImageAdaptation>();
var methods = new ArrayList<String>(List.of("source-only", "yang2018-baseline"));
adaptations.add(Yang2018.adaptation("yang2018-baseline", b -> Yang2018Config.forBudget(b.kind(), b.learningRate())
        .withVariant(Yang2018Config.Variant.BASELINE)));
for (String w : env("WEIGHTS", "1e-4,1e-2,1e-1,1").split(",")) {
    float lambda = Float.parseFloat(w);
    String name = variant.method() + "-lambda-" + w;
    methods.add(name);
    float dRate = Float.parseFloat(env("DRATE", "1e-4"));
    adaptations.add(Yang2018.adaptation(name, b -> {
        var c = Yang2018Config.forBudget(b.kind(), b.learningRate()).withVariant(variant).withAdversarialWeight(lambda);
        return new Yang2018Config(c.variant(), c.adversarialWeight(), dRate, c.discriminatorWidth(), c.epochs(),
                c.imagesPerEpoch(), c.learningRate());
    }));
}
var targets = List.of(Domains.preset("3dhp-like"), Domains.preset("3dpw-like"), Domains.preset("ski-like"));
for (String s : env("SEEDS", "0,1").split(",")) {
    long seed = Long.parseLong(s);
    var run = ImageBenchmark.run(Domains.preset("h36m-like"), targets, methods, budget, seed, Devices.choose("cpu"),
            Runtime.getRuntime().availableProcessors(), null, SourceModelCache.projectFolder(), adaptations);
    for (var r : run.poses().results()) {
        var h = r.history();
        String scores = h.names().contains("real_score") ? String.format(Locale.ROOT, "  D(real) %.2f D(fake) %.2f D loss %.3f",
                h.last("real_score"), h.last("fake_score"), h.last("discriminator_loss")) : "";
        System.out.printf(Locale.ROOT, "seed %d  %-10s %-26s %6.1f mm%s%n", seed, r.target(), r.method(), r.summary().mpjpeMm(),
                scores);
    }
}
/exit
