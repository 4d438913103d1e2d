package dev.sseproxy.batch;

import java.util.Optional;
import java.util.Set;

/**
 * A job's status, as S3 Batch Operations names them, and the transitions this implementation makes
 * (package documentation, "Job states"). {@code Paused}, {@code Pausing} and {@code Failing} exist in
 * S3's model but are never entered here.
 */
public enum JobStatus {
    NEW("New"), PREPARING("Preparing"), SUSPENDED("Suspended"), READY("Ready"), ACTIVE("Active"),
    COMPLETING("Completing"), COMPLETE("Complete"), FAILING("Failing"), FAILED("Failed"), CANCELLING("Cancelling"),
    CANCELLED("Cancelled"), PAUSING("Pausing"), PAUSED("Paused");

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<JobStatus> fromWire(String s) {
        for (JobStatus j : values()) {
            if (j.wire.equals(s)) {
                return Optional.of(j);
            }
        }
        return Optional.empty();
    }

    /** Complete, Failed, Cancelled: nothing changes any more. */
    public boolean terminal() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }

    /** States a runner works on (it holds the job's lease while in them). */
    public boolean runnable() {
        return Set.of(NEW, PREPARING, READY, ACTIVE, COMPLETING, CANCELLING).contains(this);
    }

    /**
     * The status after {@code UpdateJobStatus(requested)} from this one, or empty when S3 refuses it
     * (JobStatusException): {@code Ready} confirms a Suspended job; {@code Cancelled} ends a Suspended
     * job at once and asks a running one to stop (Cancelling, then Cancelled once its runner stops).
     */
    public Optional<JobStatus> request(JobStatus requested) {
        if (requested == READY) {
            return this == SUSPENDED ? Optional.of(READY) : Optional.empty();
        }
        if (requested == CANCELLED) {
            return switch (this) {
                case SUSPENDED -> Optional.of(CANCELLED);
                case NEW, PREPARING, READY, ACTIVE -> Optional.of(CANCELLING);
                case CANCELLING -> Optional.of(CANCELLING);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /** Whether a runner may move a job from this status to {@code next}. */
    public boolean canRunTo(JobStatus next) {
        return switch (this) {
            case NEW -> next == PREPARING || next == FAILED || next == CANCELLED;
            case PREPARING -> next == SUSPENDED || next == READY || next == FAILED || next == CANCELLED;
            case READY -> next == ACTIVE || next == FAILED || next == CANCELLED;
            case ACTIVE -> next == COMPLETING || next == FAILED || next == CANCELLED;
            case COMPLETING -> next == COMPLETE || next == FAILED;
            case CANCELLING -> next == CANCELLED;
            default -> false;
        };
    }
}
