/**
 * The HTTP edge: the only package that sees Vert.x web and the wire. {@link dev.sseproxy.api.S3Router}
 * takes every S3 request, {@link dev.sseproxy.api.RequestAuthenticator} checks its SigV4 signature,
 * {@link dev.sseproxy.api.Dispatcher} finds the operation for the method and subresource (a table lookup),
 * and one {@code …Operation} / {@code …Operations} class per S3 operation family reads the request,
 * calls the services below and writes the answer ({@link dev.sseproxy.api.ErrorResponder} renders every
 * failure as the S3 error document). The management port's routes live here too:
 * {@link dev.sseproxy.api.AdminRoutes}, {@link dev.sseproxy.api.CoverageRoutes},
 * {@link dev.sseproxy.api.InventoryAdminRoutes}, {@link dev.sseproxy.api.InternalWritesRoutes} and the
 * JSON APIs of the subpackages ({@code api.aws}, {@code api.kms}, {@code api.cloudtrail}); the S3 XML
 * documents are in {@code api.xml}.
 *
 * <p><b>Dependencies.</b> {@code api} may depend on every other package; nothing outside {@code api}
 * depends on it ({@code ArchitectureTest.nothingImportsApi}), and only {@code api} imports JAX-RS or
 * Vert.x web types ({@code ArchitectureTest.onlyApiUsesVertxWebOrJaxRs}).
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.api;
