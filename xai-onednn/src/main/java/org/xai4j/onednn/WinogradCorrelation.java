package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.bytedeco.dnnl.global.dnnl.*;
import static org.xai4j.onednn.OneDnnRuntime.ALLOCATE;
import static org.xai4j.onednn.OneDnnRuntime.addScratchpad;
import static org.xai4j.onednn.OneDnnRuntime.address;
import static org.xai4j.onednn.OneDnnRuntime.arguments;
import static org.xai4j.onednn.OneDnnRuntime.check;
import static org.xai4j.onednn.OneDnnRuntime.descriptor;
import static org.xai4j.onednn.OneDnnRuntime.memory;

/**
 * A 3x3, stride-1 cross-correlation (what deep-learning frameworks call a convolution) of channels-last float32
 * images, computed with Winograd's minimal filtering algorithm F(4x4, 3x3): A. Lavin and S. Gray, "Fast Algorithms for
 * Convolutional Neural Networks", CVPR 2016 (arXiv:1509.09308).
 *
 * <p>Each 4x4 block of outputs (a tile) is computed from the 6x6 block of inputs around it. After the input transform
 * {@code V = B^T d B} of every 6x6 block and the weight transform {@code U = G g G^T} of every 3x3 kernel, the 36
 * positions of a tile are independent: position {@code p} of all tiles is one matrix product
 * {@code M[p] = V[p] x U[p]} of {@code [tiles, in] x [in, out]}, and the output transform {@code Y = A^T M A} folds a
 * tile's 36 products back into its 16 outputs. That is 36 multiply-accumulates per tile and channel pair where direct
 * convolution needs 16 x 9 = 144: a fourth of the arithmetic, at the price of the transforms, which cost memory
 * traffic proportional to the channels rather than to their product. So it pays for layers with many channels.
 *
 * <p>The stages: the input transform (Java) writes {@code V[36][tiles][in]}; one batched oneDNN matmul primitive
 * computes {@code M[36][tiles][out]}; the output transform (Java) writes the outputs and adds the bias. Tiles run in
 * chunks ({@link #chunkTiles}) so that V and M stay within {@link #CHUNK_BYTES} at any batch size; their buffers are
 * ND4J arrays in the caller's memory workspace, like every other scratch array of a pass. The transforms of a chunk are
 * split across {@link #THREADS} threads of the common fork-join pool and the calling thread.
 *
 * <p>Accuracy: the weight transform runs in double precision; the transforms' coefficients (up to 8) add rounding, so
 * outputs differ from direct convolution by about 1e-6 of their norm (measured on VGG16's shapes, see the tests).
 */
final class WinogradCorrelation implements AutoCloseable {

    /** Positions per tile (6 x 6) and outputs per tile side. */
    static final int POSITIONS = 36;
    static final int TILE = 4;
    /** The budget for one chunk's transformed input and matmul output, in bytes: small enough for a cache level. */
    static final long CHUNK_BYTES = 32L << 20;
    /** Threads for the transforms: the processors, or fewer when {@code OMP_NUM_THREADS} asks oneDNN for fewer. */
    static final int THREADS = threads();

    /** {@code G} of F(4x4, 3x3), exactly as in Lavin and Gray's paper. */
    private static final double[][] G = {
            {1.0 / 4, 0, 0},
            {-1.0 / 6, -1.0 / 6, -1.0 / 6},
            {-1.0 / 6, 1.0 / 6, -1.0 / 6},
            {1.0 / 24, 1.0 / 12, 1.0 / 6},
            {1.0 / 24, -1.0 / 12, 1.0 / 6},
            {0, 0, 1}};

    final int inHeight, inWidth, in, outHeight, outWidth, out;
    private final int padTop, padLeft;
    final int tilesY, tilesX;
    /** A band is the six input rows under one row of tiles, with zero columns for the padding around them. */
    private final int bandWidth;
    private final float[] bias;
    private final long chunkBytes;
    private final dnnl_memory_desc weightsDescriptor;
    private final dnnl_memory weights;

    /**
     * @param kernels {@code [3][3][in][out]}, flattened in that order (hwio): the correlation's weights
     * @param bias {@code out} values added to every output, or null
     * @param chunkBytes the budget for a chunk's V and M ({@link #CHUNK_BYTES}; tests pass less to get many chunks)
     */
    WinogradCorrelation(int inHeight, int inWidth, int in, int outHeight, int outWidth, int out, int padTop,
                        int padLeft, float[] kernels, float[] bias, long chunkBytes) {
        int padBottom = outHeight + 2 - inHeight - padTop;
        int padRight = outWidth + 2 - inWidth - padLeft;
        for (int pad : new int[] {padTop, padLeft, padBottom, padRight}) {
            if (pad < 0 || pad > 2) {
                throw new IllegalArgumentException("Winograd correlation " + inHeight + "x" + inWidth + " -> "
                        + outHeight + "x" + outWidth + " with padding " + padTop + "," + padLeft + "," + padBottom
                        + "," + padRight + ": expected a 3x3 stride-1 layer with padding 0 to 2 on each side");
            }
        }
        if (kernels.length != 9L * in * out || (bias != null && bias.length != out)) {
            throw new IllegalArgumentException("Winograd correlation weights of " + kernels.length + " values and bias"
                    + " of " + (bias == null ? 0 : bias.length) + ": expected " + 9L * in * out + " and " + out);
        }
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.in = in;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.out = out;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.tilesY = (outHeight + TILE - 1) / TILE;
        this.tilesX = (outWidth + TILE - 1) / TILE;
        this.bandWidth = tilesX * TILE + 2;
        this.bias = bias == null ? null : bias.clone();
        this.chunkBytes = chunkBytes;
        weightsDescriptor = descriptor(dnnl_abc, POSITIONS, in, out);
        weights = memory(weightsDescriptor, ALLOCATE);
        transformWeights(kernels, floats(address(weights), (long) POSITIONS * in * out));
    }

    private static int threads() {
        int threads = Runtime.getRuntime().availableProcessors();
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && omp.trim().matches("[1-9][0-9]*")) {
            threads = Math.min(threads, Integer.parseInt(omp.trim()));
        }
        return Math.max(1, threads);
    }

    /** {@code U[a*6+b][i][o] = (G g G^T)[a][b]} for the 3x3 kernel {@code g} of each channel pair, in double. */
    private void transformWeights(float[] w, FloatBuffer target) {
        float[] row = new float[out];
        double[] gg = new double[9];
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                for (int r = 0; r < 3; r++) {
                    for (int s = 0; s < 3; s++) {
                        gg[r * 3 + s] = G[a][r] * G[b][s];
                    }
                }
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        double sum = 0;
                        for (int k = 0; k < 9; k++) {
                            sum += gg[k] * w[(k * in + i) * out + o];
                        }
                        row[o] = (float) sum;
                    }
                    target.put(((a * 6 + b) * in + i) * out, row, 0, out);
                }
            }
        }
    }

    /** A float view of native memory, for bulk copies between it and Java arrays. */
    static FloatBuffer floats(long address, long count) {
        return new FloatPointer(new OneDnnRuntime.Address(address)).capacity(count).asBuffer();
    }

    private static long address(dnnl_memory memory) {
        Pointer handle = new Pointer();
        check(dnnl_memory_get_data_handle(memory, handle), "reading a buffer address");
        return handle.address();
    }

    /** Tiles per chunk: as many as fit the chunk budget, at least 16 (fewer make the matrix products inefficient). */
    int chunkTiles() {
        long perTile = (long) POSITIONS * (in + out) * Float.BYTES;
        return (int) Math.max(16, chunkBytes / perTile);
    }

    long tiles(long n) {
        return n * tilesY * tilesX;
    }

    /**
     * Computes {@code output = input (*) kernels + bias} for a batch: {@code input} {@code [n, inHeight, inWidth, in]}
     * and {@code output} {@code [n, outHeight, outWidth, out]}, both dense; {@code full} runs chunks of
     * {@link #chunkTiles} tiles and {@code last} the remainder (the same object when there is none).
     */
    void run(INDArray input, INDArray output, Matmul full, Matmul last, dnnl_stream stream) {
        long n = input.size(0);
        FloatBuffer[] inputs = images(input, n, (long) inHeight * inWidth * in);
        FloatBuffer[] outputs = images(output, n, (long) outHeight * outWidth * out);
        long tiles = tiles(n);
        int perChunk = full.tiles;
        INDArray v = Nd4j.createUninitialized(DataType.FLOAT, (long) POSITIONS * perChunk * in);
        INDArray m = Nd4j.createUninitialized(DataType.FLOAT, (long) POSITIONS * perChunk * out);
        for (long first = 0; first < tiles; first += perChunk) {
            Matmul matmul = tiles - first >= perChunk ? full : last;
            int count = matmul.tiles;
            FloatBuffer vBuffer = floats(OneDnnRuntime.address(v), (long) POSITIONS * count * in);
            FloatBuffer mBuffer = floats(OneDnnRuntime.address(m), (long) POSITIONS * count * out);
            long start = first;
            parallel(count, (from, to) -> inputTransform(inputs, vBuffer, count, start, from, to));
            matmul.run(v, m, stream);
            parallel(count, (from, to) -> outputTransform(outputs, mBuffer, count, start, from, to));
        }
        // The buffers above are raw views: the arrays must outlive their last use.
        Reference.reachabilityFence(v);
        Reference.reachabilityFence(m);
        Reference.reachabilityFence(input);
        Reference.reachabilityFence(output);
    }

    private static FloatBuffer[] images(INDArray batch, long n, long perImage) {
        FloatBuffer[] images = new FloatBuffer[(int) n];
        long first = OneDnnRuntime.address(batch);
        for (int i = 0; i < n; i++) {
            images[i] = floats(first + i * perImage * Float.BYTES, perImage);
        }
        return images;
    }

    /**
     * Each thread's working arrays for the transforms, kept between calls so that a pass allocates none: they grow to
     * the largest layer a thread has transformed (for VGG16, about 1 MiB) and are only ever read up to the current
     * layer's sizes. The loops run over whole vectors of {@code in} or {@code out} values from index 0, so a longer
     * array is harmless.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        private float[] band = new float[0];
        private float[] zeros = new float[0];
        private final float[][][] vectors = new float[3][0][];

        /** A band of {@code size} values, all zero (its padding columns must be). */
        float[] band(int size) {
            if (band.length < size) {
                band = new float[size];
            } else {
                Arrays.fill(band, 0, size, 0f);
            }
            return band;
        }

        /** Zeros, never written. */
        float[] zeros(int size) {
            if (zeros.length < size) {
                zeros = new float[size];
            }
            return zeros;
        }

        /** Set {@code set}: {@code count} vectors of at least {@code length} values. */
        float[][] vectors(int set, int count, int length) {
            float[][] v = vectors[set];
            if (v.length < count || v[0].length < length) {
                v = new float[Math.max(count, v.length)][Math.max(length, v.length == 0 ? 0 : v[0].length)];
                vectors[set] = v;
            }
            return v;
        }
    }

    /** A range of a chunk's tiles, for one thread. */
    private interface Range {
        void run(int from, int to);
    }

    private static void parallel(int count, Range range) {
        int parts = Math.min(THREADS, Math.max(1, count / 8));
        if (parts == 1) {
            range.run(0, count);
            return;
        }
        IntStream.range(0, parts).parallel().forEach(p -> range.run(
                (int) ((long) count * p / parts), (int) ((long) count * (p + 1) / parts)));
    }

    /**
     * Writes {@code V} for tiles {@code from..to} of a chunk of {@code count} tiles whose first tile is number
     * {@code first} of the batch. A tile's 36 input vectors (one per position, {@code in} channels each) are copied into
     * arrays of their own, so that every transform loop is a single expression over channel {@code c} of whole arrays:
     * the form HotSpot's C2 compiler turns into vector instructions (measured three times faster than one loop writing
     * six outputs). The 36 results go to native memory in bulk.
     */
    private void inputTransform(FloatBuffer[] inputs, FloatBuffer v, int count, long first, int from, int to) {
        Scratch scratch = SCRATCH.get();
        float[] band = scratch.band(6 * bandWidth * in);
        float[][] d = scratch.vectors(0, POSITIONS, in);
        float[][] t = scratch.vectors(1, POSITIONS, in);
        float[][] transformed = scratch.vectors(2, POSITIONS, in);
        long loadedBand = -1;
        int rowStride = bandWidth * in;
        for (int local = from; local < to; local++) {
            long number = first + local;
            long bandNumber = number / tilesX;
            int tx = (int) (number % tilesX);
            if (bandNumber != loadedBand) {
                loadBand(inputs[(int) (bandNumber / tilesY)], band, (int) (bandNumber % tilesY));
                loadedBand = bandNumber;
            }
            for (int r = 0; r < 6; r++) {
                for (int s = 0; s < 6; s++) {
                    System.arraycopy(band, r * rowStride + (tx * TILE + s) * in, d[r * 6 + s], 0, in);
                }
            }
            // t = B^T d: down each column s; then V = t B: along each row a.
            for (int s = 0; s < 6; s++) {
                transformInput(d[s], d[6 + s], d[12 + s], d[18 + s], d[24 + s], d[30 + s],
                        t[s], t[6 + s], t[12 + s], t[18 + s], t[24 + s], t[30 + s], in);
            }
            for (int a = 0; a < 6; a++) {
                int row = a * 6;
                transformInput(t[row], t[row + 1], t[row + 2], t[row + 3], t[row + 4], t[row + 5],
                        transformed[row], transformed[row + 1], transformed[row + 2], transformed[row + 3],
                        transformed[row + 4], transformed[row + 5], in);
            }
            for (int position = 0; position < POSITIONS; position++) {
                v.put((position * count + local) * in, transformed[position], 0, in);
            }
        }
    }

    /** {@code B^T} of F(4x4, 3x3) applied to six vectors: {@code (t0..t5) = B^T (d0..d5)}, element by element. */
    private static void transformInput(float[] d0, float[] d1, float[] d2, float[] d3, float[] d4, float[] d5,
                                       float[] t0, float[] t1, float[] t2, float[] t3, float[] t4, float[] t5,
                                       int n) {
        for (int c = 0; c < n; c++) {
            t0[c] = 4 * d0[c] - 5 * d2[c] + d4[c];
        }
        for (int c = 0; c < n; c++) {
            t1[c] = -4 * (d1[c] + d2[c]) + d3[c] + d4[c];
        }
        for (int c = 0; c < n; c++) {
            t2[c] = 4 * (d1[c] - d2[c]) - d3[c] + d4[c];
        }
        for (int c = 0; c < n; c++) {
            t3[c] = 2 * (d3[c] - d1[c]) - d2[c] + d4[c];
        }
        for (int c = 0; c < n; c++) {
            t4[c] = 2 * (d1[c] - d3[c]) - d2[c] + d4[c];
        }
        for (int c = 0; c < n; c++) {
            t5[c] = 4 * d1[c] - 5 * d3[c] + d5[c];
        }
    }

    /** The six input rows under tile row {@code ty} of one image, zero outside the image. */
    private void loadBand(FloatBuffer image, float[] band, int ty) {
        // Only the image's own columns are ever written, so the padding columns stay zero from allocation.
        int columns = Math.min(inWidth, bandWidth - padLeft);
        for (int r = 0; r < 6; r++) {
            int y = ty * TILE + r - padTop;
            if (y < 0 || y >= inHeight) {
                Arrays.fill(band, r * bandWidth * in, (r + 1) * bandWidth * in, 0f);
            } else {
                image.get(y * inWidth * in, band, (r * bandWidth + padLeft) * in, columns * in);
            }
        }
    }

    /** Folds M of tiles {@code from..to} of a chunk into the outputs, adding the bias; loops as in the input's. */
    private void outputTransform(FloatBuffer[] outputs, FloatBuffer m, int count, long first, int from, int to) {
        Scratch scratch = SCRATCH.get();
        float[][] products = scratch.vectors(0, POSITIONS, out);
        float[][] t = scratch.vectors(1, 4 * 6, out);
        float[][] y = scratch.vectors(2, TILE * TILE, out);
        float[] none = scratch.zeros(out);
        float[] b = bias == null ? none : bias;
        for (int local = from; local < to; local++) {
            for (int position = 0; position < POSITIONS; position++) {
                m.get((position * count + local) * out, products[position], 0, out);
            }
            long number = first + local;
            long bandNumber = number / tilesX;
            FloatBuffer image = outputs[(int) (bandNumber / tilesY)];
            int ty = (int) (bandNumber % tilesY);
            int tx = (int) (number % tilesX);
            // t = A^T M down each column; then Y = t A along each of the four rows, plus the bias.
            for (int col = 0; col < 6; col++) {
                transformOutput(products[col], products[6 + col], products[12 + col], products[18 + col],
                        products[24 + col], products[30 + col], none, t[col], t[6 + col], t[12 + col], t[18 + col],
                        out);
            }
            for (int i = 0; i < TILE; i++) {
                int row = i * 6;
                transformOutput(t[row], t[row + 1], t[row + 2], t[row + 3], t[row + 4], t[row + 5], b,
                        y[i * TILE], y[i * TILE + 1], y[i * TILE + 2], y[i * TILE + 3], out);
            }
            int columns = Math.min(TILE, outWidth - tx * TILE);
            for (int i = 0; i < TILE && ty * TILE + i < outHeight; i++) {
                int offset = ((ty * TILE + i) * outWidth + tx * TILE) * out;
                for (int j = 0; j < columns; j++) {
                    image.put(offset + j * out, y[i * TILE + j], 0, out);
                }
            }
        }
    }

    /** {@code A^T} of F(4x4, 3x3) applied to six vectors, plus {@code b}: {@code (o0..o3) = A^T (m0..m5) + b}. */
    private static void transformOutput(float[] m0, float[] m1, float[] m2, float[] m3, float[] m4, float[] m5,
                                        float[] b, float[] o0, float[] o1, float[] o2, float[] o3, int n) {
        for (int c = 0; c < n; c++) {
            o0[c] = m0[c] + m1[c] + m2[c] + m3[c] + m4[c] + b[c];
        }
        for (int c = 0; c < n; c++) {
            o1[c] = m1[c] - m2[c] + 2 * (m3[c] - m4[c]) + b[c];
        }
        for (int c = 0; c < n; c++) {
            o2[c] = m1[c] + m2[c] + 4 * (m3[c] + m4[c]) + b[c];
        }
        for (int c = 0; c < n; c++) {
            o3[c] = m1[c] - m2[c] + 8 * (m3[c] - m4[c]) + m5[c] + b[c];
        }
    }

    /** The matmul primitive for chunks of {@code tiles} tiles. */
    Matmul matmul(int tiles) {
        return new Matmul(tiles);
    }

    @Override public void close() {
        dnnl_memory_destroy(weights);
        dnnl_memory_desc_destroy(weightsDescriptor);
    }

    /** {@code M[36][tiles][out] = V[36][tiles][in] x U[36][in][out]} as one oneDNN matmul primitive. */
    final class Matmul {
        final int tiles;
        private final dnnl_memory_desc vDescriptor;
        private final dnnl_memory_desc mDescriptor;
        private final dnnl_primitive_desc descriptor = new dnnl_primitive_desc();
        private final dnnl_primitive primitive;
        final String implementation;
        private final dnnl_memory v;
        private final dnnl_memory m;
        private final List<dnnl_memory> scratchpads = new ArrayList<>();
        private final dnnl_exec_arg_t arguments;
        private final int argumentCount;
        private final OneDnnRuntime.Address vAddress = new OneDnnRuntime.Address(0);
        private final OneDnnRuntime.Address mAddress = new OneDnnRuntime.Address(0);

        private Matmul(int tiles) {
            this.tiles = tiles;
            vDescriptor = descriptor(dnnl_abc, POSITIONS, tiles, in);
            mDescriptor = descriptor(dnnl_abc, POSITIONS, tiles, out);
            dnnl_primitive_attr attributes = OneDnnRuntime.userScratchpad();
            try {
                check(dnnl_matmul_primitive_desc_create(descriptor, OneDnnRuntime.engine(), vDescriptor,
                        weightsDescriptor, null, mDescriptor, attributes),
                        "describing the Winograd matmul " + tiles + "x" + in + "x" + out);
            } finally {
                dnnl_primitive_attr_destroy(attributes);
            }
            implementation = OneDnnRuntime.implementation(descriptor);
            primitive = OneDnnRuntime.primitive(descriptor, "Winograd matmul");
            v = memory(vDescriptor, null);
            m = memory(mDescriptor, null);
            List<Integer> keys = new ArrayList<>(List.of(DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST));
            List<dnnl_memory> values = new ArrayList<>(List.of(v, weights, m));
            addScratchpad(descriptor, keys, values, scratchpads);
            argumentCount = keys.size();
            arguments = arguments(keys, values);
        }

        private void run(INDArray vArray, INDArray mArray, dnnl_stream stream) {
            OneDnnRuntime.bind(v, vAddress, vArray, implementation);
            OneDnnRuntime.bind(m, mAddress, mArray, implementation);
            OneDnnRuntime.run(primitive, stream, arguments, argumentCount, implementation);
        }

        void destroy() {
            dnnl_primitive_destroy(primitive);
            dnnl_primitive_desc_destroy(descriptor);
            dnnl_memory_destroy(v);
            dnnl_memory_destroy(m);
            scratchpads.forEach(s -> dnnl_memory_destroy(s));
            dnnl_memory_desc_destroy(vDescriptor);
            dnnl_memory_desc_destroy(mDescriptor);
            arguments.close();
        }
    }
}
