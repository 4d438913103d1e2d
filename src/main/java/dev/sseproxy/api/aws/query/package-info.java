/**
 * The AWS query protocol (IAM, STS) on the S3 port, and its extension point.
 *
 * <h2>Wire format</h2>
 * A request is {@code Action=<Name>&Version=<date>&<parameters>}, form-encoded in a {@code POST} body
 * ({@code Content-Type: application/x-www-form-urlencoded}) or in a {@code GET} query (both are read; a
 * name given twice keeps its first value). It must be SigV4-signed in the {@code Authorization} header
 * with a signed body ({@code api.JsonApiAuthenticator}): scope service {@code iam} in {@code us-east-1}
 * (IAM is global, so the SDKs and the CLI sign it there whatever their region) or {@code sts} in the
 * proxy's region ({@code sse-proxy.region}). Lists are {@code Name.member.N} (N from 1). An answer is
 * <pre>{@code
 * <XxxResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
 *   <XxxResult>…</XxxResult>
 *   <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
 * </XxxResponse>
 * }</pre>
 * (STS: {@code https://sts.amazonaws.com/doc/2011-06-15/}; {@code <XxxResult>} is left out for actions
 * without output), {@code Content-Type: text/xml}, header {@code x-amzn-RequestId}. An error is
 * <pre>{@code
 * <ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
 *   <RequestId>…</RequestId></ErrorResponse>
 * }</pre>
 * with its HTTP status ({@link dev.sseproxy.api.aws.query.QueryException}; {@code Type} is
 * {@code Receiver} for 5xx).
 *
 * <h2>Order</h2>
 * <ol>
 * <li>Parameters are parsed (a malformed percent-escape: 400 {@code MalformedQueryString}).</li>
 * <li>The signature is checked (failures: 403 {@code InvalidClientTokenId} for an unknown access key,
 * 403 {@code SignatureDoesNotMatch}, 400 {@code IncompleteSignature}, 403
 * {@code MissingAuthenticationToken} for an unsigned request, 400 {@code RequestExpired} for a skewed
 * clock); nothing about the action is revealed before.</li>
 * <li>No {@code Action}: 400 {@code MissingAction}. An action this service does not serve, or a
 * {@code Version} other than the service's ({@code 2010-05-08} / {@code 2011-06-15}): 400
 * {@code InvalidAction} "Could not find operation X for version V", as AWS says.</li>
 * <li>The action runs with the {@link dev.sseproxy.api.aws.query.QueryRequest}: its parameters, the
 * authenticated {@link dev.sseproxy.catalog.Credential} (who is calling), the request id.</li>
 * </ol>
 *
 * <h2>Extension point</h2>
 * An action is a CDI bean implementing {@link dev.sseproxy.api.aws.query.QueryAction}: its
 * {@link dev.sseproxy.api.aws.query.QueryService}, its name (the {@code Action} value) and a handler
 * returning the children of {@code <XxxResult>} as {@link dev.sseproxy.api.aws.query.QueryXml.Node}s
 * (text is escaped when written). Every bean is discovered at start ({@code QueryApi}); two actions with
 * the same service and name fail the start. Refuse a request by failing with a
 * {@link dev.sseproxy.api.aws.query.QueryException} (factories for AWS's common codes). Served now:
 * STS {@code GetCallerIdentity} (an account's access key is its root: {@code Arn}
 * {@code arn:aws:iam::<account>:root}, {@code UserId} and {@code Account} the account id). IAM has no
 * action yet, so every IAM call answers {@code InvalidAction}.
 */
package dev.sseproxy.api.aws.query;
