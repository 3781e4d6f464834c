package com.airtableintegrity.boot;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import com.airtableintegrity.api.ApiError;

/**
 * Tomcat's error report for errors decided before Spring sees the request (an encoded slash the connector refuses,
 * a request line or headers over the limit, ...): an {@link ApiError} in JSON instead of Tomcat's HTML page,
 * logged once. Installed as the Host's {@code errorReportValveClass} by {@link HttpHardeningConfiguration}.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    /** The message of a 4xx whose reason only the container knows. */
    static String clientErrorMessage(String containerMessage) {
        return "The request could not be processed"
                + (containerMessage == null || containerMessage.isBlank() ? "" : ": " + containerMessage);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String path = request.getRequestURI() != null ? request.getRequestURI()
                : request.getCoyoteRequest().requestURI().toString();
        String reason = response.getMessage() != null || throwable == null ? response.getMessage()
                : throwable.getMessage();
        ApiError error = ApiError.of(status, status >= 500 ? ApiError.INTERNAL_MESSAGE : clientErrorMessage(reason),
                path == null ? "" : path);
        error.log(request.getMethod(), throwable);
        try {
            response.setContentType(ApiError.CONTENT_TYPE);
            response.setCharacterEncoding("utf-8");
            SecurityHeaders.setOn(response::setHeader);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(error.toJson());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer is committed: nothing more to say
        }
    }
}
