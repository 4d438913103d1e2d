package dev.sseproxy.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.catalog.IamUser;
import dev.sseproxy.catalog.ManagedPolicy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shapes of IAM's User and Policy elements. */
class IamActionsXmlTest {
    static final Instant T = Instant.parse("2026-12-06T12:00:00.5Z");

    @Test
    void aUserAsIamShowsIt() {
        IamUser u = new IamUser("111122223333", "Alice", "/division/", "AIDAAAAAAAAAAAAAAAAAA", T);
        assertEquals("<User><Path>/division/</Path><UserName>Alice</UserName><UserId>AIDAAAAAAAAAAAAAAAAAA</UserId>"
                + "<Arn>arn:aws:iam::111122223333:user/division/Alice</Arn><CreateDate>2026-12-06T12:00:00Z</CreateDate></User>",
                IamActions.user(new QueryXml(), u).toString());
    }

    @Test
    void theRootAsGetUserShowsIt() {
        IamUser root = new IamUser("111122223333", null, null, "111122223333", T);
        assertEquals("<User><UserId>111122223333</UserId><Arn>arn:aws:iam::111122223333:root</Arn>"
                + "<CreateDate>2026-12-06T12:00:00Z</CreateDate></User>", IamActions.user(new QueryXml(), root).toString());
    }

    @Test
    void aManagedPolicyAsIamShowsIt() {
        ManagedPolicy p = new ManagedPolicy("111122223333", "read", "/team/", "ANPAAAAAAAAAAAAAAAAAA", "", "{}", T, T, 2);
        assertEquals("<Policy><PolicyName>read</PolicyName><DefaultVersionId>v1</DefaultVersionId>"
                + "<PolicyId>ANPAAAAAAAAAAAAAAAAAA</PolicyId><Path>/team/</Path><Arn>arn:aws:iam::111122223333:policy/team/read</Arn>"
                + "<AttachmentCount>2</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount>"
                + "<IsAttachable>true</IsAttachable><CreateDate>2026-12-06T12:00:00Z</CreateDate>"
                + "<UpdateDate>2026-12-06T12:00:00Z</UpdateDate></Policy>", IamActions.policy(new QueryXml(), p).toString());
    }
}
