package com.airtableintegrity.boot;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who writes an answer: a filter just inside the request id (so outside Spring Security and everything else) that
 * records each status or header written by the request's own container thread after the request went async, that
 * is, after the answer was handed to the thread that writes it. Each such write races with that thread.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AnswerWriters {
    private final List<String> writesAfterHandOver = new CopyOnWriteArrayList<>();

    /** "request-id what by whom (first frame outside the servlet wrappers)", one per write after the hand-over. */
    public List<String> writesAfterHandOver() {
        return writesAfterHandOver;
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> answerWritersFilter() {
        return HttpHardeningConfiguration.onEveryPath(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                chain.doFilter(request, new Watched(request, response, Thread.currentThread()));
            }
        }, Ordered.HIGHEST_PRECEDENCE + 1);
    }

    private final class Watched extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        private final Thread own;

        Watched(HttpServletRequest request, HttpServletResponse response, Thread own) {
            super(response);
            this.request = request;
            this.own = own;
        }

        private void check(String what) {
            if (Thread.currentThread() == own && request.isAsyncStarted()) {
                writesAfterHandOver.add(request.getHeader(RequestIdFilter.HEADER) + " " + what + " by "
                        + own.getName() + " at " + caller());
            }
        }

        private static String caller() {
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                String type = frame.getClassName();
                if (!type.startsWith(AnswerWriters.class.getName()) && !type.startsWith("jakarta.servlet")
                        && !type.contains("Firewalled") && !type.contains("ResponseWrapper")) {
                    return frame.toString();
                }
            }
            return "?";
        }

        @Override
        public void setStatus(int sc) {
            check("setStatus " + sc);
            super.setStatus(sc);
        }

        @Override
        public void setHeader(String name, String value) {
            check("setHeader " + name);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            check("addHeader " + name);
            super.addHeader(name, value);
        }

        @Override
        public void setIntHeader(String name, int value) {
            check("setIntHeader " + name);
            super.setIntHeader(name, value);
        }

        @Override
        public void setDateHeader(String name, long date) {
            check("setDateHeader " + name);
            super.setDateHeader(name, date);
        }

        @Override
        public void setContentType(String type) {
            check("setContentType");
            super.setContentType(type);
        }
    }
}
