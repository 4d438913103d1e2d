package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import dev.sseproxy.kms.registry.KmsAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IAM wildcards ({@code *}, {@code ?}) matched without backtracking. */
class WildcardTest {

    @ParameterizedTest(name = "[{index}] \"{0}\" ~ \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // pattern              | text                  | exact | ignoring case
        "''                     | ''                    | true  | true",
        "''                     | a                     | false | false",
        "*                      | ''                    | true  | true",
        "*                      | kms:Decrypt           | true  | true",
        "**                     | ''                    | true  | true",
        "?                      | ''                    | false | false",
        "?                      | a                     | true  | true",
        "?                      | ab                    | false | false",
        "kms:*                  | kms:Decrypt           | true  | true",
        "kms:*                  | kms:                  | true  | true",
        "kms:*                  | km                    | false | false",
        "kms:Decrypt            | kms:Decrypt           | true  | true",
        "kms:Decrypt            | kms:Decrypt2          | false | false",
        "kms:Decrypt            | kms:decrypt           | false | true",
        "KMS:DECRYPT            | kms:Decrypt           | false | true",
        "kms:GenerateDataKey*   | kms:GenerateDataKey   | true  | true",
        "kms:GenerateDataKey*   | kms:GenerateDataKeyPair | true | true",
        "kms:GenerateDataKey*   | kms:GenerateData      | false | false",
        "kms:Describe?ey        | kms:DescribeKey       | true  | true",
        "kms:Describe?ey        | kms:Describeey        | false | false",
        "kms:*Key               | kms:DescribeKey       | true  | true",
        "kms:*Key               | kms:DescribeKeys      | false | false",
        "kms:*e*e*              | kms:GenerateDataKey   | true  | true",
        "kms:*e*e*e*e*e*        | kms:GenerateDataKey   | false | false",
        "*a*a*a*a*a*a*b         | aaaaaaaaaaaaaaaaaaaab | true  | true",
        "*a*a*a*a*a*a*b         | aaaaaaaaaaaaaaaaaaaaa | false | false",
        "a?c                    | abc                   | true  | true",
        "a?c                    | a?c                   | true  | true",
        "a.c                    | abc                   | false | false",
        "a[b]c                  | abc                   | false | false",
        "a+                     | aa                    | false | false",
        "a\\d                   | a1                    | false | false",
        "*?                     | x                     | true  | true",
        "*?                     | ''                    | false | false",
        "?*?                    | xy                    | true  | true",
        "?*?                    | x                     | false | false",
        "*x                     | ''                    | false | false",
    })
    void matchesAsIamDefinesWildcards(String pattern, String text, boolean exact, boolean ignoringCase) {
        assertEquals(exact, Wildcard.matches(pattern, text), "exact");
        assertEquals(ignoringCase, Wildcard.matchesIgnoreCase(pattern, text), "ignoring case");
    }

    @Test
    void textsLongerThanOneMachineWordMatchAcrossWordBoundaries() {
        String text = "x".repeat(63) + "yz" + "w".repeat(70) + "q";
        assertTrue(Wildcard.matches("*y?w*q", text));
        assertTrue(Wildcard.matches("x*" + "w".repeat(70) + "?", text));
        assertTrue(Wildcard.matches("?".repeat(text.length()), text));
        assertFalse(Wildcard.matches("?".repeat(text.length() + 1), text));
        assertTrue(Wildcard.matches("*".repeat(200) + "q", text));
        assertFalse(Wildcard.matches("*".repeat(200) + "p", text));
        assertTrue(Wildcard.matches(text.substring(0, 64) + "*", text));
        assertFalse(Wildcard.matches(text.substring(0, 64) + "y*", text));
    }

    @Test
    void theReDoSPatternIsAnsweredWellUnderASecond() {
        // as a regex (.*.*…q) this backtracks C(55, 15) ≈ 10^13 times against kms:GenerateDataKey
        String pattern = "kms:" + "*".repeat(40) + "q";
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            for (KmsAction action : KmsAction.values()) {
                assertFalse(Wildcard.matchesIgnoreCase(pattern, action.iamName()), action.name());
            }
            assertTrue(Wildcard.matchesIgnoreCase(pattern, "kms:GenerateDataKeyq"));
        });
    }

    @Test
    void aLongPathologicalPatternAgainstALongTextStaysFast() {
        String pattern = "*a".repeat(5_000) + "b";
        String text = "a".repeat(10_000);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertFalse(Wildcard.matches(pattern, text)));
    }
}
