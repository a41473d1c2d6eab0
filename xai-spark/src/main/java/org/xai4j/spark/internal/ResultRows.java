package org.xai4j.spark.internal;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.ArraySeq;

import java.util.Iterator;
import java.util.List;

/**
 * The rows the partition function emits, of three kinds in one schema (Spark writes them to three tables): an
 * explained image, an image that could not be read or explained, and the running sums of one class over a partition.
 */
public final class ResultRows {

    /** An explained image: the columns from {@code path} to {@code attributionFile}. */
    public static final int EXPLAINED = 0;
    /** An image that failed: {@code path} and {@code message}. */
    public static final int ERROR = 1;
    /** A class's sums over one partition: the columns from {@code classIndex} on. */
    public static final int CLASS_TOTALS = 2;

    /** The columns of the explanations table, in order. */
    public static final List<String> EXPLANATION_COLUMNS = List.of("path", "label", "predicted", "predictedLabel",
            "probability", "target", "method", "layer", "convergenceDelta", "spikes", "topNeurons", "relevanceMass",
            "pointingHit", "attributionFile");

    /** The schema of every emitted row. */
    public static final StructType SCHEMA = new StructType()
            .add("kind", DataTypes.IntegerType, false)
            .add("path", DataTypes.StringType, true)
            .add("message", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true)
            .add("predicted", DataTypes.IntegerType, true)
            .add("predictedLabel", DataTypes.StringType, true)
            .add("probability", DataTypes.DoubleType, true)
            .add("target", DataTypes.IntegerType, true)
            .add("method", DataTypes.StringType, true)
            .add("layer", DataTypes.StringType, true)
            .add("convergenceDelta", DataTypes.DoubleType, true)
            .add("spikes", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
            .add("topNeurons", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
            .add("relevanceMass", DataTypes.DoubleType, true)
            .add("pointingHit", DataTypes.BooleanType, true)
            .add("attributionFile", DataTypes.StringType, true)
            .add("classIndex", DataTypes.IntegerType, true)
            .add("images", DataTypes.LongType, true)
            .add("labelled", DataTypes.LongType, true)
            .add("correct", DataTypes.LongType, true)
            .add("masked", DataTypes.LongType, true)
            .add("hits", DataTypes.LongType, true)
            .add("relevanceMassSum", DataTypes.DoubleType, true)
            .add("spikeSums", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
            .add("mapSums", DataTypes.createArrayType(DataTypes.DoubleType, false), true);

    /** The schema of the per-class aggregates table. */
    public static final StructType AGGREGATE_SCHEMA = new StructType()
            .add("class", DataTypes.IntegerType, false)
            .add("classLabel", DataTypes.StringType, true)
            .add("images", DataTypes.LongType, false)
            .add("labelled", DataTypes.LongType, false)
            .add("correct", DataTypes.LongType, false)
            .add("accuracy", DataTypes.DoubleType, true)
            .add("masked", DataTypes.LongType, false)
            .add("meanRelevanceMass", DataTypes.DoubleType, true)
            .add("pointingAccuracy", DataTypes.DoubleType, true)
            .add("meanSpikes", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("meanAttribution", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("height", DataTypes.IntegerType, false)
            .add("width", DataTypes.IntegerType, false);

    private static final int WIDTH = SCHEMA.size();

    private ResultRows() { }

    /** What one explained image produced; {@code null} marks an absent value. */
    record Explained(String path, Integer label, int predicted, String predictedLabel, double probability, int target,
                     String method, String layer, Double convergenceDelta, double[] spikes, int[] topNeurons,
                     Double relevanceMass, Boolean pointingHit, String attributionFile) { }

    static Row explained(Explained e) {
        Object[] v = new Object[WIDTH];
        v[0] = EXPLAINED;
        v[1] = e.path();
        v[3] = e.label();
        v[4] = e.predicted();
        v[5] = e.predictedLabel();
        v[6] = e.probability();
        v[7] = e.target();
        v[8] = e.method();
        v[9] = e.layer();
        v[10] = e.convergenceDelta();
        v[11] = boxed(e.spikes());
        v[12] = ArraySeq.unsafeWrapArray(e.topNeurons().clone());
        v[13] = e.relevanceMass();
        v[14] = e.pointingHit();
        v[15] = e.attributionFile();
        return RowFactory.create(v);
    }

    static Row error(String path, String message) {
        Object[] v = new Object[WIDTH];
        v[0] = ERROR;
        v[1] = path;
        v[2] = message;
        return RowFactory.create(v);
    }

    static Row totals(ClassTotals t) {
        Object[] v = new Object[WIDTH];
        v[0] = CLASS_TOTALS;
        v[16] = t.classIndex;
        v[17] = t.images;
        v[18] = t.labelled;
        v[19] = t.correct;
        v[20] = t.masked;
        v[21] = t.hits;
        v[22] = t.relevanceMassSum;
        v[23] = boxed(t.spikeSums);
        v[24] = boxed(t.mapSums);
        return RowFactory.create(v);
    }

    /**
     * The class sums a {@link #CLASS_TOTALS} row holds.
     *
     * @param row a row of {@link #SCHEMA} of kind {@link #CLASS_TOTALS}
     * @return the sums
     */
    public static ClassTotals totalsOf(Row row) {
        return new ClassTotals(row.getInt(16), row.getLong(17), row.getLong(18), row.getLong(19), row.getLong(20),
                row.getLong(21), row.getDouble(22), unboxed(row.getList(23)), unboxed(row.getList(24)));
    }

    /**
     * The aggregate row of a class: counts, accuracy over its labelled images, localization over its masked images,
     * and the means of the spike totals and of the pixel-space maps.
     *
     * @param t          the class's sums over the whole dataset
     * @param classLabel the class's label
     * @param height     the map height
     * @param width      the map width
     * @return a row of {@link #AGGREGATE_SCHEMA}
     */
    public static Row aggregate(ClassTotals t, String classLabel, int height, int width) {
        double[] spikes = t.spikeSums.clone();
        for (int i = 0; i < spikes.length; i++) {
            spikes[i] /= t.images;
        }
        double[] map = t.mapSums.clone();
        for (int i = 0; i < map.length; i++) {
            map[i] /= t.images;
        }
        return RowFactory.create(t.classIndex, classLabel, t.images, t.labelled, t.correct,
                t.labelled == 0 ? null : (double) t.correct / t.labelled, t.masked,
                t.masked == 0 ? null : t.relevanceMassSum / t.masked, t.masked == 0 ? null : (double) t.hits / t.masked,
                boxed(spikes), boxed(map), height, width);
    }

    /**
     * Sorts totals by class.
     *
     * @param totals some totals
     * @return them in class order
     */
    public static Iterator<ClassTotals> sortedByClass(Iterator<ClassTotals> totals) {
        List<ClassTotals> all = new java.util.ArrayList<>();
        totals.forEachRemaining(all::add);
        all.sort(java.util.Comparator.comparingInt(ClassTotals::classIndex));
        return all.iterator();
    }

    /** Spark's row encoder takes Scala sequences for array columns. */
    private static ArraySeq<Object> boxed(double[] values) {
        return ArraySeq.unsafeWrapArray(values.clone());
    }

    private static double[] unboxed(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
