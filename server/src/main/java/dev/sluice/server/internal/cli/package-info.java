/**
 * The {@code sluice} commands that are clients of a running Sluice: {@code topic}, {@code produce},
 * {@code consume}, {@code group}, {@code source}, {@code sink}, {@code pipeline}, {@code wasm}, {@code service},
 * {@code trigger}, {@code event} and {@code apply}.
 * Each leaf command extends {@link dev.sluice.server.internal.cli.ClientCommand}, which gives it
 * {@code --url}/{@code --token} and a {@link dev.sluice.server.internal.cli.RestClient}; those about one resource
 * (describe, delete, pause...) extend {@link dev.sluice.server.internal.cli.ResourceCommand}'s shapes. The REST
 * contract they follow is the OpenAPI document in the {@code http} module ({@code dev/sluice/http/openapi.yaml}).
 * Nothing here touches the data directory.
 */
package dev.sluice.server.internal.cli;
