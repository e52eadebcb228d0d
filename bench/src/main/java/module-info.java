/**
 * Ringfork's benchmarks and the side-by-side peer harness. Not a library: nothing is exported. The
 * shaded benchmarks.jar runs on the class path; this descriptor keeps the compile honest about what the
 * benchmarks use. The peers are automatic modules (their jars carry no descriptors).
 */
module dev.ringfork.bench {
    requires dev.ringfork.core;
    requires dev.ringfork.ipc;
    requires jmh.core;
    requires org.agrona;
    requires chronicle.queue;
    requires chronicle.wire;
    requires chronicle.bytes;
    requires HdrHistogram;
    requires java.management;
    requires java.desktop;
    requires org.knowm.xchart;
}
