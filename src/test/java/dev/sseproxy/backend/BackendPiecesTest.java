package dev.sseproxy.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The GetObject body read in place: what Vert.x's HTTP client would get from the backend connection. */
class BackendPiecesTest {

    /** A backend connection's pipeline as Vert.x builds it, up to its own handler: the codec, then ours. */
    private static EmbeddedChannel connection(boolean inPlace) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(BackendPieces.CODEC, new HttpClientCodec());
        BackendPieces.install(ch);
        BackendPieces.expect(ch, inPlace);
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bucket/key"));
        ch.releaseOutbound();
        return ch;
    }

    /** What the socket read: in the proxy's pool of body buffers, like every backend read. */
    private static ByteBuf read(String wire) {
        ByteBuf b = PooledBodies.ALLOCATOR.directBuffer();
        b.writeCharSequence(wire, StandardCharsets.ISO_8859_1);
        return b;
    }

    @Test
    void aBodyAskedInPlaceReachesVertxUncopiedAndGoesBackToItsPoolWhenReleased() {
        EmbeddedChannel ch = connection(true);
        ByteBuf wire = read("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
        ch.writeInbound(wire);
        assertInstanceOf(HttpResponse.class, ch.readInbound());
        HttpContent body = ch.readInbound();
        assertInstanceOf(LastHttpContent.class, body);
        ByteBuf piece = body.content();
        assertInstanceOf(BackendPieces.Piece.class, piece);
        assertEquals("hello world", piece.toString(StandardCharsets.US_ASCII));
        // Vert.x's client copies a buffer of Netty's pooled allocator into a new heap array, never this one
        assertFalse(piece.alloc() instanceof PooledByteBufAllocator);
        assertSame(piece, VertxHandler.safeBuffer(piece));
        assertTrue(wire.refCnt() > 0, "the read's memory is held by the piece until it is released");

        PooledBodies.release(Buffer.buffer(piece));
        assertEquals(0, piece.refCnt());
        assertEquals(0, wire.refCnt(), "released with the piece: back in its pool");
        PooledBodies.release(Buffer.buffer(piece)); // a second release is a no-op, never an exception
        assertFalse(ch.finish());
    }

    @Test
    void aBodyInManyReadsComesAsManyPiecesEachFreedOnItsOwn() {
        EmbeddedChannel ch = connection(true);
        ByteBuf first = read("HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\n\r\n01234");
        ByteBuf second = read("56789");
        ch.writeInbound(first);
        ch.writeInbound(second);
        assertInstanceOf(HttpResponse.class, ch.readInbound());
        HttpContent a = ch.readInbound();
        HttpContent b = ch.readInbound();
        assertInstanceOf(BackendPieces.Piece.class, a.content());
        assertInstanceOf(BackendPieces.Piece.class, b.content());
        assertInstanceOf(LastHttpContent.class, b);
        assertEquals("01234", a.content().toString(StandardCharsets.US_ASCII));
        assertEquals("56789", b.content().toString(StandardCharsets.US_ASCII));
        PooledBodies.release(Buffer.buffer(a.content()));
        assertEquals(0, first.refCnt());
        assertTrue(second.refCnt() > 0);
        PooledBodies.release(Buffer.buffer(b.content()));
        assertEquals(0, second.refCnt());
    }

    @Test
    void anErrorAnswerOrACallThatDidNotAskIsLeftToVertxsCopy() {
        for (String[] c : new String[][] {{"true", "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nerror"},
                {"false", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"}}) {
            EmbeddedChannel ch = connection(Boolean.parseBoolean(c[0]));
            ch.writeInbound(read(c[1]));
            assertInstanceOf(HttpResponse.class, ch.readInbound());
            HttpContent body = ch.readInbound();
            assertFalse(body.content() instanceof BackendPieces.Piece, c[1]);
            ByteBuf copy = VertxHandler.safeBuffer(body.content());
            assertNotSame(body.content(), copy, "Vert.x copies it (and releases the read)");
            assertFalse(copy.isDirect());
        }
    }

    @Test
    void theNextAnswerOnTheConnectionFollowsItsOwnRequest() {
        EmbeddedChannel ch = connection(true);
        ch.writeInbound(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        ch.readInbound();
        HttpContent first = ch.readInbound();
        assertInstanceOf(BackendPieces.Piece.class, first.content());
        first.release();
        // the same (kept-alive) connection, now serving a call that reads its answer whole
        BackendPieces.expect(ch, false);
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bucket/other"));
        ch.releaseOutbound();
        ch.writeInbound(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno"));
        ch.readInbound();
        HttpContent second = ch.readInbound();
        assertFalse(second.content() instanceof BackendPieces.Piece);
        second.release();
    }

    /**
     * The same on a real Vert.x connection, built the way the backend client builds them: catches a
     * Vert.x upgrade that renames its codec or copies pieces it used to pass through (GetObject would
     * silently fall back to the copy).
     */
    @Test
    void onARealVertxConnectionTheBodyComesInPlace() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(r -> r.response().end("x".repeat(100_000)))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> pipeline = new CopyOnWriteArrayList<>();
            HttpClient client = vertx.httpClientBuilder().withConnectHandler(c -> {
                PooledBodies.readInto(c);
                pipeline.addAll(((ConnectionBase) c).channel().pipeline().names());
            }).build();
            AtomicInteger pieces = new AtomicInteger();
            AtomicInteger copies = new AtomicInteger();
            StringBuilder got = new StringBuilder();
            client.request(io.vertx.core.http.HttpMethod.GET, server.actualPort(), "127.0.0.1", "/bucket/key").compose(req -> {
                BackendPieces.expect(req.connection(), true);
                return req.send();
            }).compose(resp -> {
                resp.handler(b -> {
                    (((BufferImpl) b).byteBuf() instanceof BackendPieces.Piece ? pieces : copies).incrementAndGet();
                    got.append(b.toString(StandardCharsets.US_ASCII));
                    PooledBodies.release(b);
                });
                return resp.end();
            }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            int codec = pipeline.indexOf(BackendPieces.CODEC);
            assertTrue(codec >= 0, "Vert.x's client codec is named '" + BackendPieces.CODEC + "': " + pipeline);
            assertEquals(BackendPieces.HANDLER, pipeline.get(codec + 1), pipeline.toString());
            assertEquals(100_000, got.length());
            assertTrue(pieces.get() > 0, "pieces in place: " + pieces + ", copies: " + copies);
            assertEquals(0, copies.get(), "copies");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
