package com.airtableintegrity.boot.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/** An API key: presented (unauthenticated, holding the key) or accepted (holding only the key's name and role). */
final class ApiKeyToken extends AbstractAuthenticationToken {
    private final String name;
    private transient String presentedKey;

    private ApiKeyToken(String name, String presentedKey, List<GrantedAuthority> authorities) {
        super(authorities);
        this.name = name;
        this.presentedKey = presentedKey;
        setAuthenticated(!authorities.isEmpty());
    }

    static ApiKeyToken presented(String key) {
        return new ApiKeyToken("api-key", key, List.of());
    }

    static ApiKeyToken accepted(SecuritySettings.Credential key) {
        return new ApiKeyToken(key.name(), null, key.role().authorities());
    }

    String presentedKey() {
        return presentedKey;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public void eraseCredentials() {
        presentedKey = null;
        super.eraseCredentials();
    }
}
