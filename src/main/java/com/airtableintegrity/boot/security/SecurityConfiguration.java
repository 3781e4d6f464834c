package com.airtableintegrity.boot.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

import com.airtableintegrity.api.ApiError;
import com.airtableintegrity.boot.HttpHardeningConfiguration;
import com.airtableintegrity.boot.JsonErrorWriter;
import com.airtableintegrity.boot.SecurityHeaders;

/**
 * Who may do what over HTTP (Spring Security). Two filter chains:
 * <ul>
 *   <li>{@code /api/**} and {@code /actuator/**}: stateless, {@code Authorization: Bearer <api key>}; no session, so
 *   no CSRF. Viewers may GET; every other method needs operator, and so does every actuator endpoint except
 *   {@code /actuator/health/liveness} and {@code readiness}, open to orchestrators. 401/403 in the JSON error
 *   shape.</li>
 *   <li>everything else (the console): a login form with a session; CSRF tokens on every state-changing form;
 *   GET for viewers, POST for operators; security headers (CSP, frame-ancestors, nosniff).</li>
 * </ul>
 * With no users and no API keys configured, every caller is an anonymous operator; {@link LoopbackOnlyBinding} then
 * keeps the server on 127.0.0.1. Failed logins and rejected keys are logged (name and address, never the password
 * or key) and limited per address ({@link LoginThrottle}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String VIEWER = "VIEWER";
    private static final String OPERATOR = "OPERATOR";
    @Bean
    SecuritySettings.Credentials integrityCredentials(SecuritySettings settings) {
        return settings.credentials();
    }

    @Bean
    LoginThrottle loginThrottle(SecuritySettings.Credentials credentials) {
        return new LoginThrottle(credentials.loginFailuresPerMinute(), Clock.systemUTC());
    }

    @Bean
    LoopbackOnlyBinding loopbackOnlyBinding(SecuritySettings.Credentials credentials,
                                            org.springframework.core.env.Environment environment) {
        return new LoopbackOnlyBinding(credentials, environment);
    }

    /** On a loopback address, only local callers are answered ({@link LoopbackRequests}). */
    @Bean
    FilterRegistrationBean<LoopbackRequests> loopbackRequests(LoopbackOnlyBinding binding) {
        FilterRegistrationBean<LoopbackRequests> registration =
                HttpHardeningConfiguration.onEveryPath(new LoopbackRequests(), Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setEnabled(binding.loopbackOnly());
        return registration;
    }

    /**
     * A request Spring Security's firewall refuses (a path with {@code ..}, {@code //}, {@code ;} or an encoded
     * slash, that could address something other than what it names) is answered 400 in the JSON error shape with
     * the firewall's reason.
     */
    @Bean
    RequestRejectedHandler jsonRequestRejected() {
        return (request, response, rejected) -> JsonErrorWriter.write(request, response, ApiError.of(400,
                rejected.getMessage(), request.getRequestURI()), null);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /** The console's users, with their bcrypt hashes as configured. */
    @Bean
    UserDetailsService integrityUsers(SecuritySettings.Credentials credentials) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (SecuritySettings.Credential user : credentials.users()) {
            users.createUser(User.withUsername(user.name()).password(user.hash())
                    .authorities(user.role().authorities()).build());
        }
        return users;
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, SecuritySettings.Credentials credentials,
                                    LoginThrottle throttle) throws Exception {
        AuthenticationFilter apiKeys = new AuthenticationFilter(
                new ApiKeyAuthenticator(credentials.apiKeys()), ApiKeyAuthenticator::presented);
        apiKeys.setFailureHandler(new AuthenticationEntryPointFailureHandler((request, response, failure) -> {
            // a valid key is never refused; wrong ones from one address are answered 429 past the limit
            String key = "api-key " + request.getRemoteAddr();
            Duration refused = throttle.refusedFor(key);
            throttle.failed(key);
            LOG.warn("Rejected an unknown API key from {} for {} {}", request.getRemoteAddr(), request.getMethod(),
                    request.getRequestURI());
            if (refused.isZero()) {
                unauthorized(request, response, failure);
            } else {
                tooManyFailures(request, response, refused, "Too many rejected API keys from this address");
            }
        }));
        apiKeys.setSuccessHandler((request, response, authentication) -> { });
        http.securityMatcher("/api/**", "/actuator/**")
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(apiKeys, UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers("/actuator/**").hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(VIEWER, OPERATOR)
                        .anyRequest().hasRole(OPERATOR))
                .exceptionHandling(e -> e.authenticationEntryPoint(SecurityConfiguration::unauthorized)
                        .accessDeniedHandler(forbidden()));
        anonymousOperatorWhenNoCredentials(http, credentials);
        headers(http);
        http.headers(h -> h.addObjectPostProcessor(headersBeforeTheAnswer()));
        return http.build();
    }

    /**
     * The security headers of an API answer are set before the request goes on, not after its filter chain returns
     * (Spring Security's default): camel-platform-http writes the answer on another thread (Spring MVC's async
     * handling), and the request's own thread setting headers while that thread writes the same response corrupted
     * Tomcat's header array (an NPE in {@code MimeHeaders}, the connection dropped) or lost the headers.
     */
    private static ObjectPostProcessor<HeaderWriterFilter> headersBeforeTheAnswer() {
        return new ObjectPostProcessor<>() {
            @Override
            public <F extends HeaderWriterFilter> F postProcess(F filter) {
                filter.setShouldWriteHeadersEagerly(true);
                return filter;
            }
        };
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleSecurity(HttpSecurity http, SecuritySettings.Credentials credentials,
                                        LoginThrottle throttle) throws Exception {
        HttpSessionRequestCache pageBeforeLogin = pageBeforeLogin();
        SavedRequestAwareAuthenticationSuccessHandler toPageBeforeLogin =
                new SavedRequestAwareAuthenticationSuccessHandler();
        toPageBeforeLogin.setRequestCache(pageBeforeLogin);
        http.addFilterBefore(new ThrottledAttemptsFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(SecurityConfiguration::csrfTokenBeforeRendering, CsrfFilter.class)
                .requestCache(cache -> cache.requestCache(pageBeforeLogin))
                .formLogin(form -> form.loginPage("/login").permitAll()
                        .successHandler((request, response, authentication) -> {
                            throttle.succeeded(ThrottledAttemptsFilter.loginKey(request));
                            toPageBeforeLogin.onAuthenticationSuccess(request, response, authentication);
                        })
                        .failureHandler((request, response, failure) -> {
                            // counted before the password was checked (ThrottledAttemptsFilter)
                            LOG.warn("Failed login for user '{}' from {}", userName(request),
                                    request.getRemoteAddr());
                            response.sendRedirect(request.getContextPath() + "/login?error");
                        }))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/error", "/favicon.ico", "/console/**").permitAll()
                        // the schedule editor's forms change schedules: operators only, even to look at
                        .requestMatchers("/schedules/new", "/schedules/*/edit", "/schedules/*/delete")
                        .hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/**").hasAnyRole(VIEWER, OPERATOR)
                        .anyRequest().hasRole(OPERATOR))
                .exceptionHandling(e -> e.accessDeniedHandler(forbidden()));
        anonymousOperatorWhenNoCredentials(http, credentials);
        headers(http);
        return http.build();
    }

    /**
     * Returns to the page asked for before the login form as it was: Spring Security would add {@code ?continue},
     * which the console's pages refuse as an unknown parameter (found by the browser test).
     */
    private static HttpSessionRequestCache pageBeforeLogin() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setMatchingRequestParameterName(null);
        return cache;
    }

    /**
     * Loads the request's CSRF token (and so the session holding it) before a page is rendered: Spring Security
     * defers it until a form asks, and a page long enough to have been sent in part by then can no longer create
     * the session ("Cannot create a session after the response has been committed").
     */
    private static void csrfTokenBeforeRendering(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
        chain.doFilter(request, response);
    }

    private static void anonymousOperatorWhenNoCredentials(HttpSecurity http,
                                                           SecuritySettings.Credentials credentials)
            throws Exception {
        if (credentials.none()) {
            http.anonymous(a -> a.principal("local").authorities(Role.OPERATOR.authorities()));
        }
    }

    private static void headers(HttpSecurity http) throws Exception {
        http.headers(h -> h
                .contentSecurityPolicy(csp -> csp.policyDirectives(SecurityHeaders.CONTENT_SECURITY_POLICY))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .contentTypeOptions(Customizer.withDefaults())
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
    }

    private static String userName(HttpServletRequest request) {
        String name = request.getParameter("username");
        if (name == null) {
            return "";
        }
        String printable = name.replaceAll("[^\\p{Graph} ]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
    }

    /** 429 with {@code Retry-After}: {@code what}, and when to try again. */
    static void tooManyFailures(HttpServletRequest request, HttpServletResponse response, Duration refused,
                                String what) throws IOException {
        long seconds = Math.max(1, (refused.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        JsonErrorWriter.write(request, response, ApiError.of(429, what + "; try again in " + seconds + " s",
                request.getRequestURI()), null);
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
                                     AuthenticationException failure) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        String message = ApiKeyAuthenticator.presented(request) == null
                ? "Authentication required: send Authorization: Bearer <api key>"
                : "The API key is not valid";
        JsonErrorWriter.write(request, response, ApiError.of(401, message, request.getRequestURI()), null);
    }

    private static AccessDeniedHandler forbidden() {
        return (request, response, denied) -> {
            String message = denied instanceof CsrfException
                    ? "Missing or invalid CSRF token: reload the page and submit the form again"
                    : "Forbidden: this needs the operator role";
            JsonErrorWriter.write(request, response, ApiError.of(403, message, request.getRequestURI()), null);
        };
    }
}
