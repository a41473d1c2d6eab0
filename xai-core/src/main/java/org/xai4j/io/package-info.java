/**
 * Reading and writing arrays in file formats other tools read (NumPy's {@code .npy}), and result folders that appear
 * all at once ({@link org.xai4j.io.OutputFolder}).
 */
package org.xai4j.io;
