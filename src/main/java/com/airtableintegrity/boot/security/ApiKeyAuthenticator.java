package com.airtableintegrity.boot.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Checks {@code Authorization: Bearer <key>} against the configured SHA-256 hashes of the API keys. A fast hash is
 * enough here, unlike for passwords: keys are 256-bit random values ({@code new-api-key}), so no dictionary or brute
 * force applies; every configured hash is compared in constant time. Spring Security's bearer-token support lives in
 * its OAuth2 resource server (JWTs or token introspection), which has no notion of a static key list.
 */
final class ApiKeyAuthenticator implements AuthenticationManager {
    private static final String BEARER = "Bearer ";

    private final List<SecuritySettings.Credential> keys;
    private final List<byte[]> hashes;

    ApiKeyAuthenticator(List<SecuritySettings.Credential> keys) {
        this.keys = List.copyOf(keys);
        this.hashes = keys.stream().map(k -> HexFormat.of().parseHex(k.hash().toLowerCase())).toList();
    }

    /** The presented key of a request, or {@code null} when it has no bearer {@code Authorization} header. */
    static ApiKeyToken presented(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return ApiKeyToken.presented(header.substring(BEARER.length()).trim());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String key = ((ApiKeyToken) authentication).presentedKey();
        byte[] digest = sha256(key == null ? "" : key);
        SecuritySettings.Credential match = null;
        for (int i = 0; i < hashes.size(); i++) {
            if (MessageDigest.isEqual(digest, hashes.get(i))) {
                match = keys.get(i);
            }
        }
        if (match == null) {
            throw new BadCredentialsException("Unknown API key");
        }
        return ApiKeyToken.accepted(match);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
