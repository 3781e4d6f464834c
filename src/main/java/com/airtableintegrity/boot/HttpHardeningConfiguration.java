package com.airtableintegrity.boot;

import jakarta.servlet.Filter;

import org.apache.catalina.Host;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import com.airtableintegrity.config.IntegrityProperties;

/**
 * The HTTP server's guards on Spring Boot: an {@code X-Request-Id} on every answer ({@link RequestIdFilter}, first),
 * the request body cap (before any other filter), and JSON error answers
 * from Tomcat's own error report ({@link JsonErrorReportValve}); {@link JsonErrorController} answers Spring MVC's
 * errors.
 */
@Configuration(proxyBeanMethods = false)
public class HttpHardeningConfiguration {

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(IntegrityProperties props) {
        return onEveryPath(new RequestBodyLimitFilter(props.getApi().getMaxBodyBytes(),
                props.getApi().getMaxScheduleBodyBytes()), Ordered.HIGHEST_PRECEDENCE + 1);
    }

    @Bean
    FilterRegistrationBean<OriginalMethod> originalMethod() {
        return onEveryPath(new OriginalMethod(), Ordered.HIGHEST_PRECEDENCE + 1);
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        return onEveryPath(new RequestIdFilter(), Ordered.HIGHEST_PRECEDENCE);
    }

    /** {@code filter} on every path, at {@code order} among the servlet filters. */
    public static <F extends Filter> FilterRegistrationBean<F> onEveryPath(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        registration.setOrder(order);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcatErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            if (host instanceof StandardHost standardHost) {
                standardHost.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
