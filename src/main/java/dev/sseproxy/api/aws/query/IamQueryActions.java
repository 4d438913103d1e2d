package dev.sseproxy.api.aws.query;

import dev.sseproxy.audit.ApiCall;
import dev.sseproxy.audit.AuditWriter;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.iam.IamActions;
import dev.sseproxy.iam.IamException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The IAM actions of {@code dev.sseproxy.iam} served on {@code /_aws/iam}: one {@link QueryAction} bean
 * per action (produced here), each running {@link IamActions}, turning its Result XML into nodes and
 * its {@link IamException} into the query error, and recording the call as an IAM CloudTrail event.
 */
@ApplicationScoped
public class IamQueryActions {
    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private final IamActions actions;
    private final AuditWriter audit;

    public IamQueryActions(IamActions actions, AuditWriter audit) {
        this.actions = actions;
        this.audit = audit;
    }

    /** One served IAM action. */
    final class Action implements QueryAction {
        private final String name;

        Action(String name) {
            this.name = name;
        }

        @Override
        public QueryService service() {
            return QueryService.IAM;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Uni<List<QueryXml.Node>> run(QueryRequest request) {
            return actions.run(name, request.caller(), request.params())
                    .map(IamQueryActions::nodes)
                    .onItemOrFailure().invoke((ok, err) -> record(request, err))
                    .onFailure(IamException.class).transform(e -> {
                        IamException i = (IamException) e;
                        return new QueryException(i.code().status(), i.code().code(), i.getMessage());
                    });
        }
    }

    private void record(QueryRequest r, Throwable err) {
        Credential c = r.caller();
        Map<String, String> params = new HashMap<>(r.params());
        params.remove("Action");
        params.remove("Version");
        String code = err instanceof IamException i ? i.code().code() : err == null ? null : "InternalFailure";
        audit.apiCalled(new ApiCall(ApiCall.IAM_SOURCE, r.action(), Instant.now(), c.accountId(), c.accessKeyId(),
                c.user() == null ? null : c.user().name(), c.user() == null ? null : c.user().arn(),
                c.user() == null ? null : c.user().userId(), null, null, r.requestId(), code,
                err == null ? null : err.getMessage(), params));
    }

    /** The Result's XML (null: none) as nodes. */
    static List<QueryXml.Node> nodes(String xml) {
        if (xml == null || xml.isEmpty()) {
            return List.of();
        }
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new StringReader("<r>" + xml + "</r>"));
            r.nextTag();
            return children(r);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("IAM result is not XML", e);
        }
    }

    /** The children of the element the reader is on, up to its end. */
    private static List<QueryXml.Node> children(XMLStreamReader r) throws XMLStreamException {
        List<QueryXml.Node> out = new ArrayList<>();
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return out;
            }
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                StringBuilder text = new StringBuilder();
                List<QueryXml.Node> kids = new ArrayList<>();
                while (true) {
                    int e = r.next();
                    if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA) {
                        text.append(r.getText());
                    } else if (e == XMLStreamConstants.START_ELEMENT) {
                        kids.add(element(r));
                    } else if (e == XMLStreamConstants.END_ELEMENT) {
                        break;
                    }
                }
                out.add(kids.isEmpty() && text.length() > 0 ? QueryXml.Node.text(name, text.toString())
                        : QueryXml.Node.of(name, kids));
            }
        }
        return out;
    }

    /** The element the reader is on (its start tag was read), to its end. */
    private static QueryXml.Node element(XMLStreamReader r) throws XMLStreamException {
        String name = r.getLocalName();
        StringBuilder text = new StringBuilder();
        List<QueryXml.Node> kids = new ArrayList<>();
        while (true) {
            int e = r.next();
            if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA) {
                text.append(r.getText());
            } else if (e == XMLStreamConstants.START_ELEMENT) {
                kids.add(element(r));
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                return kids.isEmpty() && text.length() > 0 ? QueryXml.Node.text(name, text.toString())
                        : QueryXml.Node.of(name, kids);
            }
        }
    }

    // one bean per action (QueryApi discovers QueryAction beans)
    @Produces @Singleton QueryAction createUser() { return new Action("CreateUser"); }
    @Produces @Singleton QueryAction getUser() { return new Action("GetUser"); }
    @Produces @Singleton QueryAction deleteUser() { return new Action("DeleteUser"); }
    @Produces @Singleton QueryAction listUsers() { return new Action("ListUsers"); }
    @Produces @Singleton QueryAction createAccessKey() { return new Action("CreateAccessKey"); }
    @Produces @Singleton QueryAction deleteAccessKey() { return new Action("DeleteAccessKey"); }
    @Produces @Singleton QueryAction listAccessKeys() { return new Action("ListAccessKeys"); }
    @Produces @Singleton QueryAction putUserPolicy() { return new Action("PutUserPolicy"); }
    @Produces @Singleton QueryAction getUserPolicy() { return new Action("GetUserPolicy"); }
    @Produces @Singleton QueryAction deleteUserPolicy() { return new Action("DeleteUserPolicy"); }
    @Produces @Singleton QueryAction listUserPolicies() { return new Action("ListUserPolicies"); }
    @Produces @Singleton QueryAction createPolicy() { return new Action("CreatePolicy"); }
    @Produces @Singleton QueryAction getPolicy() { return new Action("GetPolicy"); }
    @Produces @Singleton QueryAction deletePolicy() { return new Action("DeletePolicy"); }
    @Produces @Singleton QueryAction attachUserPolicy() { return new Action("AttachUserPolicy"); }
    @Produces @Singleton QueryAction detachUserPolicy() { return new Action("DetachUserPolicy"); }
    @Produces @Singleton QueryAction listAttachedUserPolicies() { return new Action("ListAttachedUserPolicies"); }
}
