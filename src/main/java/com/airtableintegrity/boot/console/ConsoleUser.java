package com.airtableintegrity.boot.console;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Who is looking, for every console page: {@code user} (the signed-in name, or {@code null} for the local caller
 * when no credentials are configured) and {@code operator} (whether the page offers Cancel, Enable/Disable and Run
 * now; the security configuration refuses those posts to viewers anyway).
 */
@ControllerAdvice(basePackageClasses = ConsoleUser.class)
class ConsoleUser {
    @ModelAttribute("operator")
    boolean operator(HttpServletRequest request) {
        return request.isUserInRole("OPERATOR");
    }

    @ModelAttribute("user")
    String user(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }
}
