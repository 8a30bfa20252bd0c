package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpHeaders;

/** A successful (2xx) answer: status, parsed JSON body (a MissingNode when empty) and headers. */
public record SendGridResponse(int status, JsonNode body, HttpHeaders headers) {
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
