package dev.sluice.broker.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * AlterUserScramCredentials: upsertions carry what the client derived (salt, iterations, salted password), from
 * which the stored and server keys are computed; deletions name a user and mechanism. Validated as Kafka's
 * controller does: one alteration per user and request (DUPLICATE_RESOURCE), a non-empty name and salt
 * (UNACCEPTABLE_CREDENTIAL), a known mechanism (UNSUPPORTED_SASL_MECHANISM), 4096 to 16384 iterations
 * (UNACCEPTABLE_CREDENTIAL), an existing credential to delete (RESOURCE_NOT_FOUND). Needs ALTER on the cluster.
 */
final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequestData> {
    /** One user's alteration: a deletion (null salted password) or an upsertion. */
    private record Alteration(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword, int iterations) {
    }

    private final BrokerContext broker;
    private final ScramCredentials credentials;

    AlterUserScramCredentialsHandler(BrokerContext broker, ScramCredentials credentials) {
        this.broker = broker;
        this.credentials = credentials;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AlterUserScramCredentialsRequestData request) {
        boolean authorized = context.allowedOnCluster(AclOperation.ALTER);
        return CompletableFuture.supplyAsync(() -> alter(request, authorized), broker.blocking());
    }

    private ApiMessage alter(AlterUserScramCredentialsRequestData request, boolean authorized) {
        Map<String, ApiError> errors = new LinkedHashMap<>();
        Map<String, Alteration> alterations = new LinkedHashMap<>();
        for (var deletion : request.deletions()) {
            add(errors, alterations, deletion.name(), deletion.mechanism(), null, null, 0);
        }
        for (var upsertion : request.upsertions()) {
            add(errors, alterations, upsertion.name(), upsertion.mechanism(), upsertion.salt(),
                    upsertion.saltedPassword(), upsertion.iterations());
        }
        alterations.forEach((user, alteration) -> {
            if (!authorized) {
                errors.put(user, new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED,
                        "altering SCRAM credentials needs ALTER on the cluster"));
                return;
            }
            try {
                if (alteration.saltedPassword() == null) {
                    credentials.delete(user, alteration.mechanism());
                } else {
                    credentials.upsert(user, alteration.mechanism(), alteration.salt(), alteration.saltedPassword(),
                            alteration.iterations());
                }
                errors.put(user, ApiError.NONE);
            } catch (ApiException e) {
                errors.put(user, ApiError.fromThrowable(e));
            }
        });
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        errors.forEach((user, error) -> response.results().add(
                new AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult()
                        .setUser(user).setErrorCode(error.error().code()).setErrorMessage(error.message())));
        return response;
    }

    private static void add(Map<String, ApiError> errors, Map<String, Alteration> alterations, String user,
                            byte mechanismType, byte[] salt, byte[] saltedPassword, int iterations) {
        if (errors.containsKey(user)) {
            return;
        }
        if (alterations.remove(user) != null) {
            errors.put(user, new ApiError(Errors.DUPLICATE_RESOURCE,
                    "A user credential cannot be altered twice in the same request"));
            return;
        }
        ApiError error = validate(user, mechanismType, salt, saltedPassword, iterations);
        if (error.isFailure()) {
            errors.put(user, error);
            return;
        }
        alterations.put(user, new Alteration(mechanism(mechanismType).orElseThrow(), salt, saltedPassword,
                iterations));
    }

    private static ApiError validate(String user, byte mechanismType, byte[] salt, byte[] saltedPassword,
                                     int iterations) {
        if (user == null || user.isEmpty()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        Optional<ScramMechanism> mechanism = mechanism(mechanismType);
        if (mechanism.isEmpty()) {
            return new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        if (saltedPassword == null) {
            return ApiError.NONE;
        }
        ScramMechanism scram = mechanism.get();
        if (salt == null || salt.length == 0) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Salt must not be empty");
        }
        if (saltedPassword.length == 0) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Salted password must not be empty");
        }
        if (iterations < scram.minIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (iterations > scram.maxIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        return ApiError.NONE;
    }

    private static Optional<ScramMechanism> mechanism(byte type) {
        return Arrays.stream(ScramMechanism.values()).filter(m -> m.type() == type).findFirst();
    }
}
