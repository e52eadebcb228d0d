/**
 * Ringfork's JMH benchmarks. Compiled as a named module (so javac checks we use only what core exports);
 * the shaded benchmarks.jar drops every module-info.class and runs on the class path, as JMH expects.
 */
module dev.ringfork.bench {
    requires dev.ringfork.core;
    requires jmh.core;
}
