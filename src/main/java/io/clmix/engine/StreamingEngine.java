package io.clmix.engine;

import io.clmix.data.Dataset;

/**
 * An engine that can also work on data larger than its device memory, by streaming row chunks
 * through the device (double-buffered transfers) instead of keeping them resident.
 *
 * <p>A streaming session gives the same results as a resident one, only slower, so
 * {@link FallbackEngine} tries it first when a device runs out of memory
 * ({@link EngineException.Kind#ALLOCATION}) before giving the work to the Java engine.
 */
public interface StreamingEngine extends Engine {

  /**
   * Opens a session that streams {@code data} through the device rather than uploading it once.
   *
   * @throws EngineException when even streaming cannot run (too little memory for one chunk)
   */
  DataSession openStreaming(Dataset data);
}
