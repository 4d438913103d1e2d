/**
 * AWS CloudTrail's {@code LookupEvents} (JSON 1.1) on the management port
 * ({@link dev.sseproxy.api.cloudtrail.CloudTrailRoutes}), answered from the audit trail that
 * {@code dev.sseproxy.audit} writes, so that {@code aws cloudtrail lookup-events} works against the
 * proxy unchanged.
 *
 * <p><b>Dependencies.</b> {@code api} (the JSON API authenticator), {@code audit}, {@code auth},
 * {@code authz}, {@code catalog}, {@code config}.
 */
package dev.sseproxy.api.cloudtrail;
