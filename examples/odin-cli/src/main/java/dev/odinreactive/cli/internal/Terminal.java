package dev.odinreactive.cli.internal;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal (then ANSI redraws are fine). */
public final class Terminal {

    private Terminal() {
    }

    /**
     * True if standard output is a terminal: {@link System#console()} exists (and, on Java 22+,
     * {@code Console.isTerminal()} says so) and {@code TERM} is not {@code dumb}.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // Java 22+
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException java17) {
            return true; // before Java 22, console() is null unless stdin and stdout are a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
