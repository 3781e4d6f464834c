package com.airtableintegrity.boot.security;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's login form ({@code templates/login.html}); Spring Security handles its POST. */
@Controller
class LoginPage {
    @GetMapping("/login")
    String login() {
        return "login";
    }
}
