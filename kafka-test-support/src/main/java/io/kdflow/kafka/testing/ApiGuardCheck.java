package io.kdflow.kafka.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;

/**
 * The bad-input matrix's REST rows, the same for every service (its test profile sets {@code kdflow.api.token} to
 * {@value #TOKEN} and {@code kdflow.api.max-body-bytes} to 4096): probes and metrics answer without the token, the
 * service's own routes answer 401 JSON without it or with a wrong one, and 413 JSON to an oversized body.
 */
public final class ApiGuardCheck {

    /** The token of the services' test profiles. */
    public static final String TOKEN = "test-token";

    private ApiGuardCheck() {}

    /** Runs every row against the Quarkus test server RestAssured points at, then checks it still serves. */
    public static void assertGuarded() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/v1/anything").then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("Authorization: missing (this API needs a bearer token)"))
                .body("status", equalTo(401));
        given().header("Authorization", "Bearer nope").get("/v1/anything").then().statusCode(401)
                .body("error", equalTo("Authorization: wrong bearer token"));
        given().header("Authorization", "Bearer " + TOKEN).get("/v1/anything").then().statusCode(404);
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body("x".repeat(5000))
                .post("/v1/anything").then().statusCode(413).contentType(ContentType.JSON)
                .body("error", equalTo("body: 5000 bytes is larger than 4096 bytes (kdflow.api.max-body-bytes)"));
        given().get("/q/health/live").then().statusCode(200); // still serving
    }
}
