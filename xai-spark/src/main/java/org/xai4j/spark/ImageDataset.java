package org.xai4j.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;

/**
 * The images a {@link DatasetExplainer} explains: the files of a folder or glob, read with Spark's {@code binaryFile}
 * source, or a table with one row per image.
 *
 * <p>A table has a string column {@value #PATH} (a local path or any Hadoop URI, read by the executors) and optionally:
 * <ul>
 *   <li>{@value #LABEL}: the true class, an integer class index or a string label of the model's labels;</li>
 *   <li>{@value #MASK}: the ground-truth region for localization scores, either the path of a mask image (read and
 *       resized exactly as the image is, a pixel is inside where the mean of its channels exceeds 0.5), or an array
 *       of {@code height * width} numbers (or {@code height} arrays of {@code width}) at the model's input size, where
 *       a value above 0.5 is inside;</li>
 *   <li>{@value #CONTENT}: the image bytes, when already read (e.g. a {@code binaryFile} read joined with labels).</li>
 * </ul>
 * Null labels and masks are allowed row by row.
 */
public final class ImageDataset {

    /** The column of image paths. */
    public static final String PATH = "path";
    /** The optional column of true classes. */
    public static final String LABEL = "label";
    /** The optional column of masks. */
    public static final String MASK = "mask";
    /** The optional column of image bytes. */
    public static final String CONTENT = "content";

    private final String files;
    private final String fileFilter;
    private final Dataset<Row> table;

    private ImageDataset(String files, String fileFilter, Dataset<Row> table) {
        this.files = files;
        this.fileFilter = fileFilter;
        this.table = table;
    }

    /**
     * Every file under a folder (recursively) or matching a glob, e.g. {@code hdfs:///data/faces} or
     * {@code /data/faces/*.png}; files that are not images end up in the errors table.
     *
     * @param pathOrGlob a folder, file or glob, local or any Hadoop URI
     * @return the dataset
     */
    public static ImageDataset files(String pathOrGlob) {
        return files(pathOrGlob, null);
    }

    /**
     * The files under a folder or glob whose names match a glob, e.g. {@code files("/data", "*.{png,jpg}")}.
     *
     * @param pathOrGlob a folder, file or glob
     * @param fileNameGlob a glob on file names (Spark's {@code pathGlobFilter}), or null for every file
     * @return the dataset
     */
    public static ImageDataset files(String pathOrGlob, String fileNameGlob) {
        Objects.requireNonNull(pathOrGlob, "path must not be null");
        if (pathOrGlob.isBlank()) {
            throw new IllegalArgumentException("path must not be blank");
        }
        return new ImageDataset(pathOrGlob, fileNameGlob, null);
    }

    /**
     * A table of images, as the class comment describes.
     *
     * @param table rows with a string column {@value #PATH} and optional {@value #LABEL}, {@value #MASK},
     *              {@value #CONTENT} columns
     * @return the dataset
     * @throws IllegalArgumentException if a column is missing or of a type not described above
     */
    public static ImageDataset table(Dataset<Row> table) {
        Objects.requireNonNull(table, "table must not be null");
        normalize(table);
        return new ImageDataset(null, null, table);
    }

    /**
     * Reads a table from a CSV file with a header line (columns {@value #PATH}, optionally {@value #LABEL} and
     * {@value #MASK} as a mask image path) or a Parquet file or folder.
     *
     * @param spark the session
     * @param file  a {@code .csv} file, or anything else read as Parquet
     * @return the dataset
     */
    public static ImageDataset table(SparkSession spark, String file) {
        Objects.requireNonNull(spark, "spark must not be null");
        Objects.requireNonNull(file, "file must not be null");
        Dataset<Row> t = file.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                ? spark.read().option("header", "true").option("inferSchema", "true").csv(file)
                : spark.read().parquet(file);
        return table(t);
    }

    /**
     * The images as rows of the columns the partitions read, in this order: {@code path} (string), {@code content}
     * (binary or null), {@code labelIndex} (int or null), {@code labelName} (string or null), {@code maskPath} (string or
     * null), {@code maskValues} (array of double or null).
     *
     * @param spark the session
     * @return the rows
     */
    Dataset<Row> rows(SparkSession spark) {
        if (table != null) {
            return normalize(table);
        }
        var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        if (fileFilter != null) {
            reader = reader.option("pathGlobFilter", fileFilter);
        }
        return reader.load(files).select(col("path"), col("content"),
                lit(null).cast(DataTypes.IntegerType).as("labelIndex"), lit(null).cast(DataTypes.StringType).as("labelName"),
                lit(null).cast(DataTypes.StringType).as("maskPath"),
                lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType)).as("maskValues"));
    }

    private static Dataset<Row> normalize(Dataset<Row> t) {
        StructType schema = t.schema();
        StructField path = field(schema, PATH);
        if (path == null || path.dataType() != DataTypes.StringType) {
            throw new IllegalArgumentException("an image table needs a string column '" + PATH + "'; got columns "
                    + Arrays.toString(schema.fieldNames()) + " (" + schema.simpleString() + ")");
        }
        StructField content = field(schema, CONTENT);
        if (content != null && content.dataType() != DataTypes.BinaryType) {
            throw new IllegalArgumentException("column '" + CONTENT + "' must be binary (image bytes), got "
                    + content.dataType().simpleString());
        }
        Column labelIndex = lit(null).cast(DataTypes.IntegerType);
        Column labelName = lit(null).cast(DataTypes.StringType);
        StructField label = field(schema, LABEL);
        if (label != null) {
            if (label.dataType() == DataTypes.StringType) {
                labelName = col(LABEL);
            } else if (isIntegral(label.dataType())) {
                labelIndex = col(LABEL).cast(DataTypes.IntegerType);
            } else {
                throw new IllegalArgumentException("column '" + LABEL + "' must be an integer class index or a string "
                        + "label, got " + label.dataType().simpleString());
            }
        }
        Column maskPath = lit(null).cast(DataTypes.StringType);
        Column maskValues = lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType));
        StructField mask = field(schema, MASK);
        if (mask != null) {
            DataType type = mask.dataType();
            if (type == DataTypes.StringType) {
                maskPath = col(MASK);
            } else if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
                maskValues = col(MASK).cast(DataTypes.createArrayType(DataTypes.DoubleType));
            } else if (type instanceof ArrayType a && a.elementType() instanceof ArrayType inner
                    && inner.elementType() instanceof NumericType) {
                maskValues = flatten(col(MASK)).cast(DataTypes.createArrayType(DataTypes.DoubleType));
            } else {
                throw new IllegalArgumentException("column '" + MASK + "' must be a mask image path (string), an array "
                        + "of height * width numbers or an array of arrays, got " + type.simpleString());
            }
        }
        Column bytes = content != null ? col(CONTENT) : lit(null).cast(DataTypes.BinaryType);
        return t.select(col(PATH), bytes.as(CONTENT), labelIndex.as("labelIndex"), labelName.as("labelName"),
                maskPath.as("maskPath"), maskValues.as("maskValues"));
    }

    private static boolean isIntegral(DataType type) {
        return type == DataTypes.IntegerType || type == DataTypes.LongType || type == DataTypes.ShortType
                || type == DataTypes.ByteType;
    }

    private static StructField field(StructType schema, String name) {
        return Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    @Override public String toString() {
        return table != null ? "ImageDataset[table " + table.schema().simpleString() + "]"
                : "ImageDataset[files " + files + (fileFilter == null ? "" : ", names " + fileFilter) + "]";
    }
}
