package org.xai4j.spark.internal;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Explains one partition of image rows ({@code ImageDataset}'s normalized columns: path, content, labelIndex,
 * labelName, maskPath, maskValues) in batches on this JVM's copy of the model, and emits rows of
 * {@link ResultRows#SCHEMA}: one per image (explained, or an error with its message) and, at the end, the
 * partition's sums per class and its count of errors (as the images of class -1). An image that cannot be read, or whose label or mask is bad, is an error row; a batch
 * that fails is retried image by image so that only the images that fail alone become errors.
 */
public final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionExplainer.class);

    private final JobSettings job;

    /**
     * A partition function for a job.
     *
     * @param job the job's settings
     */
    public PartitionExplainer(JobSettings job) {
        this.job = job;
    }

    @Override public Iterator<Row> call(Iterator<Row> input) throws Exception {
        return new Results(input, new BatchExplainer(ExecutorModels.get(job.model()), job));
    }

    /** Pulls a batch of input rows whenever its output runs dry; the class sums come last. */
    private final class Results implements Iterator<Row> {
        private final Iterator<Row> input;
        private final BatchExplainer explainer;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private boolean totalsEmitted;
        private long errors;

        Results(Iterator<Row> input, BatchExplainer explainer) {
            this.input = input;
            this.explainer = explainer;
        }

        @Override public boolean hasNext() {
            while (ready.isEmpty()) {
                if (input.hasNext()) {
                    nextBatch();
                } else if (!totalsEmitted) {
                    explainer.totals().forEach(t -> ready.add(ResultRows.totals(t)));
                    if (errors > 0) {
                        ready.add(ResultRows.totals(ClassTotals.errors(errors)));
                    }
                    totalsEmitted = true;
                } else {
                    return false;
                }
            }
            return true;
        }

        @Override public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void nextBatch() {
            List<BatchExplainer.Item> batch = new ArrayList<>(job.batchSize());
            while (batch.size() < job.batchSize() && input.hasNext()) {
                Row row = input.next();
                String path = row.getString(0);
                try {
                    batch.add(prepare(row, path));
                } catch (IOException | RuntimeException e) {
                    error(path, message(e));
                }
            }
            if (!batch.isEmpty()) {
                explain(batch);
            }
        }

        private void error(String path, String message) {
            ready.add(ResultRows.error(path, message));
            errors++;
        }

        private BatchExplainer.Item prepare(Row row, String path) throws IOException {
            byte[] bytes = row.isNullAt(1) ? job.io().read(path, HadoopFiles.MAX_IMAGE_BYTES) : (byte[]) row.get(1);
            Integer labelIndex = row.isNullAt(2) ? null : row.getInt(2);
            String labelName = row.isNullAt(3) ? null : row.getString(3);
            String maskPath = row.isNullAt(4) ? null : row.getString(4);
            byte[] maskImage = null;
            if (maskPath != null) {
                try {
                    maskImage = job.io().read(maskPath, HadoopFiles.MAX_IMAGE_BYTES);
                } catch (IOException e) {
                    throw new IOException("cannot read mask " + maskPath + ": " + message(e), e);
                }
            }
            double[] maskValues = null;
            if (!row.isNullAt(5)) {
                List<Double> values = row.getList(5);
                maskValues = new double[values.size()];
                for (int i = 0; i < maskValues.length; i++) {
                    Double v = values.get(i);
                    if (v == null) {
                        throw new IllegalArgumentException("mask value " + i + " is null; expected a number");
                    }
                    maskValues[i] = v;
                }
            }
            return explainer.prepare(path, bytes, labelIndex, labelName, maskImage, maskPath, maskValues);
        }

        private void explain(List<BatchExplainer.Item> batch) {
            try {
                explainer.explain(batch).forEach(r -> ready.add(ResultRows.explained(r)));
            } catch (IOException | RuntimeException e) {
                if (batch.size() == 1) {
                    error(batch.get(0).path(), "explaining failed: " + message(e));
                    return;
                }
                LOG.warn("a batch of {} images failed ({}); explaining them one by one", batch.size(), message(e));
                for (BatchExplainer.Item item : batch) {
                    explain(List.of(item));
                }
            }
        }
    }

    /** One line naming what failed. */
    static String message(Throwable e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
