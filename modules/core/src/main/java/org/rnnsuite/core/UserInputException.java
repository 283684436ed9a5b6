package org.rnnsuite.core;

/**
 * Something the user supplied is wrong: a file, a flag value, a config key. The message names the offending input
 * and says what to fix, in one line. The CLI turns this into exit code 2 without a stack trace; any other exception
 * is a bug.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
