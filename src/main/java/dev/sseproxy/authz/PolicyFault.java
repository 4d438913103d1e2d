package dev.sseproxy.authz;

/**
 * What can be wrong with a policy document, with the message S3's PutBucketPolicy ({@code MalformedPolicy})
 * and IAM ({@code MalformedPolicyDocument}) give for it. {@code %s} is the offending value.
 * Sources (S3's own messages as clients quote them): "Policies must be valid JSON and the first byte must
 * be '{'" (aws/aws-cli#2779), "Policy has invalid resource" (hashicorp/terraform#23570, noobaa-core#10058
 * for {@code *}), "Missing required field Principal" (hashicorp/terraform#28688), "Missing required field
 * Principal cannot be empty!" (cn-terraform/terraform-aws-s3-static-website#38), "Invalid principal in
 * policy" (AWS knowledge center "s3-invalid-principal-in-policy-error"), "Statement is missing required
 * element" (ansible/ansible#38741), "Action does not apply to any resource(s) in statement", "Policy has
 * invalid action", "Invalid effect: hello" (versity/versitygw#645, #650, #647, which replay S3's answers),
 * "This policy contains invalid Json", "Could not parse the policy: Statement is empty!", "Missing required
 * field Statement", "The policy must contain a valid version string" (versitygw's S3 messages); IAM's
 * "Policy document should not specify a principal." (hashicorp/terraform#13449), "Syntax errors in
 * policy." (boto/boto3#180), "Resource %s must be in ARN format or \"*\"." and "Cannot exceed quota for
 * PolicySize: 6144" (IAM's LimitExceeded, quoted in many issues). Messages no recording shows (S3's for
 * an unknown element, an unknown condition operator, a bad condition value, a document over 20 KiB) are
 * the closest S3 message, and say so here: "Unknown field %s", "Invalid policy syntax.", "Policy exceeds
 * the maximum allowed document size." (MinIO's, which mirrors S3's limits).
 */
enum PolicyFault {
    FIRST_BYTE("Policies must be valid JSON and the first byte must be '{'", "Syntax errors in policy."),
    NOT_JSON("This policy contains invalid Json", "Syntax errors in policy."),
    TOO_LARGE("Policy exceeds the maximum allowed document size.", "Cannot exceed quota for PolicySize: 6144"),
    SYNTAX("Invalid policy syntax.", "Syntax errors in policy."),
    UNKNOWN_FIELD("Unknown field %s", "Syntax errors in policy."),
    MISSING_STATEMENT("Missing required field Statement", "Syntax errors in policy."),
    EMPTY_STATEMENT("Could not parse the policy: Statement is empty!", "Syntax errors in policy."),
    INVALID_VERSION("The policy must contain a valid version string", "Syntax errors in policy."),
    MISSING_EFFECT("Missing required field Effect", "Syntax errors in policy."),
    INVALID_EFFECT("Invalid effect: %s", "Syntax errors in policy."),
    MISSING_PRINCIPAL("Missing required field Principal", null),
    EMPTY_PRINCIPAL("Missing required field Principal cannot be empty!", null),
    PRINCIPAL_FORBIDDEN(null, "Policy document should not specify a principal."),
    INVALID_PRINCIPAL("Invalid principal in policy", null),
    MISSING_ACTION("Statement is missing required element", "Policy statement must contain actions."),
    MISSING_RESOURCE("Statement is missing required element", "Policy statement must contain resources."),
    INVALID_ACTION("Policy has invalid action",
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    INVALID_RESOURCE("Policy has invalid resource", "Resource %s must be in ARN format or \"*\"."),
    ACTION_RESOURCE_MISMATCH("Action does not apply to any resource(s) in statement", null),
    INVALID_CONDITION_KEY("Policy has an invalid condition key",
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    DUPLICATE_SID(null, "Statement IDs (SID) in a single policy must be unique."),
    INVALID_SID(null, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
            + "expression [0-9A-Za-z]*");

    private final String s3;
    private final String iam;

    PolicyFault(String s3, String iam) {
        this.s3 = s3;
        this.iam = iam;
    }

    /** The exception for this fault in a document of {@code kind}, about {@code value}. */
    MalformedPolicyException of(Policy.Kind kind, String value) {
        String template = kind == Policy.Kind.BUCKET ? s3 : iam;
        String message = template.contains("%s") ? template.replace("%s", String.valueOf(value)) : template;
        return new MalformedPolicyException(message, this == TOO_LARGE && kind == Policy.Kind.IDENTITY);
    }
}
