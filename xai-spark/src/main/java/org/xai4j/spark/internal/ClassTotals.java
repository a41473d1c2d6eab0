package org.xai4j.spark.internal;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Running sums of one class over some images: counts, spike totals per neuron, the pixel-space map and localization
 * scores. Partitions sum their images; the job adds the partitions' sums per class.
 */
public final class ClassTotals implements Serializable {

    private static final long serialVersionUID = 1L;

    final int classIndex;
    long images;
    long labelled;
    long correct;
    long masked;
    long hits;
    double relevanceMassSum;
    final double[] spikeSums;
    final double[] mapSums;

    ClassTotals(int classIndex, int neurons, int pixels) {
        this.classIndex = classIndex;
        this.spikeSums = new double[neurons];
        this.mapSums = new double[pixels];
    }

    ClassTotals(int classIndex, long images, long labelled, long correct, long masked, long hits,
                double relevanceMassSum, double[] spikeSums, double[] mapSums) {
        this.classIndex = classIndex;
        this.images = images;
        this.labelled = labelled;
        this.correct = correct;
        this.masked = masked;
        this.hits = hits;
        this.relevanceMassSum = relevanceMassSum;
        this.spikeSums = spikeSums;
        this.mapSums = mapSums;
    }

    /**
     * The count of images that failed, carried as the images of class -1.
     *
     * @param errors the count
     * @return the totals
     */
    static ClassTotals errors(long errors) {
        return new ClassTotals(-1, errors, 0, 0, 0, 0, 0, new double[0], new double[0]);
    }

    /**
     * The class.
     *
     * @return the class index
     */
    public int classIndex() {
        return classIndex;
    }

    /**
     * Images of the class.
     *
     * @return the count
     */
    public long images() {
        return images;
    }

    /**
     * Images of the class that have a label.
     *
     * @return the count
     */
    public long labelled() {
        return labelled;
    }

    /**
     * Labelled images predicted as their label.
     *
     * @return the count
     */
    public long correct() {
        return correct;
    }

    void add(double[] spikes, double[] map) {
        images++;
        for (int i = 0; i < spikes.length; i++) {
            spikeSums[i] += spikes[i];
        }
        for (int i = 0; i < map.length; i++) {
            mapSums[i] += map[i];
        }
    }

    /**
     * The sums of two disjoint sets of images of the same class.
     *
     * @param other the other sums
     * @return a new object
     */
    public ClassTotals plus(ClassTotals other) {
        if (other.classIndex != classIndex || other.spikeSums.length != spikeSums.length
                || other.mapSums.length != mapSums.length) {
            throw new IllegalArgumentException("cannot add the totals of class " + other.classIndex + " to class "
                    + classIndex);
        }
        double[] spikes = spikeSums.clone();
        for (int i = 0; i < spikes.length; i++) {
            spikes[i] += other.spikeSums[i];
        }
        double[] map = mapSums.clone();
        for (int i = 0; i < map.length; i++) {
            map[i] += other.mapSums[i];
        }
        return new ClassTotals(classIndex, images + other.images, labelled + other.labelled, correct + other.correct,
                masked + other.masked, hits + other.hits, relevanceMassSum + other.relevanceMassSum, spikes, map);
    }

    @Override public String toString() {
        return "ClassTotals[class=" + classIndex + ", images=" + images + ", labelled=" + labelled + ", correct="
                + correct + ", masked=" + masked + ", neurons=" + spikeSums.length + ", pixels=" + mapSums.length + "]";
    }

    @Override public boolean equals(Object o) {
        return o instanceof ClassTotals t && t.classIndex == classIndex && t.images == images && t.labelled == labelled
                && t.correct == correct && t.masked == masked && t.hits == hits
                && Double.compare(t.relevanceMassSum, relevanceMassSum) == 0 && Arrays.equals(t.spikeSums, spikeSums)
                && Arrays.equals(t.mapSums, mapSums);
    }

    @Override public int hashCode() {
        return Integer.hashCode(classIndex) * 31 + Long.hashCode(images);
    }
}
