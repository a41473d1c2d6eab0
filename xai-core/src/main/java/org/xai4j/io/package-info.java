/**
 * Reading and writing arrays in file formats other tools read: NumPy's {@code .npy}.
 */
package org.xai4j.io;
