package dev.sseproxy.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * One condition of a browser POST policy. Field names are stored without the leading {@code $},
 * as written in the policy; matching against form fields is case-insensitive.
 */
public sealed interface PolicyCondition
        permits PolicyCondition.Eq, PolicyCondition.StartsWith, PolicyCondition.ContentLengthRange {

    /** The form field this condition constrains (lower case), empty for content-length-range. */
    Optional<String> field();

    /**
     * Exact match: {@code {"field": "value"}} or {@code ["eq", "$field", "value"]}.
     *
     * @param name  field name as written, without {@code $}
     * @param value required value
     */
    record Eq(String name, String value) implements PolicyCondition {
        @Override
        public Optional<String> field() {
            return Optional.of(name.toLowerCase(Locale.ROOT));
        }

        /** S3's rendering in "Policy Condition failed" messages. */
        public String render() {
            return PolicyJson.array("eq", "$" + name, value);
        }
    }

    /**
     * Prefix match {@code ["starts-with", "$field", "prefix"]}; an empty prefix matches anything.
     *
     * @param name   field name as written, without {@code $}
     * @param prefix required prefix
     */
    record StartsWith(String name, String prefix) implements PolicyCondition {
        @Override
        public Optional<String> field() {
            return Optional.of(name.toLowerCase(Locale.ROOT));
        }

        /** S3's rendering in "Policy Condition failed" messages. */
        public String render() {
            return PolicyJson.array("starts-with", "$" + name, prefix);
        }
    }

    /**
     * {@code ["content-length-range", min, max]}, inclusive bounds in bytes.
     *
     * @param min smallest allowed upload size
     * @param max largest allowed upload size
     */
    record ContentLengthRange(long min, long max) implements PolicyCondition {
        @Override
        public Optional<String> field() {
            return Optional.empty();
        }
    }
}
