package io.gridsync.server.console;

import io.gridsync.server.admin.AdminSessions;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console (docs/console.md): static pages and ES modules from the jar that call the admin API
 * with the session cookie. The sign-in form is at {@code /}; each page has its own URL and the
 * same shell, whose script renders the page the path names. Every answer carries a strict
 * Content-Security-Policy: scripts and styles only from the hub, never inline, never in a frame.
 */
public final class ConsolePages {

    /** The pages, by path: each is {@code console/pages/<name>.js}. */
    public static final List<String> PAGES = List.of("overview", "events", "integrations", "subscriptions", "dead-letters",
            "audiences", "sources", "warehouse", "write-keys", "api");

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    /** Asset names: letters, digits, dashes and dots, optionally one folder deep (no way up). */
    private static final Pattern ASSET = Pattern.compile("(pages/)?[a-z0-9-]+\\.(js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "html", "text/html; charset=utf-8");

    private final AdminSessions sessions;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public ConsolePages(AdminSessions sessions) {
        this.sessions = sessions;
    }

    public void register(Javalin app) {
        app.get("/", ctx -> page(ctx, "sign-in.html"));
        for (String p : PAGES) {
            app.get("/" + p, ctx -> {
                if (sessions.of(ctx) == null) {
                    secure(ctx);
                    ctx.redirect("/?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8), io.javalin.http.HttpStatus.SEE_OTHER);
                    return;
                }
                page(ctx, "page.html");
            });
        }
        app.get("/console/vendor/{file}", ctx -> {
            String file = ctx.pathParam("file");
            if (!file.equals("uPlot.esm.js") && !file.equals("uPlot.min.css")) {
                notFound(ctx);
                return;
            }
            asset(ctx, UPLOT + file, file);
        });
        app.get("/console/{file}", ctx -> asset(ctx, ctx.pathParam("file")));
        app.get("/console/pages/{file}", ctx -> asset(ctx, "pages/" + ctx.pathParam("file")));
    }

    /** The security headers every console answer carries. */
    static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private void page(Context ctx, String file) {
        secure(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(TYPES.get("html")).result(read("console/" + file));
    }

    private void asset(Context ctx, String name) {
        if (!ASSET.matcher(name).matches()) {
            notFound(ctx);
            return;
        }
        asset(ctx, "console/" + name, name);
    }

    private void asset(Context ctx, String resource, String name) {
        byte[] body = read(resource);
        if (body == null) {
            notFound(ctx);
            return;
        }
        secure(ctx);
        ctx.header("Cache-Control", "no-cache"); // revalidated: a new hub version brings new scripts
        ctx.contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1))).result(body);
    }

    private static void notFound(Context ctx) {
        io.gridsync.server.admin.AdminJson.error(ctx, 404, "no such console file: " + ctx.path() + "; the console starts at /");
    }

    private byte[] read(String resource) {
        return cache.computeIfAbsent(resource, r -> {
            try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream(r)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
