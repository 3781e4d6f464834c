package com.airtableintegrity.boot;

import java.io.IOException;

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
 * as the bytes read. A POST whose body is not {@code application/json} answers 415 without being read.
 * After a 413 Tomcat closes the connection without reading the rest of the body (no {@code Connection: close} is set
 * here: on a connection already marked to close, Tomcat would first drain up to its max-swallow-size).
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {
    private final int maxBytes;

    public RequestBodyLimitFilter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        boolean unknownLength = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (declared > maxBytes) {
            refuseTooLarge(request, response);
            return;
        }
        boolean hasBody = declared > 0 || unknownLength;
        if (hasBody && "POST".equals(request.getMethod()) && !isJson(request.getContentType())) {
            String type = request.getContentType() == null ? "" : request.getContentType();
            JsonErrorWriter.write(request, response, ApiError.of(415,
                    "The request body must be application/json, was '" + type + "'", request.getRequestURI()), null);
            return;
        }
        if (!unknownLength) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            refuseTooLarge(request, response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private void refuseTooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonErrorWriter.write(request, response, ApiError.of(413, "The request body is larger than the limit of "
                + maxBytes + " bytes", request.getRequestURI()), null);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
