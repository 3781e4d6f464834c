package com.airtableintegrity.boot;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import com.airtableintegrity.api.ApiError;

/**
 * Spring MVC's error page ({@code /error}, in place of Spring Boot's BasicErrorController and its whitelabel HTML):
 * whatever the Accept header, every error Spring MVC or the servlet container forwards here (no such endpoint,
 * method not allowed, not acceptable, ...) is answered as an {@link ApiError} in JSON, logged once.
 */
@Controller
public class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 404;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s ? s : request.getRequestURI();
        Throwable cause = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String requestId = response.getHeader(RequestIdFilter.HEADER);
        response.reset(); // what was set before the error (the request id too) is gone: set it again
        if (requestId != null) {
            response.setHeader(RequestIdFilter.HEADER, requestId);
        }
        JsonErrorWriter.write(request, response, ApiError.of(status, message(request, status, path), path), cause);
    }

    private static String message(HttpServletRequest request, int status, String path) {
        return switch (status) {
            case 404 -> "No endpoint " + OriginalMethod.of(request) + " " + path;
            case 405 -> "Method " + OriginalMethod.of(request) + " is not allowed on " + path;
            case 406 -> "This API answers application/json only; the Accept header '" + header(request, "Accept")
                    + "' does not allow it";
            case 415 -> "The request body must be application/json, was '" + header(request, "Content-Type") + "'";
            default -> status >= 500 ? ApiError.INTERNAL_MESSAGE : JsonErrorReportValve.clientErrorMessage(
                    (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE));
        };
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        return value == null ? "" : value;
    }
}
