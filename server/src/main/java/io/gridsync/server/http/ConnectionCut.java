package io.gridsync.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Closes the connection once the answer to a refused body (413, 408) has been written. Left to
 * itself, Jetty reads and discards the rest of the body for as long as the client keeps sending
 * it fast, which can be forever: a 100 MB body would still be read whole, only not kept.
 */
public final class ConnectionCut implements HttpChannel.Listener {

    private static final String MARK = ConnectionCut.class.getName();

    private ConnectionCut() {}

    /** Marks the request: its connection is closed as soon as its answer is complete. */
    public static void afterAnswer(HttpServletRequest req, HttpServletResponse res) {
        res.setHeader("Connection", "close"); // says so to the client, too
        req.setAttribute(MARK, Boolean.TRUE);
    }

    /** For an answer given before the body was read (a wrong key, a missing signature): cut unless there is no body. */
    public static void ifBodyLeft(HttpServletRequest req, HttpServletResponse res) {
        if (req.getContentLengthLong() != 0) { // -1: chunked, length unknown
            afterAnswer(req, res);
        }
    }

    /** Listens on every connector of the server (they exist once it starts). */
    static void install(Server server) {
        ConnectionCut cut = new ConnectionCut();
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector c : server.getConnectors()) {
                    c.addBean(cut);
                }
            }
        });
    }

    @Override
    public void onComplete(Request request) {
        // before Jetty's own end of request, which would go on reading the body
        if (request.getAttribute(MARK) != null) {
            request.getHttpChannel().getEndPoint().close();
        }
    }
}
