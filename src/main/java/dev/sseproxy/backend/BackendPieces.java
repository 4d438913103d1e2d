package dev.sseproxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A backend answer's body handed on in the memory it was read into, for a caller that consumes each
 * piece at once ({@link BackendCall#bodyInPlace()}: GetObject, which decrypts it). Vert.x's HTTP client
 * otherwise copies every piece it reads from pooled direct memory into a new heap array
 * ({@code VertxHandler.safeBuffer}); on a 64 MiB GET that fresh, zeroed, cache-cold memory was a fifth
 * of the proxy's CPU (package documentation: "Bodies read in place", with numbers).
 *
 * <p><b>How.</b> {@link #install} puts a handler right after the connection's HTTP decoder. When the
 * request on the connection asked for it ({@link #expect}, one request at a time: no pipelining) and
 * the answer is 200 or 206, the handler hands each piece of the body on as a {@link Piece}: a view of
 * the pooled buffer whose allocator is not Netty's pooled one, which Vert.x then passes through
 * uncopied. Every other answer (errors, which are read whole; HEAD; calls that did not ask) is left
 * to Vert.x's copy.
 *
 * <p><b>Who frees a piece.</b> Its consumer, once it has read it: {@link PooledBodies#release}
 * (the decrypting stream after each piece, the writer of a pass-through body once written). A piece
 * Vert.x drops unread (a stream discarded, a connection closed with pieces queued) is released when
 * it is garbage collected (a {@link Cleaner}), so pooled memory never leaks, however a request ends.
 */
public final class BackendPieces {
    private static final AttributeKey<Boolean> IN_PLACE = AttributeKey.valueOf("sse-proxy.body-in-place");
    private static final Cleaner CLEANER = Cleaner.create();
    static final String HANDLER = "sse-proxy-pieces";
    /** The name Vert.x gives its HTTP/1.1 client codec in a connection's pipeline ({@code Http1xClientConnection}). */
    static final String CODEC = "codec";
    private static final Logger LOG = Logger.getLogger(BackendPieces.class);
    private static final AtomicBoolean MISSING_CODEC_SAID = new AtomicBoolean();

    private BackendPieces() {
    }

    /** Adds the handler to a new backend connection (one whose pipeline has Vert.x's HTTP/1.1 {@code codec}). */
    static void install(Channel channel) {
        if (channel.pipeline().get(CODEC) == null) {
            // still correct (Vert.x copies every piece), only slower: say so once, not per connection
            if (MISSING_CODEC_SAID.compareAndSet(false, true)) {
                LOG.warnf("backend connection without Vert.x's HTTP/1.1 handler '%s' (pipeline %s): GetObject bodies"
                        + " are copied, not read in place", CODEC, channel.pipeline().names());
            }
            return;
        }
        if (channel.pipeline().get(HANDLER) == null) {
            channel.pipeline().addAfter(CODEC, HANDLER, new Handler());
        }
    }

    /** Whether the answer to the request about to be sent on {@code connection} comes in place. */
    static void expect(HttpConnection connection, boolean inPlace) {
        if (connection instanceof ConnectionBase c) {
            expect(c.channel(), inPlace);
        }
    }

    static void expect(Channel channel, boolean inPlace) {
        channel.attr(IN_PLACE).set(inPlace);
    }

    /** Releases {@code b} if it is a piece not released yet; true if it was a piece. */
    static boolean release(ByteBuf b) {
        if (b instanceof Piece p) {
            if (p.refCnt() > 0) {
                p.release();
            }
            return true;
        }
        return false;
    }

    /** Hands on the body pieces of an answer that comes in place (see the class documentation). */
    static final class Handler extends ChannelInboundHandlerAdapter {
        private boolean inPlace;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse r) {
                int status = r.status().code();
                inPlace = Boolean.TRUE.equals(ctx.channel().attr(IN_PLACE).get()) && (status == 200 || status == 206);
            }
            Object out = msg;
            if (inPlace && msg instanceof HttpContent c && c.content().isReadable() && c.content().isDirect()
                    && c.content().nioBufferCount() == 1) {
                Piece piece = new Piece(c.content());
                if (msg instanceof LastHttpContent last) {
                    DefaultLastHttpContent l = new DefaultLastHttpContent(piece);
                    l.trailingHeaders().set(last.trailingHeaders());
                    out = l;
                } else {
                    out = new DefaultHttpContent(piece);
                }
            }
            if (msg instanceof LastHttpContent) {
                inPlace = false;
            }
            ctx.fireChannelRead(out);
        }
    }

    /**
     * A view of a pooled buffer (the backend connection's read) that owns it: released with it, or
     * when collected unreleased. Its allocator is the unpooled one, so Vert.x does not copy it.
     */
    static final class Piece extends UnpooledDirectByteBuf {
        private final Cleaner.Cleanable owner;

        Piece(ByteBuf pooled) {
            super(UnpooledByteBufAllocator.DEFAULT, pooled.nioBuffer(), pooled.readableBytes());
            // the action holds the pooled buffer, never this view, so the view can be collected
            this.owner = CLEANER.register(this, pooled::release);
        }

        @Override
        protected void freeDirect(java.nio.ByteBuffer buffer) {
            // the memory is the pooled buffer's; it goes back to its pool in deallocate
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            owner.clean();
        }
    }
}
