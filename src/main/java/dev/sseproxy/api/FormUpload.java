package dev.sseproxy.api;

import dev.sseproxy.api.FormStream.Event;
import dev.sseproxy.auth.PostPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads the body of one POST Object as it arrives: the form fields before {@code file} into memory
 * (bounded by {@link FormStream#MAX_PRE_DATA}), then asks the gate (signature, policy, encryption)
 * while the request is paused, and only once the gate accepts opens the spool file and streams the
 * file part into it, enforcing the allowed size range as the bytes come. A refusal at any point
 * fails at once, with the rest of the body unread; nothing is spooled for a form the gate refuses.
 * Runs on the request's event loop; back-pressure pauses the request while the spool's write queue
 * is full.
 */
final class FormUpload {
    /** The form fields (lower-case names, first occurrence wins) and the spooled file's name and size. */
    record Received(Map<String, String> fields, String filename, long size) {
    }

    private final Vertx vertx;
    private final Context context;
    private final HttpServerRequest req;
    private final FormStream parser;
    private final String boundary;
    private final Path spool;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private BiFunction<Map<String, String>, Event.FileStart, Uni<long[]>> gate;
    private UniEmitter<? super Received> em;
    private AsyncFile file;
    private long[] range;
    private String filename;
    private long size;
    private boolean suspended;
    private boolean ended;
    private boolean finished;

    FormUpload(Vertx vertx, HttpServerRequest req, String boundary, Path spool) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.req = req;
        this.boundary = boundary;
        this.parser = new FormStream(boundary);
        this.spool = spool;
    }

    /**
     * Reads the form. {@code gate} gets the fields before the file and the file part's headers, and
     * answers the allowed {@code {min, max}} size of the file, or fails to refuse the upload.
     */
    Uni<Received> run(BiFunction<Map<String, String>, Event.FileStart, Uni<long[]>> gate) {
        this.gate = gate;
        return Uni.createFrom().emitter(e -> {
            em = e;
            req.handler(this::onData);
            req.exceptionHandler(this::fail);
            req.endHandler(v -> {
                ended = true;
                pump();
            });
            if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
                req.response().writeContinue();
            }
            req.resume();
        });
    }

    /** Closes and deletes the spool file (whether or not it was opened). */
    Uni<Void> cleanup() {
        Uni<Void> close = file == null ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(() -> file.close().toCompletionStage()).onFailure().recoverWithNull()
                        .replaceWithVoid();
        return close.chain(() -> Uni.createFrom().completionStage(() -> vertx.fileSystem().delete(spool.toString())
                .toCompletionStage()).onFailure().recoverWithNull().replaceWithVoid());
    }

    private void onData(Buffer piece) {
        if (finished) {
            return;
        }
        try {
            parser.feed(piece);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        pump();
    }

    private void pump() {
        try {
            while (!suspended && !finished) {
                Event e = parser.next();
                if (e instanceof Event.NeedMore) {
                    if (ended) {
                        parser.finish();
                        complete();
                    }
                    return;
                } else if (e instanceof Event.Field f) {
                    fields.putIfAbsent(f.name(), f.value());
                } else if (e instanceof Event.FileStart s) {
                    fileStart(s);
                } else if (e instanceof Event.FileData d) {
                    write(d.bytes());
                }
                // FileEnd: the parser ignores the rest; keep reading to the end of the body
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fileStart(Event.FileStart s) {
        filename = s.filename();
        suspend();
        gate.apply(fields, s).chain(r -> {
            range = r;
            if (finished) {
                return Uni.createFrom().failure(new IllegalStateException("form upload already ended"));
            }
            return Uni.createFrom().completionStage(() -> vertx.fileSystem().open(spool.toString(),
                    new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)).toCompletionStage());
        }).subscribe().with(f -> context.runOnContext(v -> {
            if (finished) {
                // the request failed while the spool was being opened: cleanup() may have run already
                f.close().onComplete(c -> vertx.fileSystem().delete(spool.toString()));
                return;
            }
            file = f;
            file.exceptionHandler(this::fail);
            unsuspend();
        }), err -> context.runOnContext(v -> fail(err)));
    }

    private void write(Buffer bytes) {
        size += bytes.length();
        if (size > range[1]) {
            PostPolicy.checkLength(Math.max(size, estimate()), range);
        }
        file.write(bytes);
        if (file.writeQueueFull()) {
            suspend();
            file.drainHandler(v -> unsuspend());
        }
    }

    /** The file size the declared body length suggests (exact for a form that ends with its file). */
    private long estimate() {
        String cl = req.getHeader("content-length");
        if (cl == null) {
            return 0;
        }
        try {
            return Long.parseLong(cl.trim()) - parser.preDataLength() - ("\r\n--" + boundary + "--\r\n").length();
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void suspend() {
        suspended = true;
        req.pause();
    }

    private void unsuspend() {
        if (finished) {
            return;
        }
        suspended = false;
        pump();
        if (!finished && !suspended) {
            req.resume();
        }
    }

    private void complete() {
        if (size < range[0]) {
            PostPolicy.checkLength(size, range);
        }
        finished = true;
        file.close().onComplete(r -> {
            if (r.failed()) {
                em.fail(r.cause());
            } else {
                file = null;
                em.complete(new Received(fields, filename, size));
            }
        });
    }

    private void fail(Throwable t) {
        if (finished) {
            return;
        }
        finished = true;
        em.fail(t);
    }
}
