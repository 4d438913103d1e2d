/**
 * One AWS endpoint: every AWS-shaped API sse-proxy serves (S3, KMS, CloudTrail {@code LookupEvents},
 * IAM, STS) answers on the S3 port, so {@code AWS_ENDPOINT_URL=http://<proxy>:8080} (or one
 * {@code --endpoint-url}) configures the AWS CLI and SDKs for all of them at once. Requests are told
 * apart as single-endpoint AWS emulators do: by the service of the SigV4 credential scope, then by
 * {@code X-Amz-Target}.
 *
 * <h2>Dispatch rules ({@link dev.sseproxy.api.aws.AwsDispatch}, a Vert.x route ordered before the S3 router)</h2>
 * <ol>
 * <li><b>The service.</b> The credential scope of a SigV4 {@code Authorization} header
 * ({@code AWS4-HMAC-SHA256 Credential=AKID/date/region/<service>/aws4_request, …}; SigV4a's
 * {@code AKID/date/<service>/aws4_request} too), else of a presigned URL's {@code X-Amz-Credential}
 * query parameter (raw query, {@code %2F} as {@code /}; the query is not otherwise decoded, so a
 * malformed query still gets S3's error). The service is the component before {@code aws4_request}.
 * Without a SigV4 credential (unsigned, SigV2, or a credential that does not parse) the service comes
 * from {@code X-Amz-Target}: {@code TrentService.*} is {@code kms},
 * {@code com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*} is {@code cloudtrail}; anything
 * else is {@code s3}. A scope service wins over a target that names another service (that service then
 * answers "unknown operation").</li>
 * <li><b>{@code s3}</b>: the request goes on to the S3 router exactly as before (no body is read, no
 * header is changed; the classification reads only the {@code Authorization} and
 * {@code X-Amz-Target} headers and scans the raw query).</li>
 * <li><b>{@code kms}, {@code cloudtrail}, {@code iam}, {@code sts}</b>: the dispatcher takes a place in
 * the unauthenticated admission limit ({@code sse-proxy.limits.unauthenticated-requests}, given back
 * once the signature is checked or the response ends) and the body's size from the buffered-body budget
 * ({@code sse-proxy.limits.buffered-body-bytes}, given back when the answer is computed), reads the
 * body whole, but at most {@link dev.sseproxy.api.aws.AwsDispatch#MAX_BODY} (1 MiB: these APIs' bodies
 * are small; the largest, a 32 KiB KMS key policy or a 6 KiB IAM policy, JSON- or form-escaped, fits many
 * times), and then re-routes the request ({@code RoutingContext.reroute}) as {@code POST /_aws/<service>},
 * where a Quarkus REST resource serves it. A bucket can never be named {@code _aws}, so this path is
 * never an S3 address. The request as the client sent and signed it (method, raw path, raw query,
 * headers, body) travels in the routing context under {@link dev.sseproxy.api.aws.AwsRequest#KEY}
 * ({@code "sse-proxy.aws.request"}); SigV4 is verified against it, never against the re-routed path.
 * The S3 router passes every request carrying that key on. A request sent straight to
 * {@code /_aws/...} without the key is an S3 request (and gets S3's answer for bucket {@code _aws}).</li>
 * <li><b>Any other service</b> (e.g. {@code dynamodb}, {@code sqs}) gets the error shape of its
 * protocol, never a 5xx: with an {@code X-Amz-Target} or an {@code application/x-amz-json-*}
 * body, JSON 400 {@code {"__type":"UnknownOperationException"}}; with a form body or an
 * {@code Action=} query parameter, query-protocol XML 400 {@code <ErrorResponse>…<Code>InvalidAction}.
 * A request of another shape (a REST-style path) goes on to S3, which refuses its scope as before
 * ({@code AuthorizationHeaderMalformed}, "incorrect service").</li>
 * <li><b>Refusals before authentication</b>, in the target's protocol: a declared
 * {@code Content-Length} over 1 MiB, or a streamed body growing past it: 413 {@code RequestEntityTooLarge}
 * (the connection is closed after the answer); admission limit or body budget spent: 400
 * {@code ThrottlingException} (JSON) / {@code Throttling} (query) with {@code Retry-After: 1}, which the
 * SDKs retry.</li>
 * </ol>
 *
 * <h2>Protocols</h2>
 * <ul>
 * <li><b>JSON 1.1</b> (KMS, CloudTrail): served by {@link dev.sseproxy.api.aws.KmsResource} and
 * {@link dev.sseproxy.api.aws.CloudTrailResource}, which call the same code as the management port's
 * routes ({@code api.kms.KmsRoutes#call}, {@code api.cloudtrail.CloudTrailRoutes#call}); SigV4 for
 * service {@code kms} / {@code cloudtrail} in the proxy's region. Only {@code POST} is served; another
 * method gets 400 {@code UnknownOperationException}.</li>
 * <li><b>Query</b> (IAM, STS): {@link dev.sseproxy.api.aws.query} — {@code Action=…&Version=…} in a
 * form-encoded {@code POST} body or a {@code GET} query; SigV4 scope service {@code iam} in
 * {@code us-east-1} (IAM is global) or {@code sts} in the proxy's region; XML answers and errors as
 * AWS's query protocol writes them.</li>
 * </ul>
 * All of them accept only SigV4 in the {@code Authorization} header with a signed body
 * ({@code dev.sseproxy.api.JsonApiAuthenticator}); presigned URLs are refused.
 */
package dev.sseproxy.api.aws;
