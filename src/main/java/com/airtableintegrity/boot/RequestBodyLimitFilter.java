package com.airtableintegrity.boot;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import com.airtableintegrity.api.ApiError;

/**
 * Caps request bodies on every path before anything buffers them: a declared Content-Length above the cap answers
 * 413 at once; a body of unknown length (chunked) is read up to cap + 1 bytes, 413 if there is more, else handed on
 * as the bytes read. The cap is {@code integrity.api.max-body-bytes}, and {@code max-schedule-body-bytes} under
 * {@code /api/schedules}. A POST, PUT or PATCH whose body is not {@code application/json} under {@code /api/}, or
 * not {@code application/x-www-form-urlencoded} elsewhere (the console's forms), answers 415 unread.
 * After a 413 Tomcat closes the connection without reading the rest of the body (no {@code Connection: close} is set
 * here: on a connection already marked to close, Tomcat would first drain up to its max-swallow-size).
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {
    private static final String SCHEDULES = "/api/schedules";
    private static final String API = "/api/";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    private final int maxBytes;
    private final int maxScheduleBytes;

    /** @param maxScheduleBytes the cap under {@value #SCHEDULES}, whose bodies are schedules */
    public RequestBodyLimitFilter(int maxBytes, int maxScheduleBytes) {
        this.maxBytes = maxBytes;
        this.maxScheduleBytes = maxScheduleBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        int cap = uri.equals(SCHEDULES) || uri.startsWith(SCHEDULES + "/") ? maxScheduleBytes : maxBytes;
        long declared = request.getContentLengthLong();
        boolean unknownLength = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (declared > cap) {
            refuseTooLarge(request, response, cap);
            return;
        }
        boolean hasBody = declared > 0 || unknownLength;
        MediaType expected = uri.startsWith(API) ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_FORM_URLENCODED;
        if (hasBody && WRITES.contains(request.getMethod()) && !is(expected, request.getContentType())) {
            String type = request.getContentType() == null ? "" : request.getContentType();
            JsonErrorWriter.write(request, response, ApiError.of(415, "The request body must be " + expected
                    + ", was '" + type + "'", request.getRequestURI()), null);
            return;
        }
        if (!unknownLength) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(cap + 1);
        if (body.length > cap) {
            refuseTooLarge(request, response, cap);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private static void refuseTooLarge(HttpServletRequest request, HttpServletResponse response, int cap)
            throws IOException {
        JsonErrorWriter.write(request, response, ApiError.of(413, "The request body is larger than the limit of "
                + cap + " bytes", request.getRequestURI()), null);
    }

    private static boolean is(MediaType expected, String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return expected.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
