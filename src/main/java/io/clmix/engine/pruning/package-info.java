/**
 * Exact pruning of the Lloyd pass with Hamerly's bounds, shared by the engines: which points
 * certainly keep their label, so that the full nearest-centre search can skip them without
 * changing a single bit of the pass's results.
 *
 * <ul>
 *   <li>{@link io.clmix.engine.pruning.Pruning}: the switch ({@code -Dclmix.pruning=false});
 *   <li>{@link io.clmix.engine.pruning.ScoreMargin}: how far the float32 search can be from exact
 *       arithmetic, from the number of columns alone;
 *   <li>{@link io.clmix.engine.pruning.CentreMotion}: per pass, how far each centre moved and how
 *       far apart the centres are;
 *   <li>{@link io.clmix.engine.pruning.BoundTest}: the per-point test and the bound left for the
 *       next pass.
 * </ul>
 *
 * <p>See {@code docs/math.md#exact-pruning} for the argument in one place.
 */
package io.clmix.engine.pruning;
