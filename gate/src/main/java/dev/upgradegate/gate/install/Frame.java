package dev.upgradegate.gate.install;

/** What a wizard page shows around its body: its title, the step it is, the way out, and how it keeps current. */
final class Frame {

    /** The wizard's steps, in order, for the indicator at the top. */
    enum Step {
        SIGN_IN("Sign in"), OVERVIEW("Overview"), LICENCE("Licence"), BACKUP("Backup"), UPGRADE("Upgrade"),
        RESULT("Result"), NONE("");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    final String title;
    final String webapp;
    final Step step;
    /** The sign-out form's action, or {@code null} when signed out. */
    final String signOut;
    /** The session's CSRF token, for the sign-out form. */
    final String csrf;
    String refresh;
    boolean script;

    Frame(String title, String webapp, Step step, String signOut, String csrf) {
        this.title = title;
        this.webapp = webapp;
        this.step = step;
        this.signOut = signOut;
        this.csrf = csrf;
    }

    /**
     * Reloads the page from {@code url} every few seconds: with {@link #script}, only where scripts do not run.
     */
    Frame refresh(String url) {
        this.refresh = url;
        return this;
    }

    /** Runs the script that polls the progress. */
    Frame script() {
        this.script = true;
        return this;
    }
}
