package dev.sluice.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * DescribeUserScramCredentials: each user's mechanisms and iterations (never salts or keys); all users when none
 * are named. A user named twice gets DUPLICATE_RESOURCE, an unknown one RESOURCE_NOT_FOUND. Needs DESCRIBE on the
 * cluster.
 */
final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequestData> {
    private final ScramCredentials credentials;

    DescribeUserScramCredentialsHandler(ScramCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context,
                                                DescribeUserScramCredentialsRequestData request) {
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        if (!context.allowedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("describing SCRAM credentials needs DESCRIBE on the cluster"));
        }
        SortedMap<String, Map<ScramMechanism, Integer>> all = credentials.iterations();
        // User name -> whether it was named more than once.
        Map<String, Boolean> users = new LinkedHashMap<>();
        if (request.users() == null || request.users().isEmpty()) {
            all.keySet().forEach(user -> users.put(user, false));
        } else {
            request.users().forEach(user -> users.merge(user.name(), false, (a, b) -> true));
        }
        users.forEach((user, duplicate) -> {
            var result = new DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult()
                    .setUser(user);
            response.results().add(result);
            Map<ScramMechanism, Integer> iterations = all.get(user);
            if (duplicate) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + user);
            } else if (iterations == null) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code()).setErrorMessage(
                        "Attempt to describe a user credential that does not exist: " + user);
            } else {
                iterations.forEach((mechanism, count) -> result.credentialInfos().add(
                        new DescribeUserScramCredentialsResponseData.CredentialInfo()
                                .setMechanism(mechanism.type()).setIterations(count)));
            }
        });
        return CompletableFuture.completedFuture(response);
    }
}
