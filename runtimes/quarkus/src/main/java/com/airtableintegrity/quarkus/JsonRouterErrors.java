package com.airtableintegrity.quarkus;

import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.airtableintegrity.api.ApiError;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What Quarkus' HTTP router decides before any Camel route runs, answered in the one JSON shape of every error answer
 * ({@link ApiError}) with its one log line, as Spring Boot's filter and error controller do: unknown path (404), wrong
 * method (405), a body over {@code integrity.api.max-body-bytes} ({@code max-schedule-body-bytes} under
 * {@code /api/schedules}) by its Content-Length, before anything is read (413; a body of unknown length is capped by
 * {@code quarkus.http.limits.max-body-size}), and a POST, PUT or PATCH body that is not application/json (415). The
 * routes' own refusals come from routeConfiguration {@code integrity-api-errors}.
 */
@ApplicationScoped
public class JsonRouterErrors {
    private static final String API = "/api/";
    private static final String SCHEDULES = "/api/schedules";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    void install(@Observes Router router) {
        Config config = ConfigProvider.getConfig();
        int maxBytes = config.getValue("integrity.api.max-body-bytes", Integer.class);
        int maxScheduleBytes = config.getValue("integrity.api.max-schedule-body-bytes", Integer.class);
        router.route(API + "*").order(Integer.MIN_VALUE).handler(ctx -> screen(ctx, maxBytes, maxScheduleBytes));
        router.errorHandler(404, ctx -> answer(ctx, 404, "No endpoint " + method(ctx) + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> answer(ctx, 405, "Method " + method(ctx) + " is not allowed on "
                + ctx.request().path()));
        router.errorHandler(413, ctx -> answer(ctx, 413, tooLarge(cap(ctx, maxBytes, maxScheduleBytes))));
    }

    private static void screen(RoutingContext ctx, int maxBytes, int maxScheduleBytes) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        int cap = cap(ctx, maxBytes, maxScheduleBytes);
        long declared = length == null ? -1 : parse(length);
        if (declared > cap) {
            answer(ctx, 413, tooLarge(cap));
            return;
        }
        boolean hasBody = declared > 0 || ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (hasBody && WRITES.contains(method(ctx)) && !isJson(type)) {
            answer(ctx, 415, "The request body must be application/json, was '" + (type == null ? "" : type) + "'");
            return;
        }
        ctx.next();
    }

    private static int cap(RoutingContext ctx, int maxBytes, int maxScheduleBytes) {
        String path = ctx.request().path();
        return path.equals(SCHEDULES) || path.startsWith(SCHEDULES + "/") ? maxScheduleBytes : maxBytes;
    }

    private static String tooLarge(int cap) {
        return "The request body is larger than the limit of " + cap + " bytes";
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json");
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String method(RoutingContext ctx) {
        return ctx.request().method().name();
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        answer(ctx, ApiError.of(status, message, ctx.request().path()));
    }

    /** {@code error} as the whole answer, after its one log line (unless an answer has already begun). */
    static void answer(RoutingContext ctx, ApiError error) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        error.log(method(ctx), null);
        ctx.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, ApiError.CONTENT_TYPE)
                .end(error.toJson());
    }
}
