package com.airtableintegrity.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

import com.airtableintegrity.api.ApiError;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code GET} and {@code POST /api/demo/fault} (route file {@code routes-demo/demo-fault.camel.yaml}): reads or
 * switches the sample base's fault, body {@code {"fault":"hang:Orders"}} with the syntax of {@code DEMO_FAULT}. The
 * security of every {@code /api} path applies: an API key, and the operator role to switch.
 */
public final class DemoFaultApi {
    private final DemoFaults faults;

    DemoFaultApi(DemoFaults faults) {
        this.faults = faults;
    }

    /** The fault now played. */
    public Map<String, Object> get() {
        return answer(faults.current());
    }

    /** Switches the fault; 400 in the API's error shape for a body that is not a fault. */
    public Object set(Exchange exchange) {
        JsonNode body = exchange.getMessage().getBody(JsonNode.class);
        JsonNode fault = body == null ? null : body.get("fault");
        try {
            if (fault == null || !fault.isTextual()) {
                throw new IllegalArgumentException("The body must be {\"fault\": \"none\" | \"hang:<table>\" | "
                        + "\"drip:<table>\" | \"503:<table>\"}");
            }
            return answer(faults.set(faults.parse(fault.textValue())));
        } catch (IllegalArgumentException e) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, ApiError.CONTENT_TYPE);
            return ApiError.of(400, e.getMessage(), "/api/demo/fault").toJson();
        }
    }

    private static Map<String, Object> answer(DemoFaults.Fault fault) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fault", fault.toString());
        m.put("mode", fault.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("table", fault.table());
        return m;
    }
}
