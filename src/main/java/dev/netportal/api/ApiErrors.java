package dev.netportal.api;

import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.limits.RateLimits;
import io.r2dbc.spi.R2dbcTransientException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.r2dbc.UncategorizedR2dbcException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * The one place where every API error becomes RFC 9457 problem details: domain refusals, malformed requests,
 * unknown paths, missing or refused tokens, requests the security firewall rejects (an encoded slash or NUL in the
 * path, say) and unexpected failures (logged, answered without internals).
 * The {@code type} is a stable URI ending in the refusal's code (see {@link dev.netportal.common.Refusal}).
 */
@Component
@Order(-2) // before Spring Boot's default error handler
class ApiErrors implements ErrorWebExceptionHandler, ServerAuthenticationEntryPoint, ServerAccessDeniedHandler,
        ServerExchangeRejectedHandler {

    static final String TYPE_BASE = "https://netportal.dev/errors/";

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final ServerResponse.Context responseContext;

    ApiErrors(ServerCodecConfigurer codecs) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.responseContext = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return HandlerStrategies.empty().build().viewResolvers();
            }
        };
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        return write(exchange, problem(error, exchange));
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException error) {
        return write(exchange, problem(error, exchange));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException error) {
        return write(exchange, problem(error, exchange));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException error) {
        return write(exchange, problem(error, exchange));
    }

    private ProblemDetail problem(Throwable error, ServerWebExchange exchange) {
        ProblemDetail problem = switch (error) {
            case DomainException domain -> domain(domain);
            case WebExchangeBindException invalid -> invalidFields(invalid.getFieldErrors().stream()
                    .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage()))).toList());
            case HandlerMethodValidationException invalid -> invalidFields(fieldErrors(invalid));
            case ConcurrencyFailureException concurrent -> of(HttpStatus.CONFLICT, "concurrent-change", "Conflict",
                    "Another change to the same objects was made at the same moment; nothing was changed. Send the request again.");
            // a deadlock or serialization failure the database reported as such (not translated by Spring R2DBC)
            case UncategorizedR2dbcException uncategorized when uncategorized.getCause() instanceof R2dbcTransientException -> {
                log.warn("Transient database failure on {} {} (request {}): {}", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(), exchange.getRequest().getId(), uncategorized.getCause().getMessage());
                yield of(HttpStatus.CONFLICT, "concurrent-change", "Conflict",
                        "Another change to the same objects was made at the same moment; nothing was changed. Send the request again.");
            }
            case DataIntegrityViolationException violation -> {
                // the schema's guarantees (unique keys, exclusion constraints) caught what the services did not
                log.warn("Constraint violation on {} {} (request {}): {}", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(), exchange.getRequest().getId(), violation.getMostSpecificCause().getMessage());
                yield of(HttpStatus.CONFLICT, "conflict", "Conflict",
                        "The request conflicts with the current state (another change came first); nothing was changed. "
                                + "Reload and try again.");
            }
            case ServerExchangeRejectedException rejected -> of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                    rejected.getMessage() + ".");
            case ServerWebInputException input when field(input) instanceof DatabindException unreadable -> {
                String field = path(unreadable);
                String message = NulFreeText.MESSAGE.equals(unreadable.getOriginalMessage()) ? NulFreeText.MESSAGE
                        : "has the wrong type or format";
                ProblemDetail p = of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                        "The request could not be read: " + field + " " + message + ".");
                p.setProperty("errors", List.of(Map.of("field", field, "message", message)));
                yield p;
            }
            case ServerWebInputException input -> of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                    "The request could not be read: " + input.getReason() + ".");
            case ResponseStatusException status -> ofStatus(status.getStatusCode(), status.getReason());
            case OAuth2AuthenticationException refused -> of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "The bearer token was refused: " + describe(refused) + ".");
            case AuthenticationException missing -> of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "This request needs a bearer token from the Netportal sign-in (see the README).");
            case AccessDeniedException denied -> of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "You are not allowed to do this.");
            default -> {
                log.error("Unexpected error on {} {} (request {})", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(), exchange.getRequest().getId(), error);
                yield of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                        "Something went wrong on our side; nothing was changed. Quote request id "
                                + exchange.getRequest().getId() + " when you report it.");
            }
        };
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        problem.setProperty("requestId", exchange.getRequest().getId());
        return problem;
    }

    /** 400 naming each invalid field and what is wrong with it (e.g. its largest size, V2). */
    private static ProblemDetail invalidFields(List<Map<String, String>> errors) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
                "The request has invalid fields: " + errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList() + ".");
        problem.setProperty("errors", errors);
        return problem;
    }

    /** The invalid fields of a body and the invalid parameters, by the names the caller used. */
    private static List<Map<String, String>> fieldErrors(HandlerMethodValidationException invalid) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (ParameterValidationResult result : invalid.getParameterValidationResults()) {
            if (result instanceof ParameterErrors body) {
                body.getFieldErrors().forEach(f -> errors.add(Map.of("field", f.getField(),
                        "message", String.valueOf(f.getDefaultMessage()))));
                continue;
            }
            RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
            String name = param != null && !param.name().isEmpty() ? param.name() : result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(e -> errors.add(Map.of("field", String.valueOf(name),
                    "message", String.valueOf(e.getDefaultMessage()))));
        }
        return errors;
    }

    /** The JSON mapping error behind an unreadable body when it names a field, else null. */
    private static DatabindException field(ServerWebInputException input) {
        for (Throwable cause = input.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
                return databind;
            }
        }
        return null;
    }

    /** The field as clients name it: {@code networks[0].network}. */
    private static String path(DatabindException error) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference step : error.getPath()) {
            if (step.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(step.getPropertyName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A refusal of the catalogue: its status and code; the title says the kind, or the rule. */
    private static ProblemDetail domain(DomainException error) {
        Refusal refusal = error.refusal();
        String title = switch (refusal.kind()) {
            case NOT_FOUND -> "Not found";
            case FORBIDDEN -> "Forbidden";
            case CONFLICT -> "Conflict";
            case INVALID -> "Invalid request";
            case RULE -> "Refused by rule " + refusal.code();
        };
        ProblemDetail problem = of(HttpStatusCode.valueOf(refusal.status()), refusal.code(), title, error.getMessage());
        return problem;
    }

    private static ProblemDetail ofStatus(HttpStatusCode code, String reason) {
        HttpStatus status = HttpStatus.resolve(code.value());
        String title = status == null ? "Error " + code.value() : status.getReasonPhrase();
        String name = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        String detail = switch (code.value()) {
            case 404 -> "There is no such resource. The API lives under /api/v1 (see /v3/api-docs).";
            case 405 -> "This resource does not support that method.";
            default -> reason == null ? title + "." : reason;
        };
        return of(code, name, title, detail);
    }

    private static ProblemDetail of(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code));
        problem.setTitle(title);
        return problem;
    }

    private static String describe(OAuth2AuthenticationException refused) {
        String description = refused.getError().getDescription();
        return description == null || description.isBlank() ? refused.getError().getErrorCode() : description;
    }

    /** 429: a rate limit refused the request before any work; {@code Retry-After} says when to send it again. */
    Mono<Void> tooManyRequests(ServerWebExchange exchange, RateLimits.Decision decision) {
        ProblemDetail problem = of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", decision.message());
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        problem.setProperty("requestId", exchange.getRequest().getId());
        problem.setProperty("retryAfterSeconds", decision.retryAfterSeconds());
        return write(exchange, problem);
    }

    private Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
        HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .headers(headers -> {
                    if (status.value() == 401) {
                        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                    }
                    if (problem.getProperties() != null && problem.getProperties().get("retryAfterSeconds") instanceof Long seconds) {
                        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                    }
                })
                .bodyValue(problem)
                .flatMap(response -> response.writeTo(exchange, responseContext));
    }
}
