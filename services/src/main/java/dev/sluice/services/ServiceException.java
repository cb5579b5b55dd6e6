package dev.sluice.services;

/** A service definition, package or run request that Sluice refuses; the message names the offending field or entry. */
public final class ServiceException extends RuntimeException {
  public ServiceException(String message) {
    super(message);
  }

  public ServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
