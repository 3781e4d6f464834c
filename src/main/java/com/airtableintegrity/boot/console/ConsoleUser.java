package com.airtableintegrity.boot.console;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Who is looking, for every console page: {@code user} (the signed-in name, or {@code null} for the local caller
 * when no credentials are configured) and {@code operator} (whether the page offers Cancel, Enable/Disable and Run
 * now; the security configuration refuses those posts to viewers anyway). Read from the security context itself:
 * the servlet request's {@code isUserInRole} answers false for the anonymous local operator.
 */
@ControllerAdvice(basePackageClasses = ConsoleUser.class)
class ConsoleUser {
    @ModelAttribute("operator")
    boolean operator() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who != null && who.getAuthorities().stream().anyMatch(a -> "ROLE_OPERATOR".equals(a.getAuthority()));
    }

    @ModelAttribute("user")
    String user() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null || who instanceof AnonymousAuthenticationToken ? null : who.getName();
    }
}
