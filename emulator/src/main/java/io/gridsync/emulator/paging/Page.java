package io.gridsync.emulator.paging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One page of items kept in creation order, and the {@code _metadata} SendGrid answers with it:
 * {@code self}, {@code next} only when a next page exists, {@code prev} only after the first page,
 * and {@code count}, the number of items across all pages.
 *
 * @param items   the items of this page
 * @param nextSeq sequence number the next page starts at, or -1 on the last page
 * @param prevSeq sequence number the previous page starts at, or -1 on the first page
 * @param count   items across all pages
 * @param request the page size and token the page was cut with
 */
public record Page<T>(List<T> items, long nextSeq, long prevSeq, int count, PageRequest request) {

    /** Cuts the page out of {@code ordered}, which must be sorted by ascending {@code seqOf}. */
    public static <T> Page<T> of(List<T> ordered, ToLongFunction<T> seqOf, PageRequest request) {
        int n = ordered.size();
        int start = 0;
        while (start < n && seqOf.applyAsLong(ordered.get(start)) < request.fromSeq()) {
            start++;
        }
        int end = Math.min(n, start + request.size());
        long next = end < n ? seqOf.applyAsLong(ordered.get(end)) : -1;
        long prev = start > 0 && request.token() != null
                ? seqOf.applyAsLong(ordered.get(Math.max(0, start - request.size()))) : -1;
        return new Page<>(List.copyOf(ordered.subList(start, end)), next, prev, n, request);
    }

    /** {@code _metadata} with absolute URLs on the host the request was sent to. */
    public ObjectNode metadata(Context ctx) {
        ObjectNode m = Json.object();
        m.put("self", url(ctx, request.token()));
        if (prevSeq >= 0) {
            m.put("prev", url(ctx, PageToken.encode(prevSeq)));
        }
        if (nextSeq >= 0) {
            m.put("next", url(ctx, PageToken.encode(nextSeq)));
        }
        m.put("count", count);
        return m;
    }

    /** The request's URL with its own query parameters, then page_size and (when not first) page_token. */
    private String url(Context ctx, String token) {
        StringBuilder sb = new StringBuilder(Links.absolute(ctx, ctx.path())).append('?');
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (e.getKey().equals("page_size") || e.getKey().equals("page_token")) {
                continue;
            }
            for (String v : e.getValue()) {
                sb.append(enc(e.getKey())).append('=').append(enc(v)).append('&');
            }
        }
        sb.append("page_size=").append(request.size());
        if (token != null) {
            sb.append("&page_token=").append(enc(token));
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
