package dev.sluice.http.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * An error the client gets as {@code {"error": {"code", "message"}}} with an HTTP status. Kafka's exceptions map to
 * the status a REST user expects; anything else is a 500 whose details stay in the server log.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    /** More fields of the error object, for a client to act on (which step of a pipeline); null for none. */
    private final com.fasterxml.jackson.databind.node.ObjectNode details;

    ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    ApiError(int status, String code, String message, com.fasterxml.jackson.databind.node.ObjectNode details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    com.fasterxml.jackson.databind.node.ObjectNode details() {
        return details;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message);
    }

    static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message);
    }

    /** The error to answer for a failure, unwrapping futures' wrappers. */
    static ApiError from(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof UnknownTopicOrPartitionException || e instanceof UnknownTopicIdException) {
            return new ApiError(404, "topic_not_found", e.getMessage());
        }
        if (e instanceof GroupIdNotFoundException) {
            return new ApiError(404, "group_not_found", e.getMessage());
        }
        if (e instanceof TopicExistsException) {
            return new ApiError(409, "topic_exists", e.getMessage());
        }
        if (e instanceof GroupNotEmptyException || e instanceof UnknownMemberIdException) {
            return new ApiError(409, "group_not_empty", "the group has active members; stop them first");
        }
        if (e instanceof InvalidTopicException || e instanceof InvalidPartitionsException
                || e instanceof InvalidConfigurationException || e instanceof InvalidReplicationFactorException
                || e instanceof InvalidRequestException || e instanceof PolicyViolationException
                || e instanceof IllegalArgumentException) {
            return new ApiError(400, "bad_request", e.getMessage());
        }
        if (e instanceof RecordTooLargeException) {
            return new ApiError(413, "too_large", e.getMessage());
        }
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            return new ApiError(503, "broker_denied", "the broker refused Sluice's own client: " + e.getMessage());
        }
        if (e instanceof org.apache.kafka.common.errors.BrokerNotAvailableException) {
            return new ApiError(503, "broker_unavailable", e.getMessage());
        }
        if (e instanceof TimeoutException) {
            return new ApiError(503, "broker_unavailable", "the broker did not answer in time: " + e.getMessage());
        }
        return new ApiError(500, "internal", "internal error");
    }
}
