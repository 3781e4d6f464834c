package com.airtableintegrity.quarkus;

import com.airtableintegrity.api.ApiError;
import com.airtableintegrity.api.LocalCallers;

import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The HTTP server listens on loopback only ({@link LoopbackOnly}) and every caller may operate, so on every path
 * (the REST API and /q/health), before any other handler reads the request, only local callers are answered, as
 * {@link LocalCallers} decides: 421 for a request named to another host (DNS rebinding), 403 for a write from another
 * site's page, in the JSON error shape. Its observer runs first, so its route comes before
 * {@link JsonRouterErrors}' screen of the same order.
 */
@ApplicationScoped
public class LocalCallersOnly {
    void install(@Observes @Priority(1) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(LocalCallersOnly::screen);
    }

    private static void screen(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        ApiError refusal = LocalCallers.refusal(ctx.request().method().name(),
                authority == null ? null : authority.host(), ctx.request().getHeader("Sec-Fetch-Site"),
                ctx.request().getHeader("Origin"), ctx.request().path());
        if (refusal != null) {
            JsonRouterErrors.answer(ctx, refusal);
            return;
        }
        ctx.next();
    }
}
