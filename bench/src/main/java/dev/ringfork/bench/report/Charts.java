package dev.ringfork.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Draws a run's charts as PNG files with XChart, headless: SPSC throughput by message size, ping-pong
 * latency percentiles, pool {@code imap} throughput by chunk size, and multi-producer throughput. Each
 * is written as {@code <stamp>-<chart>.png} and copied to {@code latest-<chart>.png}; a chart whose
 * figures were not measured is left out.
 */
final class Charts {

    private static final Color RINGFORK = new Color(0x1f77b4);
    private static final Color RINGFORK_LIGHT = new Color(0x6baed6);
    private static final Color AGRONA = new Color(0xff7f0e);
    private static final Color CHRONICLE = new Color(0x7f7f7f);
    private static final Color FLOOR = new Color(0x2ca02c);
    private static final List<String> SIZES = List.of("32", "256", "4096");
    private static final List<String> PAIRS = List.of("ringfork-spin", "agrona-spin", "raw-spin", "ringfork-adaptive",
            "ringfork-adaptive-gap1ms", "raw-futex-gap1ms", "ringfork-adaptive-gap10ms", "raw-futex-gap10ms");

    private final Map<String, Double> values = new LinkedHashMap<>();

    private Charts(List<Figure> figures) {
        for (Figure f : figures) {
            if (!Double.isNaN(f.value()) && f.value() > 0) {
                values.put(f.suite() + "/" + f.name(), f.value());
            }
        }
    }

    /** Writes every chart that has figures into {@code dir}; returns the files written, stamped ones first. */
    static List<Path> write(List<Figure> figures, Path dir, String stamp) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Charts charts = new Charts(figures);
        Map<String, CategoryChart> drawn = new LinkedHashMap<>();
        charts.throughput().ifPresent(c -> drawn.put("throughput", c));
        charts.pingPong().ifPresent(c -> drawn.put("pingpong", c));
        charts.poolImap().ifPresent(c -> drawn.put("pool-imap", c));
        charts.multiProducer().ifPresent(c -> drawn.put("mpsc", c));
        List<Path> stamped = new ArrayList<>();
        List<Path> latest = new ArrayList<>();
        for (Map.Entry<String, CategoryChart> e : drawn.entrySet()) {
            Path file = dir.resolve(stamp + "-" + e.getKey() + ".png");
            BitmapEncoder.saveBitmap(e.getValue(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
            stamped.add(file);
            latest.add(Files.copy(file, dir.resolve("latest-" + e.getKey() + ".png"), StandardCopyOption.REPLACE_EXISTING));
        }
        stamped.addAll(latest);
        return stamped;
    }

    private Optional<CategoryChart> throughput() {
        Map<String, Color> series = new LinkedHashMap<>();
        series.put("ringfork-claim", RINGFORK);
        series.put("ringfork-batch", RINGFORK_LIGHT);
        series.put("agrona", AGRONA);
        series.put("chronicle", CHRONICLE);
        series.put("c-ring", FLOOR);
        Map<String, String> titles = Map.of("ringfork-claim", "Ringfork claim/commit", "ringfork-batch", "Ringfork batch claim (64)",
                "agrona", "Agrona OneToOneRingBuffer", "chronicle", "Chronicle Queue", "c-ring", "C ring (floor)");
        CategoryChart chart = chart("Cross-process SPSC throughput, 1 producer JVM -> 1 consumer JVM, short run",
                "message size (bytes)", "messages/s (log scale)");
        List<Color> colors = new ArrayList<>();
        series.forEach((peer, color) -> {
            List<Double> ys = SIZES.stream().map(size -> values.get("peers/spsc/" + size + "/" + peer + "/short")).toList();
            if (addSeries(chart, titles.get(peer), SIZES, ys)) {
                colors.add(color);
            }
        });
        return finish(chart, colors, true);
    }

    private Optional<CategoryChart> pingPong() {
        CategoryChart chart = chart("Cross-process ping-pong round trip, 32 B each way (coordinated omission corrected)",
                "pair", "microseconds (log scale)");
        List<String> pairs = PAIRS.stream().filter(p -> values.containsKey("peers/pingpong/" + p + "/p50")).toList();
        List<Color> colors = new ArrayList<>();
        String[][] percentiles = {{"p50", "median"}, {"p99", "p99"}, {"p999", "p99.9"}};
        Color[] shades = {RINGFORK, AGRONA, CHRONICLE};
        for (int i = 0; i < percentiles.length; i++) {
            String field = percentiles[i][0];
            List<Double> ys = pairs.stream().map(p -> values.get("peers/pingpong/" + p + "/" + field))
                    .map(ns -> ns == null ? null : ns / 1000).toList();
            if (addSeries(chart, percentiles[i][1], pairs, ys)) {
                colors.add(shades[i]);
            }
        }
        return finish(chart, colors, true);
    }

    private Optional<CategoryChart> poolImap() {
        CategoryChart chart = chart("Pool imap throughput by chunk size, x -> 2x, results in order", "chunk size", "items/s (log scale)");
        List<String> chunks = values.keySet().stream().filter(k -> k.startsWith("pool/imap/"))
                .map(k -> k.substring("pool/imap/".length())).toList();
        List<Double> ys = chunks.stream().map(c -> values.get("pool/imap/" + c)).toList();
        List<Color> colors = addSeries(chart, "ProcessPool.imap", chunks, ys) ? List.of(RINGFORK) : List.of();
        return finish(chart, colors, true);
    }

    private Optional<CategoryChart> multiProducer() {
        CategoryChart chart = chart("Cross-process multi-producer throughput, 32 B, one JVM per producer and consumer",
                "ring (2 producers -> 1 consumer; MPMC: -> 2 consumers)", "messages/s");
        List<String> labels = new ArrayList<>();
        List<Double> ringfork = new ArrayList<>();
        List<Double> agrona = new ArrayList<>();
        for (String[] bar : new String[][] {{"mpsc/32/ringfork-claim/short", "MpscRing, claim/commit"},
                {"mpsc/32/ringfork-batch/short", "MpscRing, batch claims"}, {"mpsc/32/agrona/short", "ManyToOneRingBuffer"},
                {"mpmc/32/ringfork/short", "MpmcRing"}}) {
            Double value = values.get("peers/" + bar[0]);
            if (value != null) {
                labels.add(bar[1]);
                boolean isAgrona = bar[0].contains("agrona");
                ringfork.add(isAgrona ? null : value);
                agrona.add(isAgrona ? value : null);
            }
        }
        chart.getStyler().setOverlapped(true);
        List<Color> colors = new ArrayList<>();
        if (addSeries(chart, "Ringfork", labels, ringfork)) {
            colors.add(RINGFORK);
        }
        if (addSeries(chart, "Agrona", labels, agrona)) {
            colors.add(AGRONA);
        }
        return finish(chart, colors, false);
    }

    private static CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        CategoryStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLabelsVisible(true);
        styler.setLabelsPosition(0.98);
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.DARK_GRAY);
        styler.setLabelsFont(styler.getLabelsFont().deriveFont(10f));
        styler.setLocale(Locale.ROOT);
        return chart;
    }

    /**
     * Adds a series unless it has no value at all; missing values are drawn as gaps. Values are rounded to
     * three significant digits, which is all the bar labels need.
     */
    private static boolean addSeries(CategoryChart chart, String name, List<String> xs, List<Double> ys) {
        if (xs.isEmpty() || ys.stream().allMatch(Objects::isNull)) {
            return false;
        }
        List<Double> rounded = ys.stream().map(y -> y == null ? null : new BigDecimal(y).round(new MathContext(3)).doubleValue()).toList();
        chart.addSeries(name, xs, rounded);
        return true;
    }

    /**
     * Colours the series; on a log scale, the axis runs from the decade below the smallest value to the one
     * above the largest (XChart's bars would otherwise start at 0, which a log scale cannot show).
     */
    private static Optional<CategoryChart> finish(CategoryChart chart, List<Color> colors, boolean log) {
        if (colors.isEmpty()) {
            return Optional.empty();
        }
        CategoryStyler styler = chart.getStyler();
        styler.setSeriesColors(colors.toArray(Color[]::new));
        if (!log) {
            styler.setyAxisTickLabelsFormattingFunction(Charts::human);
        } else {
            List<Double> ys = chart.getSeriesMap().values().stream().flatMap(s -> s.getYData().stream())
                    .filter(Objects::nonNull).map(Number::doubleValue).toList();
            double min = ys.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = ys.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            // XChart's log scale keeps its own decade ticks only without a formatting function.
            styler.setYAxisLogarithmic(true);
            styler.setYAxisDecimalPattern("#,##0.##");
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max) + 0.05)));
        }
        return Optional.of(chart);
    }

    /** 12,345,678 -> "12.3M": the axis ticks and bar labels of every chart. */
    static String human(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        } else if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        } else if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, Math.abs(v) >= 100 || v == Math.rint(v) ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
