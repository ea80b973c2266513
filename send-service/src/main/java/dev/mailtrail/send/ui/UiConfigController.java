package dev.mailtrail.send.ui;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the timeline page at {@code /} may show: the "send a test email" form only where
 * {@code MAILTRAIL_UI_DEV_TOOLS} is on (the local stack), never in production. Holds no secret.
 */
@RestController
class UiConfigController {

    private final boolean devTools;
    private final String tenant;

    UiConfigController(UiProperties properties) {
        this.devTools = properties.devTools();
        this.tenant = properties.defaultTenant();
    }

    @GetMapping("/ui/config")
    @Operation(summary = "Settings of the bundled timeline page")
    @ApiResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = "application/json",
                            examples = @ExampleObject(value = "{\"devTools\":true,\"tenant\":\"demo\"}")))
    Map<String, Object> config() {
        return Map.of("devTools", devTools, "tenant", tenant);
    }
}
