package dev.helloworld.http.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conventions' examples, and the edges of a query string. */
class QueryRedactionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "sig=abc|sig=REDACTED",
        "q=OpenTelemetry&sig=abc|q=OpenTelemetry&sig=REDACTED",
        "AWSAccessKeyId=AKIA&Signature=x%2By&Expires=1|AWSAccessKeyId=REDACTED&Signature=REDACTED&Expires=1",
        "X-Goog-Signature=f00&X-Goog-Date=20260101|X-Goog-Signature=REDACTED&X-Goog-Date=20260101",
        "sig=|sig=REDACTED",
        "sig=a&sig=b|sig=REDACTED&sig=REDACTED",
        "sig|sig",
        "mysig=abc&signature=abc|mysig=abc&signature=abc",
        "a=1&&sig=2&|a=1&&sig=REDACTED&",
    })
    void redactsTheValuesOfTheConventionsSensitiveParametersOnly(String query, String recorded) {
        assertEquals(recorded, QueryRedaction.redact(query));
    }

    @ParameterizedTest
    @CsvSource({"color=red", "page=2&size=10"})
    void leavesAQueryWithoutThemAsItIs(String query) {
        assertSame(query, QueryRedaction.redact(query));
    }
}
