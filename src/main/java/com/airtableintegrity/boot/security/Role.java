package com.airtableintegrity.boot.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

/** Who may do what: a viewer reads (the page and GET API), an operator also starts, cancels and changes schedules. */
public enum Role {
    VIEWER("ROLE_VIEWER"),
    OPERATOR("ROLE_VIEWER", "ROLE_OPERATOR");

    private final List<GrantedAuthority> authorities;

    Role(String... authorities) {
        this.authorities = List.copyOf(AuthorityUtils.createAuthorityList(authorities));
    }

    /** The authorities of this role: an operator is a viewer too. */
    public List<GrantedAuthority> authorities() {
        return authorities;
    }

    /** The role named {@code name} (case-insensitive), or {@code null}. */
    static Role named(String name) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name)) {
                return role;
            }
        }
        return null;
    }

    static String allowed() {
        return Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
